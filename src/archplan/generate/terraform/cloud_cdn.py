"""Cloud CDN is a setting of the load balancer's backends (enable_cdn and cdn_policy in load_balancer.tf, or
the BackendConfig of a GKE Ingress); this module only notes a CDN the plan attaches to no load balancer."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.terraform._builder import Terraform


def generate(tf: Terraform, component: Component) -> None:
    if tf.ctx.attached_load_balancer(component) is None:
        raise tf.ctx.error(component, "load_balancer", "Cloud CDN serves through a load balancer: set "
                                                       "load_balancer or depend on a load_balancer component")
