"""BigQuery dataset in the plan's region."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import Workload, ident
from archplan.generate.hcl import Expr, resource
from archplan.generate.terraform._builder import Terraform


def dataset_id(tf: Terraform, component: Component) -> str:
    return ident(f"{tf.ctx.project.name}_{component.name}")


def generate(tf: Terraform, component: Component) -> None:
    tf.api("bigquery.googleapis.com")
    name = ident(component.name)
    tf.add("bigquery.tf", tf.about(component), resource("google_bigquery_dataset", name, {
        "#checkov:skip=CKV_GCP_81:Google-managed encryption; the plan has no Cloud KMS key to encrypt with": None,
        "dataset_id": dataset_id(tf, component),
        "location": Expr("var.region"),
        "labels": Expr("local.labels"),
        "delete_contents_on_destroy": False,
    }))


def grant(tf: Terraform, component: Component, workload: Workload) -> None:
    name = ident(component.name)
    tf.add("iam.tf", resource("google_bigquery_dataset_iam_member", f"{ident(workload.key)}_writes_{name}", {
        "dataset_id": Expr(f"google_bigquery_dataset.{name}.dataset_id"),
        "role": "roles/bigquery.dataEditor",
        "member": tf.member(workload.key),
    }))
    tf.project_role(workload.key, "roles/bigquery.jobUser", f"{workload.key} runs BigQuery jobs.")
