"""google_logging_project_bucket_config -> cloud_logging: retention; data-access audit logs where a
google_project_iam_audit_config turns them on. Log volume is usage."""
from __future__ import annotations

from archplan.importers.google._base import MapContext, Mapped, label_name, number, owned, placeholders
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_logging_project_bucket_config",)
# What Terraform does not hold for this kind: field -> (the placeholder written, or None for "left out";
# what the figure is). The report lists them; the round-trip test removes them from the original plan.
USAGE = {"ingestion_gb_per_month": (0, "logs written")}


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    found = []
    audits = ctx.of_type("google_project_iam_audit_config")
    for bucket in resources:
        fields: dict = {"ingestion_gb_per_month": 0}
        # Cloud Logging keeps logs 1 to 3650 days (30 by default).
        days = number(bucket, ctx, "retention_days", minimum=1, maximum=3650, assumed="read as 30 days")
        if days is not None and days != 30:
            fields["retention_days"] = days
        if audits:
            fields["audit_logs"] = True
        name = label_name(bucket)
        found.append(Mapped("logging" if name in ("default", "_Default") else name, "cloud_logging", fields,
                            owned(bucket, *audits), bucket, placeholders(USAGE)))
    return found
