"""Artifact Registry repositories, with cleanup policies that keep the recent images."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import Workload, ident
from archplan.generate.hcl import Expr, nested, resource
from archplan.generate.terraform._builder import Terraform

KEEP_RECENT_VERSIONS = 20
DELETE_UNTAGGED_AFTER = "2592000s"  # 30 days


def cleanup_policies() -> dict:
    """Keep the recent images, delete old untagged ones: every repository archplan writes has these."""
    return {
        "cleanup_policy_dry_run": False,
        "cleanup_policies": [
            nested({"id": "keep-recent", "action": "KEEP",
                    "most_recent_versions": nested({"keep_count": KEEP_RECENT_VERSIONS})}),
            nested({"id": "delete-old-untagged", "action": "DELETE",
                    "condition": nested({"tag_state": "UNTAGGED", "older_than": DELETE_UNTAGGED_AFTER})}),
        ],
    }


def generate(tf: Terraform, component: Component) -> None:
    spec = component.spec
    name = ident(component.name)
    tf.api("artifactregistry.googleapis.com")
    tf.add("artifact_registry.tf", tf.about(component), resource("google_artifact_registry_repository", name, {
        tf.cmek_skip("CKV_GCP_84"): None,
        "repository_id": tf.named(component),
        "location": tf.region(component),
        "format": spec.format.upper(),
        "description": f"{spec.format} repository for {tf.ctx.project.name} (plan component {component.name})",
        "labels": Expr("local.labels"),
        **cleanup_policies(),
    }))
    tf.output(f"{name}_repository", Expr(f"google_artifact_registry_repository.{name}.name"),
              f"Artifact Registry repository {component.name}.")


def grant(tf: Terraform, component: Component, workload: Workload) -> None:
    name = ident(component.name)
    tf.add("iam.tf", resource("google_artifact_registry_repository_iam_member",
                              f"{ident(workload.key)}_pulls_{name}", {
                                  "location": tf.region(component),
                                  "repository": Expr(f"google_artifact_registry_repository.{name}.name"),
                                  "role": "roles/artifactregistry.reader",
                                  "member": tf.member(workload.key),
                              }))
