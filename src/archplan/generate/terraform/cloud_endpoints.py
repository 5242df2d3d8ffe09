"""Cloud Endpoints: the managed service configured from the plan's routes. The Extensible Service Proxy
(ESPv2) that enforces it is a workload of the plan, deployed with ENDPOINTS_SERVICE_NAME set to the
service name output here. An API whose plan sets api_key_required also gets that service enabled in the
project and an API key restricted to it, as API Gateway's does (archplan.generate.terraform._api_keys)."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import ident, slug
from archplan.generate.hcl import Block, Expr, Tpl, resource
from archplan.generate.terraform import _openapi
from archplan.generate.terraform._api_keys import api_keys
from archplan.generate.terraform._builder import Terraform


def service_name(component: Component, prefix: str, project_id: str) -> str:
    """The Endpoints service's name, a host under the project's cloud.goog domain."""
    return f"{prefix}-{slug(component.name)}.endpoints.{project_id}.cloud.goog"


def created_names(ctx, component: Component) -> list[str]:
    return [service_name(component, ctx.prefix, ctx.project_id)]


def generate(tf: Terraform, component: Component) -> None:
    name = ident(component.name)
    tf.api("endpoints.googleapis.com", "servicemanagement.googleapis.com", "servicecontrol.googleapis.com")
    host = Tpl(service_name(component, "${var.prefix}", "${var.project_id}"))
    tf.add("endpoints.tf", tf.about(component),
           Block("locals", (), {_openapi.local_name(component): _openapi.document(component, host)}),
           resource("google_endpoints_service", name, {
               "service_name": host,
               "project": Expr("var.project_id"),
               "openapi_config": Expr(f"yamlencode(local.{_openapi.local_name(component)})"),
           }))
    tf.output(f"{name}_service_name", Expr(f"google_endpoints_service.{name}.service_name"),
              f"ENDPOINTS_SERVICE_NAME for the ESPv2 proxy in front of {component.name}'s backend.")
    if component.spec.api_key_required:  # the service name is read once the service, rolled out, exists
        api_keys(tf, component, "endpoints.tf", Expr(f"google_endpoints_service.{name}.service_name"),
                 f"{name}_service_name")
