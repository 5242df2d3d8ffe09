"""google_firestore_database -> firestore: its location. Data and operations are usage."""
from __future__ import annotations

from archplan.importers.google._base import MapContext, Mapped, placeholders, label_name, owned
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_firestore_database",)
# What Terraform does not hold for this kind: field -> (the placeholder written, or None for "left out";
# what the figure is). The report lists them; the round-trip test removes them from the original plan.
USAGE = {"stored_gb": (0, "data stored"), "reads_per_month": (0, "document reads"), "writes_per_month": (0, "document writes"), "deletes_per_month": (None, "document deletes")}


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    found = []
    for database in resources:
        fields: dict = {}
        location = database.get("location_id")
        if isinstance(location, str) and location != ctx.region:
            fields["location"] = location
        fields.update(stored_gb=0, reads_per_month=0, writes_per_month=0)
        found.append(Mapped(label_name(database), "firestore", fields, owned(database), database, placeholders(USAGE)))
    return found
