"""Cloud Logging: the _Default bucket's retention, and data-access audit logs where the plan asks for them."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import Workload, ident
from archplan.generate.hcl import Expr, nested, resource
from archplan.generate.terraform._builder import Terraform


def created_names(ctx, component: Component) -> list[str]:
    return ["_Default"]  # the project's own log bucket, whose retention it sets


def generate(tf: Terraform, component: Component) -> None:
    spec = component.spec
    tf.api("logging.googleapis.com")
    tf.add("logging.tf", tf.about(component), resource("google_logging_project_bucket_config", ident(component.name), {
        "project": Expr("var.project_id"),
        "location": "global",
        "bucket_id": "_Default",
        "retention_days": spec.retention_days,
    }))
    if spec.audit_logs or tf.ctx.project.audit_logging:
        tf.add("logging.tf", "Data-access audit logs (audit_logs in the plan).",
               resource("google_project_iam_audit_config", "all_services", {
                   "project": Expr("var.project_id"),
                   "service": "allServices",
                   "audit_log_config": [nested({"log_type": "ADMIN_READ"}), nested({"log_type": "DATA_READ"}),
                                        nested({"log_type": "DATA_WRITE"})],
               }))


def grant(tf: Terraform, component: Component, workload: Workload) -> None:
    tf.project_role(workload.key, "roles/logging.logWriter", f"{workload.key} writes logs.")
