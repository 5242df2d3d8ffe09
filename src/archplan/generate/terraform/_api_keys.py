"""What key-checked calls need, for API Gateway and Cloud Endpoints alike: Service Control checks a key
against the API's managed service, which refuses every key until that service is enabled in the project
("gcloud services enable MANAGED_SERVICE_NAME", https://cloud.google.com/api-gateway/docs/authenticate-api-keys;
for Endpoints, a key from the project the service was created in, https://cloud.google.com/endpoints/docs/sharing-an-api),
and one API key restricted to that service (an API target,
https://cloud.google.com/sdk/gcloud/reference/services/api-keys/create). The key's string is in no output:
the README says how to read it."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import ident
from archplan.generate.hcl import Expr, nested, resource
from archplan.generate.terraform._builder import Terraform


def api_keys(tf: Terraform, component: Component, file: str, managed_service: Expr, service_output: str,
             first_rollout: Expr | None = None) -> None:
    """The managed service enabled (after `first_rollout`, when it is not what `managed_service` reads) and
    the key; `service_output` is the output naming the service, for more keys."""
    name = ident(component.name)
    tf.api("apikeys.googleapis.com")
    enabled = {"project": Expr("var.project_id"), "service": managed_service, "disable_on_destroy": False}
    if first_rollout is not None:
        enabled["depends_on"] = [first_rollout]
    tf.add(file,
           f"{component.name} requires API keys: its API's managed service is enabled in the project once the "
           "config (the service's first rollout) exists.",
           resource("google_project_service", f"{name}_managed_service", enabled),
           f"An API key for {component.name}'s callers, valid for its API only (more: gcloud services api-keys "
           f"create --api-target=service=<the {service_output} output>).",
           resource("google_apikeys_key", name, {
               "name": tf.named(component),
               "display_name": f"{component.name} callers",
               "project": Expr("var.project_id"),
               "restrictions": nested({"api_targets": nested({"service": managed_service})}),
               "depends_on": [Expr(f"google_project_service.{name}_managed_service")],
           }))
    tf.output(f"{name}_api_key_name", Expr(f"google_apikeys_key.{name}.name"),
              f"Id of the API key for {component.name} (its key string: gcloud services api-keys get-key-string).")
