"""Cloud Monitoring: the uptime checks and alert policies come from the plan's slo (monitoring.tf); a workload
that depends on Monitoring may write metrics."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import Workload
from archplan.generate.terraform._builder import Terraform, nothing_named


created_names = nothing_named


def generate(tf: Terraform, component: Component) -> None:
    tf.api("monitoring.googleapis.com")


def grant(tf: Terraform, component: Component, workload: Workload) -> None:
    tf.project_role(workload.key, "roles/monitoring.metricWriter", f"{workload.key} writes custom metrics.")
