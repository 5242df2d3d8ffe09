"""LLM calls: Vertex AI needs its API and the user role for the workloads that call it; the Gemini API is
reached with an API key the plan keeps in Secret Manager, so nothing is created for it."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import Workload
from archplan.generate.terraform._builder import Terraform


def generate(tf: Terraform, component: Component) -> None:
    if component.spec.provider == "vertex_ai":
        tf.api("aiplatform.googleapis.com")


def grant(tf: Terraform, component: Component, workload: Workload) -> None:
    if component.spec.provider == "vertex_ai":
        tf.project_role(workload.key, "roles/aiplatform.user", f"{workload.key} calls Vertex AI models.")
