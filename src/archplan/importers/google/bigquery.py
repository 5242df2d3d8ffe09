"""google_bigquery_dataset -> bigquery. Storage and queries are usage."""
from __future__ import annotations

from archplan.importers.google._base import MapContext, Mapped, label_name, owned
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_bigquery_dataset",)
SUPPORTING = ("google_bigquery_table",)
PLACEHOLDERS = {"active_storage_gb": "data stored: not in Terraform", "query_tib_per_month": "data scanned by "
                                                                                             "queries: not in Terraform"}


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    found = []
    for dataset in resources:
        tables = ctx.referrers(dataset, "google_bigquery_table")
        found.append(Mapped(label_name(dataset), "bigquery", {"active_storage_gb": 0, "query_tib_per_month": 0},
                            owned(dataset, *tables), dataset, dict(PLACEHOLDERS)))
    return found
