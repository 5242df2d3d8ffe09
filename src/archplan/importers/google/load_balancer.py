"""The global external Application Load Balancer: one component per frontend address (or per URL map when
no address is reserved), its forwarding rules counted, its backends (serverless NEGs, instance groups, backend
buckets) read as depends_on. Backends with enable_cdn become a cloud_cdn component on that load balancer; an address no
forwarding rule uses, in a configuration with one GKE cluster, is read as that cluster's Ingress."""
from __future__ import annotations

from archplan.importers.google._base import MapContext, Mapped, continent_destination, label_name, owned
from archplan.importers.resources import TfResource

# A forwarding rule with no reserved address (an ephemeral IP) is a load balancer too: it is listed here so that
# the mapper runs on a configuration with no google_compute_global_address at all.
RESOURCE_TYPES = ("google_compute_global_address", "google_compute_global_forwarding_rule")
# What Terraform does not hold for this kind: field -> (the placeholder written, or None for "left out";
# what the figure is). The report lists them; the round-trip test removes them from the original plan.
USAGE = {"data_processed_gb_per_month": (None, "data processed"), "traffic_share": (None, "share of the traffic")}
SUPPORTING = ("google_compute_url_map", "google_compute_target_https_proxy", "google_compute_target_http_proxy",
              "google_compute_backend_service",
              "google_compute_backend_bucket", "google_compute_region_network_endpoint_group",
              "google_compute_instance_group",
              "google_compute_managed_ssl_certificate", "google_compute_ssl_policy")
PROXIES = ("google_compute_target_https_proxy", "google_compute_target_http_proxy")
BACKENDS = ("google_compute_backend_service", "google_compute_backend_bucket")


def _chain(rule: TfResource, ctx: MapContext) -> tuple[list, list, list, list]:
    proxies = ctx.referenced(rule, *PROXIES)
    maps = [m for p in proxies for m in ctx.referenced(p, "google_compute_url_map")]
    backends = [b for m in maps for b in ctx.referenced(m, *BACKENDS)]
    negs = [n for b in backends for n in ctx.referenced(b, "google_compute_region_network_endpoint_group",
                                                        "google_compute_instance_group")]
    certificates = [c for p in proxies for c in ctx.referenced(p, "google_compute_managed_ssl_certificate",
                                                               "google_compute_ssl_certificate",
                                                               "google_compute_ssl_policy")]
    return proxies, maps, backends, negs + certificates


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    rules = ctx.of_type("google_compute_global_forwarding_rule")
    fronts: list[tuple[TfResource, list[TfResource]]] = []
    for address in (r for r in resources if r.type == "google_compute_global_address"):
        if address.get("address_type", default="EXTERNAL") != "EXTERNAL" or address.get("purpose"):
            continue  # internal ranges (private service access) are not load balancers
        fronts.append((address, [r for r in rules if address.base_address in r.references]))
    claimed = {r.base_address for _, mine in fronts for r in mine}
    for rule in rules:
        if rule.base_address not in claimed and rule.get("load_balancing_scheme", default="EXTERNAL") \
                in ("EXTERNAL", "EXTERNAL_MANAGED"):
            fronts.append((rule, [rule]))  # an ephemeral address: the rule is the frontend
    clusters = ctx.of_type("google_container_cluster")
    found = []
    for front, mine in fronts:
        pieces: list[TfResource] = [front, *mine]
        backends: list[TfResource] = []
        for rule in mine:
            proxies, maps, rule_backends, extra = _chain(rule, ctx)
            pieces += proxies + maps + rule_backends + extra
            backends += rule_backends
        policies = [p for r in mine for p in ctx.referenced(r, "google_compute_ssl_policy")]
        pieces += policies
        fields: dict = {}
        if len(mine) > 1:
            fields["forwarding_rules"] = len(mine)
        domains = sorted({d for c in pieces if c.type == "google_compute_managed_ssl_certificate"
                          for d in (c.get("managed", "domains") or []) if isinstance(d, str)})
        if domains:
            fields["domains"] = domains
        name = label_name(front)
        notes = []
        if not mine and len(clusters) == 1:
            notes.append(f"{front.address}: no forwarding rule uses this address: read as the Ingress address of "
                         f"{clusters[0].address} (its load balancer is built by Kubernetes)")
            front.references.add(clusters[0].base_address)
        elif not mine:
            ctx.notes.append(f"{front.address}: no forwarding rule uses this address: left out")
            continue
        mapped = Mapped(name, "load_balancer", fields, owned(*pieces), front, notes=notes)
        found.append(mapped)
        cdn = [b for b in backends if b.get("enable_cdn") is True]
        if cdn:
            cdn_fields = {"load_balancer": name, "destination": continent_destination(ctx.region) or "north_america",
                          "cache_hit_ratio": 0}
            found.append(Mapped(f"{name}_cdn" if len(fronts) > 1 else "cdn", "cloud_cdn", cdn_fields, set(), cdn[0],
                                {"destination": "where most viewers are: derived from the project region's "
                                                "continent, set it",
                                 "cache_hit_ratio": "share of lookups served from cache: not in Terraform"},
                                [f"cdn: enable_cdn on {', '.join(b.address for b in cdn)}"]))
    return found


def protocol(mapped: Mapped) -> str:
    return "HTTPS"
