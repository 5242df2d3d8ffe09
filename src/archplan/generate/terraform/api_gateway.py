"""API Gateway (google-beta provider): the API, a config built from the plan's routes with the backend
called as the gateway's own service account (which may invoke only that backend), and the gateway. A gateway
whose plan sets api_key_required also gets its API's managed service enabled in the project and an API key
restricted to that service."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import ident, slug
from archplan.generate.hcl import Block, Expr, Tpl, nested, resource
from archplan.generate.terraform import _openapi, _workloads
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
        api_keys(tf, component)


def api_keys(tf: Terraform, component: Component) -> None:
    """What key-checked calls need: API Gateway checks a key against its API's managed service, which
    refuses every key until that service is enabled in the project ("gcloud services enable
    MANAGED_SERVICE_NAME", https://cloud.google.com/api-gateway/docs/authenticate-api-keys), and one API key,
    restricted to that service (an API target, https://cloud.google.com/sdk/gcloud/reference/services/api-keys/create).
    The key's string is in no output: the README says how to read it."""
    name = ident(component.name)
    tf.api("apikeys.googleapis.com")
    managed_service = Expr(f"google_api_gateway_api.{name}.managed_service")
    tf.add("api_gateway.tf",
           f"{component.name} requires API keys: its API's managed service is enabled in the project once the "
           "config (the service's first rollout) exists.",
           resource("google_project_service", f"{name}_managed_service", {
               "project": Expr("var.project_id"),
               "service": managed_service,
               "disable_on_destroy": False,
               "depends_on": [Expr(f"google_api_gateway_api_config.{name}")],
           }),
           f"An API key for {component.name}'s callers, valid for its API only (more: gcloud services api-keys "
           f"create --api-target=service=<the {name}_managed_service output>).",
           resource("google_apikeys_key", name, {
               "name": tf.named(component),
               "display_name": f"{component.name} callers",
               "project": Expr("var.project_id"),
               "restrictions": nested({"api_targets": nested({"service": managed_service})}),
               "depends_on": [Expr(f"google_project_service.{name}_managed_service")],
           }))
    tf.output(f"{name}_managed_service", managed_service,
              f"Managed service of API Gateway {component.name}'s API (what its API keys are restricted to).")
    tf.output(f"{name}_api_key_name", Expr(f"google_apikeys_key.{name}.name"),
              f"Id of the API key for {component.name} (its key string: gcloud services api-keys get-key-string).")
