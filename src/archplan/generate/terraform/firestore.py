"""Firestore (native mode) database, Standard or Enterprise edition, with point-in-time recovery (unless the
plan sets pitr: false) and delete protection."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import Workload, ident
from archplan.generate.hcl import Expr, Tpl, resource
from archplan.generate.terraform._builder import Terraform


def created_names(ctx, component: Component) -> list[str]:
    return [ctx.firestore_database_id(component)]


def generate(tf: Terraform, component: Component) -> None:
    tf.api("firestore.googleapis.com")
    location = component.spec.location
    database = tf.ctx.firestore_database_id(component)
    name = "(default)" if database == "(default)" else \
        Tpl(f"${{var.prefix}}-{tf.ctx.firestore_database_suffix(component)}")
    tf.add("firestore.tf", tf.about(component), resource("google_firestore_database", ident(component.name), {
        "name": name,
        "location_id": location if location else Expr("var.region"),
        "type": "FIRESTORE_NATIVE",
        **({"database_edition": "ENTERPRISE"} if component.spec.edition == "enterprise" else {}),
        "point_in_time_recovery_enablement": "POINT_IN_TIME_RECOVERY_ENABLED" if component.spec.pitr
        else "POINT_IN_TIME_RECOVERY_DISABLED",
        "delete_protection_state": "DELETE_PROTECTION_ENABLED",
        "deletion_policy": "ABANDON",
    }))


def grant(tf: Terraform, component: Component, workload: Workload) -> None:
    # Firestore has no per-database IAM for data access.
    tf.project_role(workload.key, "roles/datastore.user", f"{workload.key} reads and writes Firestore.")
