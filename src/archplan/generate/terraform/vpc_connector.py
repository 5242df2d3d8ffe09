"""Serverless VPC Access connector: Cloud Run services and functions that depend on it reach the VPC
through it (instead of Direct VPC egress)."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import ident, slug
from archplan.generate.hcl import Expr, resource
from archplan.generate.terraform._builder import Terraform

DEFAULT_RANGE = "10.8.0.0/28"  # an unused /28 in the plan's VPC, outside the subnet archplan creates


NAME_MAX = 25


def connector_name(component: Component) -> Expr:
    """Connector names are at most 25 characters and unique per project and region: <var.prefix>-<name>, cut
    to 25 characters by Terraform (the prefix is a variable), so two environments in one project differ."""
    return Expr(f'trimsuffix(substr("${{var.prefix}}-{slug(component.name)}", 0, {NAME_MAX}), "-")')


def created_names(ctx, component: Component) -> list[str]:
    """The name connector_name gives it for this prefix."""
    return [f"{ctx.prefix}-{slug(component.name)}"[:NAME_MAX].removesuffix("-")]  # as trimsuffix


def generate(tf: Terraform, component: Component) -> None:
    spec = component.spec
    tf.api("vpcaccess.googleapis.com")
    tf.network()
    tf.add("network.tf", tf.about(component), resource("google_vpc_access_connector", ident(component.name), {
        "name": connector_name(component),
        "region": tf.region(component),
        "network": Expr("google_compute_network.vpc.name"),
        "ip_cidr_range": spec.ip_cidr_range or DEFAULT_RANGE,
        "machine_type": spec.machine_type,
        "min_instances": spec.min_instances,
        "max_instances": spec.max_instances,
    }))


def reference(component: Component) -> Expr:
    return Expr(f"google_vpc_access_connector.{ident(component.name)}.id")
