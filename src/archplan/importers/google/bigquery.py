"""google_bigquery_dataset -> bigquery: its location. Storage and queries are usage."""
from __future__ import annotations

from archplan import catalog
from archplan.importers.google._base import MapContext, Mapped, placeholders, label_name, owned
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_bigquery_dataset",)
# What Terraform does not hold for this kind: field -> (the placeholder written, or None for "left out";
# what the figure is). The report lists them; the round-trip test removes them from the original plan.
USAGE = {"active_storage_gb": (0, "data stored"), "long_term_storage_gb": (None, "data stored"), "query_tib_per_month": (0, "data scanned by queries")}
SUPPORTING = ("google_bigquery_table",)
# A reference to one of the dataset's tables (a Pub/Sub BigQuery subscription's) is an edge to the dataset.
EDGE_TYPES = ("google_bigquery_table",)


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    found = []
    for dataset in resources:
        tables = ctx.referrers(dataset, "google_bigquery_table")
        fields: dict = {}
        location = dataset.get("location")
        if isinstance(location, str) and location.lower() != ctx.region:
            fields["location"] = location if location.lower() in catalog.regions() else location.lower()  # US, EU
        fields.update(active_storage_gb=0, query_tib_per_month=0)
        found.append(Mapped(label_name(dataset), "bigquery", fields,
                            owned(dataset, *tables), dataset, placeholders(USAGE)))
    return found
