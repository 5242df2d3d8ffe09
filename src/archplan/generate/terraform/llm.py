"""LLM calls: Vertex AI needs its API and the user role for the workloads that call it; the Gemini API is
reached with an API key the plan keeps in Secret Manager, so nothing is created for it (a warning says so,
as it does for stated quotas, which no generated file sets)."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import Workload
from archplan.generate.terraform._builder import Terraform, nothing_named


created_names = nothing_named


def generate(tf: Terraform, component: Component) -> None:
    spec = component.spec
    if spec.provider == "vertex_ai":
        tf.api("aiplatform.googleapis.com")
    else:
        tf.warnings.append(f"{component.name}: the Gemini API has no Terraform resource, so nothing is generated "
                           "for it; its callers need an API key, kept as a secret_manager secret they depend on")
    stated = [name for name in ("quota_requests_per_minute", "quota_tokens_per_minute") if getattr(spec, name)]
    if stated:
        tf.warnings.append(f"{component.name}: {' and '.join(stated)} are not set by the generated files; the "
                           "project's model quota is what it is until raised in the console's Quotas page")


def grant(tf: Terraform, component: Component, workload: Workload) -> None:
    if component.spec.provider == "vertex_ai":
        tf.project_role(workload.key, "roles/aiplatform.user", f"{workload.key} calls Vertex AI models.")
