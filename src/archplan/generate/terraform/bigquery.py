"""BigQuery dataset in its location (the plan's region unless the plan names one: a region, or the multi-region
US or EU, as BigQuery writes them). A reader gets roles/bigquery.dataViewer, a writer roles/bigquery.dataEditor
(https://cloud.google.com/bigquery/docs/access-control: bigquery.tables.getData, and updateData to write)."""
from __future__ import annotations

from archplan import catalog
from archplan.components.base import Component
from archplan.generate.context import Workload, ident
from archplan.generate.hcl import Expr, resource
from archplan.generate.terraform._builder import Terraform


def dataset_id(ctx, component: Component) -> str:
    return ident(f"{ctx.project.name}_{component.name}")


def created_names(ctx, component: Component) -> list[str]:
    return [dataset_id(ctx, component)]


def location(tf: Terraform, component: Component) -> Expr | str:
    """The dataset's location: a multi-region in BigQuery's capitals, a region as itself (var.region for the plan's)."""
    place = component.spec.location
    if place is None or place in catalog.regions():
        return tf.region(place or tf.ctx.region)
    return place.upper()


def generate(tf: Terraform, component: Component) -> None:
    tf.api("bigquery.googleapis.com")
    name = ident(component.name)
    tf.add("bigquery.tf", tf.about(component), resource("google_bigquery_dataset", name, {
        tf.cmek_skip("CKV_GCP_81"): None,
        "dataset_id": dataset_id(tf.ctx, component),
        "location": location(tf, component),
        "labels": Expr("local.labels"),
        "delete_contents_on_destroy": False,
    }))


def grant(tf: Terraform, component: Component, workload: Workload) -> None:
    name = ident(component.name)
    reads = workload.access.get(component.name, "read-write") == "read"
    tf.add("iam.tf", resource("google_bigquery_dataset_iam_member",
                              f"{ident(workload.key)}_{'reads' if reads else 'writes'}_{name}", {
        "dataset_id": Expr(f"google_bigquery_dataset.{name}.dataset_id"),
        "role": "roles/bigquery.dataViewer" if reads else "roles/bigquery.dataEditor",
        "member": tf.member(workload.key),
    }))
    tf.project_role(workload.key, "roles/bigquery.jobUser", f"{workload.key} runs BigQuery jobs.")
