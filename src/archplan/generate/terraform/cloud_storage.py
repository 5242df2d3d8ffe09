"""Cloud Storage buckets: location and class, uniform access, public access prevention unless the plan makes
the bucket public, versioning, lifecycle rules and retention."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import Workload, ident, slug
from archplan.generate.hcl import Expr, Tpl, nested, resource
from archplan.generate.terraform._builder import Terraform

def created_names(ctx, component: Component) -> list[str]:
    return [ctx.bucket_name(component)]


STORAGE_CLASSES = {"standard": "STANDARD", "nearline": "NEARLINE", "coldline": "COLDLINE", "archive": "ARCHIVE"}


def location(tf: Terraform, spec) -> object:
    if spec.location_type == "region":
        return Expr("upper(var.region)") if spec.location is None else spec.location.upper()
    return spec.location.upper()


def lifecycle_rule(rule) -> dict:
    condition: dict = {"age": rule.age_days}
    if rule.noncurrent_only:
        condition = {"days_since_noncurrent_time": rule.age_days, "with_state": "ARCHIVED"}
    action: dict = {"type": "Delete" if rule.action == "delete" else "SetStorageClass"}
    if rule.storage_class:
        action["storage_class"] = STORAGE_CLASSES[rule.storage_class]
    return {"action": nested(action), "condition": nested(condition)}


def refuse_rejected_name(tf: Terraform, component: Component) -> None:
    """Cloud Storage rejects some names the provider schema accepts (api_rules.yaml names.bucket): say so."""
    import re

    from archplan.spec.api_rules import rules

    bucket = tf.ctx.bucket_name(component)
    if not re.fullmatch(rules()["names"]["bucket"]["pattern"], bucket):
        raise tf.ctx.error(component, "kind", f"its bucket would be named {bucket!r}, which Cloud Storage rejects "
                           "(3-63 lowercase letters, digits, '-' and '_', not starting with 'goog' nor containing "
                           "'google'); rename the component or pass a shorter --prefix/--project-id")


def generate(tf: Terraform, component: Component) -> None:
    spec = component.spec
    name = ident(component.name)
    refuse_rejected_name(tf, component)
    tf.api("storage.googleapis.com")
    body: dict = {
        "#checkov:skip=CKV_GCP_62:access is recorded by Cloud Audit Logs; the plan has no bucket for usage "
        "logs": None,
    }
    if not spec.versioning:
        body["#checkov:skip=CKV_GCP_78:the plan leaves versioning off for this bucket"] = None
    from archplan.generate.terraform.load_balancer import bucket_read_anonymously

    served = bucket_read_anonymously(tf.ctx, component)
    if spec.public:
        body["#checkov:skip=CKV_GCP_114:the plan makes this bucket public (public: true)"] = None
    elif served:
        body["#checkov:skip=CKV_GCP_114:served to the internet through a load balancer's backend bucket without Cloud CDN"] = None
    body.update({
        "name": Tpl(f"${{local.bucket_prefix}}-{slug(component.name)}"),
        "location": location(tf, spec),
        # A configurable dual-region: the multi-region as location and its two regions as data locations.
        **({"custom_placement_config": nested({"data_locations": [r.upper() for r in spec.data_locations]})}
           if spec.data_locations else {}),
        "storage_class": STORAGE_CLASSES[spec.storage_class],
        **({"rpo": "ASYNC_TURBO"} if spec.turbo_replication else {}),  # turbo replication: 15-minute RPO
        "uniform_bucket_level_access": True,
        "public_access_prevention": "inherited" if spec.public or served else "enforced",
        "force_destroy": False,
        "labels": Expr("local.labels"),
        "versioning": nested({"enabled": spec.versioning}),
    })
    if spec.lifecycle_rules:
        body["lifecycle_rule"] = [nested(lifecycle_rule(rule)) for rule in spec.lifecycle_rules]
    if spec.retention_days:
        body["retention_policy"] = nested({"retention_period": spec.retention_days * 86400})
    tf.add("storage.tf", tf.about(component), resource("google_storage_bucket", name, body))
    if spec.public:
        tf.add("storage.tf", f"Anyone may read {component.name}'s objects: the plan sets public: true.",
               resource("google_storage_bucket_iam_member", f"{name}_public", {
                   "#checkov:skip=CKV_GCP_28:the plan makes this bucket public (public: true)": None,
                   "bucket": Expr(f"google_storage_bucket.{name}.name"),
                   "role": "roles/storage.objectViewer",
                   "member": "allUsers",
               }))
    tf.output(f"{name}_bucket", Expr(f"google_storage_bucket.{name}.name"), f"Bucket of {component.name}.")


# The object role for what the edge says the caller does; none reaches bucket IAM or settings.
# read: get and list; write: create only (no overwrite or delete); read-write: all object operations.
OBJECT_ROLES = {"read": "roles/storage.objectViewer", "write": "roles/storage.objectCreator",
                "read-write": "roles/storage.objectUser"}


def grant(tf: Terraform, component: Component, workload: Workload) -> None:
    name = ident(component.name)
    access = workload.access.get(component.name, "read-write")
    verb = {"read": "reads", "write": "writes", "read-write": "uses"}[access]
    tf.add("iam.tf", resource("google_storage_bucket_iam_member", f"{ident(workload.key)}_{verb}_{name}", {
        "bucket": Expr(f"google_storage_bucket.{name}.name"),
        "role": OBJECT_ROLES[access],
        "member": tf.member(workload.key),
    }))
