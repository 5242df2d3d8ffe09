"""Cloud NAT: outbound internet for private nodes and services on the plan's VPC, through a Cloud Router."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import ident, slug
from archplan.generate.hcl import Expr, Tpl, nested, resource
from archplan.generate.terraform._builder import Terraform


def generate(tf: Terraform, component: Component) -> None:
    name = ident(component.name)
    tf.api("compute.googleapis.com")
    network, _ = tf.network(component.region)
    tf.add("nat.tf", tf.about(component), resource("google_compute_router", name, {
        "name": Tpl(f"${{var.prefix}}-{slug(component.name)}-router"),
        "region": tf.region(component),
        "network": network,
    }), resource("google_compute_router_nat", name, {
        "name": Tpl(f"${{var.prefix}}-{slug(component.name)}"),
        "router": Expr(f"google_compute_router.{name}.name"),
        "region": tf.region(component),
        "nat_ip_allocate_option": "AUTO_ONLY",
        "source_subnetwork_ip_ranges_to_nat": "ALL_SUBNETWORKS_ALL_IP_RANGES",
        "log_config": nested({"enable": True, "filter": "ERRORS_ONLY"}),
    }))
