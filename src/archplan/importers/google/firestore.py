"""google_firestore_database -> firestore: its location and edition. Data and operations are usage."""
from __future__ import annotations

from archplan.importers.google._base import MapContext, Mapped, placeholders, label_name, owned
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_firestore_database",)
# What Terraform does not hold for this kind: field -> (the placeholder written, or None for "left out";
# what the figure is). The report lists them; the round-trip test removes them from the original plan.
USAGE = {"stored_gb": (0, "data stored"), "reads_per_month": (0, "document reads"), "writes_per_month": (0, "document writes"), "deletes_per_month": (None, "document deletes"),
         "commitment": (None, "committed-use discounts are bought outside Terraform"),
         # written for an Enterprise edition database only (a function of the component's fields)
         "avg_document_kib": (lambda fields: 1 if fields.get("edition") == "enterprise" else None,
                              "mean document size, KiB (Enterprise edition bills 4 KiB read and 1 KiB write units)")}


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    found = []
    for database in resources:
        fields: dict = {}
        location = database.get("location_id")
        if isinstance(location, str) and location != ctx.region:
            fields["location"] = location
        fields.update(stored_gb=0, reads_per_month=0, writes_per_month=0)
        if database.get("point_in_time_recovery_enablement") in (None, "POINT_IN_TIME_RECOVERY_DISABLED"):
            fields["pitr"] = False  # Google's default is off
        if database.get("database_edition") == "ENTERPRISE":
            fields["edition"] = "enterprise"
            fields["avg_document_kib"] = USAGE["avg_document_kib"][0](fields)
        found.append(Mapped(label_name(database), "firestore", fields, owned(database), database, placeholders(USAGE)))
    return found
