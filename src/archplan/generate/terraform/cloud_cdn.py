"""Cloud CDN is a setting of the load balancer's backends (enable_cdn and cdn_policy in load_balancer.tf, or
the BackendConfig of a GKE Ingress), so it writes no resource of its own; the plan's load refuses a CDN
attached to no load balancer (components/cloud_cdn.py, plan_problems)."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.terraform._builder import Terraform, nothing_named


created_names = nothing_named


def generate(tf: Terraform, component: Component) -> None:
    """Nothing to write: load_balancer.tf enables the CDN on the backends of the load balancer it is attached to."""
