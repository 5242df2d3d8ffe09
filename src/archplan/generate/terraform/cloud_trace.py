"""Cloud Trace: the API, and the agent role for workloads that depend on it."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import Workload
from archplan.generate.terraform._builder import Terraform, nothing_named


created_names = nothing_named


def generate(tf: Terraform, component: Component) -> None:
    tf.api("cloudtrace.googleapis.com")


def grant(tf: Terraform, component: Component, workload: Workload) -> None:
    tf.project_role(workload.key, "roles/cloudtrace.agent", f"{workload.key} sends traces.")
