"""google_api_gateway_gateway (with its api and api_config) -> api_gateway: the backend it calls, found from
the invoker binding of the service account its config calls the backend as, or from a reference of the config
to a service. API calls are usage."""
from __future__ import annotations

from archplan.importers.google._base import MapContext, Mapped, label_name, owned, placeholders
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_api_gateway_gateway",)
# What Terraform does not hold for this kind: field -> (the placeholder written, or None for "left out";
# what the figure is). The report lists them; the round-trip test removes them from the original plan.
USAGE = {"calls_per_month": (0, "API calls"), "traffic_share": (None, "share of the traffic")}
SUPPORTING = ("google_api_gateway_api", "google_api_gateway_api_config", "google_api_gateway_api_iam_member",
              "google_api_gateway_gateway_iam_member")
BACKEND_KINDS = ("cloud_run", "cloud_functions")


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    found = []
    for gateway in resources:
        configs = ctx.referenced(gateway, "google_api_gateway_api_config")
        apis = [a for c in configs for a in ctx.referenced(c, "google_api_gateway_api")]
        accounts = [s for c in configs for s in ctx.referenced(c, "google_service_account")]
        mapped = Mapped(label_name(gateway), "api_gateway", {"backend": None, "calls_per_month": 0},
                        owned(gateway, *configs, *apis, *accounts), gateway, placeholders(USAGE))
        mapped.backend_refs = {r for c in configs for r in c.references} | {
            r for b in ctx.referrers(owned(*accounts), "google_cloud_run_v2_service_iam_member",
                                     "google_cloud_run_v2_service_iam_binding",
                                     "google_cloudfunctions2_function_iam_member",
                                     "google_cloud_run_service_iam_member")
            if "invoker" in str(b.get("role")) for r in b.references}
        found.append(mapped)
    return found


def attach(found: list[Mapped], all_mapped: list[Mapped], ctx: MapContext) -> None:
    """The backend: the one Cloud Run service or function the gateway's config or identity reaches."""
    for gateway in list(found):
        backends = [m.name for m in all_mapped if m.kind in BACKEND_KINDS and m.owns & gateway.backend_refs]
        if len(backends) == 1:
            gateway.fields["backend"] = backends[0]
        else:
            ctx.notes.append(f"{gateway.source.address}: its backend is not one Cloud Run service or function of "
                             f"this configuration ({len(backends)} found): left out; add it by hand")
            all_mapped.remove(gateway)


def protocol(mapped: Mapped) -> str:
    return "HTTPS"
