"""google_storage_bucket -> cloud_storage: location type and location, storage class, versioning, public
access, lifecycle rules, retention. The data stored is usage: a placeholder."""
from __future__ import annotations

from archplan.importers.google._base import (MapContext, Mapped, function_source_buckets, label_name, number, owned,
                                             placeholders)
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_storage_bucket",)
# What Terraform does not hold for this kind: field -> (the placeholder written, or None for "left out";
# what the figure is). The report lists them; the round-trip test removes them from the original plan.
USAGE = {"storage_gb": (0, "data stored"), "noncurrent_gb": (None, "old versions kept"), "class_a_ops_per_month": (None, "writes"), "class_b_ops_per_month": (None, "reads"), "retrieval_gb_per_month": (None, "retrievals"), "egress_gb_per_month": (None, "egress")}
CLASSES = {"STANDARD": "standard", "NEARLINE": "nearline", "COLDLINE": "coldline", "ARCHIVE": "archive",
           "REGIONAL": "standard", "MULTI_REGIONAL": "standard"}
MULTI = {"US": "us", "EU": "eu", "ASIA": "asia"}
DUAL = {"ASIA1": "asia1", "EUR4": "eur4", "NAM4": "nam4"}


def _lifecycle(bucket: TfResource, ctx: MapContext, index: int, rule: dict) -> dict | None:
    action = (rule.get("action") or [{}])[0] if isinstance(rule.get("action"), list) else rule.get("action") or {}
    condition = (rule.get("condition") or [{}])[0] if isinstance(rule.get("condition"), list) \
        else rule.get("condition") or {}
    at = ("lifecycle_rule", index, "condition")
    age = number(bucket, ctx, *at, "age", minimum=0, assumed="the rule is left out")
    if age is None:
        age = number(bucket, ctx, *at, "days_since_noncurrent_time", minimum=0, assumed="the rule is left out")
    if age is None:
        if not any(bucket.given(*at, key) for key in ("age", "days_since_noncurrent_time")) and \
                isinstance(action, dict) and action.get("type") in ("Delete", "SetStorageClass"):
            ctx.notes.append(f"{bucket.address}: lifecycle_rule {index + 1} has no age condition archplan reads "
                             "(created_before, num_newer_versions...): left out")
        return None
    noncurrent = "days_since_noncurrent_time" in condition or condition.get("with_state") == "ARCHIVED"
    if action.get("type") == "Delete":
        return {"action": "delete", "age_days": age, **({"noncurrent_only": True} if noncurrent else {})}
    target = CLASSES.get(str(action.get("storage_class", "")).upper())
    if action.get("type") == "SetStorageClass" and target in ("nearline", "coldline", "archive"):
        return {"action": "set_storage_class", "age_days": age, "storage_class": target,
                **({"noncurrent_only": True} if noncurrent else {})}
    return None


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    found = []
    sources = function_source_buckets(ctx)
    for bucket in resources:
        if bucket.base_address in sources:
            continue  # a function's source archives: the function owns it
        location = str(bucket.get("location", default="US")).upper()
        fields: dict = {}
        pair = bucket.get("custom_placement_config", "data_locations")
        if location in MULTI and isinstance(pair, list) and len(pair) == 2 and all(isinstance(r, str) for r in pair):
            # A configurable dual-region: the multi-region as location, its two regions as data locations.
            fields.update(location_type="dual-region", location=MULTI[location],
                          data_locations=[r.lower() for r in pair])
        elif location in MULTI:
            fields.update(location_type="multi-region", location=MULTI[location])
        elif location in DUAL:
            fields.update(location_type="dual-region", location=DUAL[location])
        else:
            fields["location_type"] = "region"
            if ctx.region and location != ctx.region.upper():
                fields["location"] = location.lower()
        if fields["location_type"] == "dual-region" and bucket.get("rpo") == "ASYNC_TURBO":
            fields["turbo_replication"] = True
        storage_class = CLASSES.get(str(bucket.get("storage_class", default="STANDARD")).upper(), "standard")
        if storage_class != "standard":
            fields["storage_class"] = storage_class
        fields["storage_gb"] = 0
        if bucket.get("versioning", "enabled") is True:
            fields["versioning"] = True
        viewers = [b for b in ctx.referrers(bucket, "google_storage_bucket_iam_member", "google_storage_bucket_iam_binding")
                   if "objectViewer" in str(b.get("role")) and
                   ("allUsers" == b.get("member") or "allUsers" in (b.get("members") or []))]
        if viewers:
            fields["public"] = True
        rules = [r for r in (_lifecycle(bucket, ctx, i, rule) for i, rule in enumerate(bucket.blocks("lifecycle_rule")))
                 if r]
        if rules:
            fields["lifecycle_rules"] = rules
        # A retention period is 1 second to 3,155,760,000 seconds (100 years); the plan holds whole days.
        period = number(bucket, ctx, "retention_policy", "retention_period", minimum=1, maximum=3_155_760_000,
                        assumed="left out")
        if period is not None and period % 86400:
            ctx.notes.append(f"{bucket.address}: retention_policy.retention_period {period}s is not a whole number "
                             f"of days: read as {max(period // 86400, 1)} day(s)")
        if period is not None:
            fields["retention_days"] = max(period // 86400, 1)
        found.append(Mapped(label_name(bucket), "cloud_storage", fields, owned(bucket), bucket,
                            placeholders(USAGE)))
    return found
