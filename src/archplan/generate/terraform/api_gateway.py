"""API Gateway (google-beta provider): the API, a config built from the plan's routes with the backend
called as the gateway's own service account (which may invoke only that backend), and the gateway. A gateway
whose plan sets api_key_required also gets its API's managed service enabled in the project and an API key
restricted to that service."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import ident, slug
from archplan.generate.hcl import Block, Expr, Tpl, nested, resource
from archplan.generate.terraform import _openapi, _workloads
from archplan.generate.terraform._api_keys import api_keys
from archplan.generate.terraform._builder import Terraform


def generate(tf: Terraform, component: Component) -> None:
    ctx = tf.ctx
    spec = component.spec
    name = ident(component.name)
    backend = ctx.components[spec.backend]  # a service or function (the spec's reference_kinds)
    tf.api("apigateway.googleapis.com", "servicemanagement.googleapis.com", "servicecontrol.googleapis.com")
    tf.flags.add("google-beta")
    key = f"{component.name}-gateway"
    email = tf.service_account(key, f"Identity API Gateway {component.name} calls {backend.name} with.")
    _workloads.invoker(tf, backend, key, Expr(_workloads.SERVICE_NAMES[backend.kind].format(ident(backend.name))))
    address = Expr(_workloads.SERVICE_URLS[backend.kind].format(ident(backend.name)))
    api_id = Tpl(f"${{var.prefix}}-{slug(component.name)}")
    tf.add("api_gateway.tf", tf.about(component),
           Block("locals", (), {_openapi.local_name(component): _openapi.document(component, None, address)}),
           resource("google_api_gateway_api", name, {"provider": Expr("google-beta"), "api_id": api_id,
                                                     "labels": Expr("local.labels")}),
           resource("google_api_gateway_api_config", name, {
               "provider": Expr("google-beta"),
               "api": Expr(f"google_api_gateway_api.{name}.api_id"),
               "api_config_id_prefix": Tpl(f"${{var.prefix}}-{slug(component.name)}-"),
               "labels": Expr("local.labels"),
               "openapi_documents": nested({"document": nested({
                   "path": "openapi.yaml",
                   "contents": Expr(f"base64encode(yamlencode(local.{_openapi.local_name(component)}))"),
               })}),
               "gateway_config": nested({"backend_config": nested({"google_service_account": email})}),
               "lifecycle": nested({"create_before_destroy": True}),
           }),
           resource("google_api_gateway_gateway", name, {
               "provider": Expr("google-beta"),
               "gateway_id": api_id,
               "api_config": Expr(f"google_api_gateway_api_config.{name}.id"),
               "region": tf.region(component),
               "labels": Expr("local.labels"),
           }))
    tf.output(f"{name}_url", Tpl(f"https://${{google_api_gateway_gateway.{name}.default_hostname}}"),
              f"URL of API Gateway {component.name}.")
    if spec.api_key_required:
        _api_keys(tf, component)


def _api_keys(tf: Terraform, component: Component) -> None:
    name = ident(component.name)
    managed_service = Expr(f"google_api_gateway_api.{name}.managed_service")
    tf.output(f"{name}_managed_service", managed_service,
              f"Managed service of API Gateway {component.name}'s API (what its API keys are restricted to).")
    # the API resource comes before its config, the managed service's first rollout
    api_keys(tf, component, "api_gateway.tf", managed_service, f"{name}_managed_service",
             Expr(f"google_api_gateway_api_config.{name}"))
