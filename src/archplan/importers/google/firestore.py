"""google_firestore_database -> firestore: its location. Data and operations are usage."""
from __future__ import annotations

from archplan.importers.google._base import MapContext, Mapped, label_name, owned
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_firestore_database",)
PLACEHOLDERS = {"stored_gb": "data stored: not in Terraform", "reads_per_month": "document reads: not in Terraform",
                "writes_per_month": "document writes: not in Terraform"}


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    found = []
    for database in resources:
        fields: dict = {}
        location = database.get("location_id")
        if isinstance(location, str) and location != ctx.region:
            fields["location"] = location
        fields.update(stored_gb=0, reads_per_month=0, writes_per_month=0)
        found.append(Mapped(label_name(database), "firestore", fields, owned(database), database, dict(PLACEHOLDERS)))
    return found
