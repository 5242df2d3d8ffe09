"""Document AI: enabled in the project; the processor itself is created by the application's setup, which
archplan does not see (it names no processor id). A caller processes documents with roles/documentai.apiUser
(https://cloud.google.com/document-ai/docs/access-control/iam-roles)."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import Workload
from archplan.generate.terraform._builder import Terraform, nothing_named


created_names = nothing_named


def generate(tf: Terraform, component: Component) -> None:
    tf.api("documentai.googleapis.com")


def grant(tf: Terraform, component: Component, workload: Workload) -> None:
    # Document AI has no per-processor IAM resource in the provider: the role is granted on the project.
    tf.project_role(workload.key, "roles/documentai.apiUser", f"{workload.key} sends documents to Document AI.")
