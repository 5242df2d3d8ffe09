"""Cloud Spanner: the instance (edition, configuration regional-<region> or the named multi-region, compute
capacity in processing units) and its database with deletion and drop protection; workloads get
roles/spanner.databaseUser on that database only."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.components.spanner import VERSION_RETENTION_DAYS, multi_region
from archplan.generate.context import Workload, ident
from archplan.generate.hcl import Expr, Tpl, resource
from archplan.generate.terraform._builder import Terraform


def instance_config(component: Component):
    config = component.spec.config
    if multi_region(config):
        return config
    return f"regional-{config}" if config else Tpl("regional-${var.region}")


def generate(tf: Terraform, component: Component) -> None:
    spec = component.spec
    tf.api("spanner.googleapis.com")
    name = ident(component.name)
    tf.add("spanner.tf", tf.about(component), resource("google_spanner_instance", name, {
        "name": tf.named(component),
        "config": instance_config(component),
        "display_name": f"Spanner {component.name}"[:30],
        "edition": spec.edition,
        "processing_units": spec.units,
        "labels": Expr("local.labels"),
    }))
    tf.add("spanner.tf", f"{component.name}: database {spec.database}.", resource("google_spanner_database", name, {
        tf.cmek_skip("CKV_GCP_93"): None,
        "instance": Expr(f"google_spanner_instance.{name}.name"),
        "name": spec.database,
        "database_dialect": spec.database_dialect,
        "version_retention_period": f"{VERSION_RETENTION_DAYS}d",
        "deletion_protection": True,
        "enable_drop_protection": True,
    }))
    tf.output(f"{name}_spanner_database", Tpl(f"${{google_spanner_instance.{name}.name}}/{spec.database}"),
              f"Spanner instance/database of {component.name}.")


def grant(tf: Terraform, component: Component, workload: Workload) -> None:
    name = ident(component.name)
    tf.add("iam.tf", f"{workload.key} reads and writes Spanner database {component.spec.database} ({component.name}).",
           resource("google_spanner_database_iam_member", f"{ident(workload.key)}_uses_{name}", {
               "instance": Expr(f"google_spanner_instance.{name}.name"),
               "database": Expr(f"google_spanner_database.{name}.name"),
               "role": "roles/spanner.databaseUser",
               "member": tf.member(workload.key),
           }))
