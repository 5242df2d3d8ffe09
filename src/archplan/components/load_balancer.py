"""External HTTPS load balancer (global external Application Load Balancer)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field

from archplan.components.base import ComponentSpec, Usage, UsageContext
from archplan.spec.formats import Hostname


class Spec(ComponentSpec):
    category: ClassVar[str] = "network"
    kind: Literal["load_balancer"]
    regional: ClassVar[bool] = False
    scheme: Literal["external_https"] = Field(
        default="external_https", description="external_https, the only one: a global external Application Load "
                                              "Balancer (EXTERNAL_MANAGED)")
    forwarding_rules: int = Field(default=1, ge=1, description="one per frontend (HTTPS; add one for an "
                                                               "HTTP-to-HTTPS redirect)")
    data_processed_gb_per_month: Decimal | None = Field(default=None, ge=0,
                                                        description="request plus response bytes")
    traffic_share: Decimal | None = Field(default=None, ge=0, description="requests through it per user request, "
                                                                          "for the data processed (default: all "
                                                                          "requests)")
    domains: list[Hostname] = Field(default_factory=list, description="hostnames for the managed certificate")
    failover: Literal["active-active", "active-passive"] | None = Field(
        default=None, description="how backends in different regions share traffic: active-active (all "
                                  "serve; the load balancer drops an unhealthy region) or active-passive "
                                  "(the first backend serves; the others take over on failure). It also sets "
                                  "the requests of the components behind it that state no traffic_share: "
                                  "active-passive prices the standby's path idle, active-active splits the "
                                  "requests evenly across the regions")
    failover_trigger: Literal["automatic", "manual"] | None = Field(
        default=None, description="active-passive: manual, the only trigger it has (the load balancer serves "
                                  "from the first backend's region; the region-outage runbook moves it); "
                                  "automatic failover is active-active")
    failover_minutes: Decimal | None = Field(
        default=None, gt=0, description="time until traffic reaches the surviving region (default: "
                                        "archplan's stated assumption for the trigger)")

    def plan_problems(self, name: str, specs: dict) -> list[tuple[tuple, str]]:
        backends = routed_backends(specs, name)
        if not backends:
            return [(("depends_on",), "a load balancer needs a backend: list the " + ", ".join(BACKEND_KINDS[:-1])
                                      + f" or {BACKEND_KINDS[-1]} component it routes to")]
        clusters = [backend for backend in backends if specs[backend].kind == "gke"]
        if len(clusters) > 1:
            # each cluster's Ingress would claim this balancer's one static address, and only one can hold it
            return [(("depends_on",), f"it routes to the GKE clusters {', '.join(clusters[:-1])} and {clusters[-1]}, "
                                      "but a GKE Ingress is its own load balancer: give each cluster its own "
                                      "load_balancer component")]
        return []


BACKEND_KINDS = ("cloud_run", "cloud_functions", "gke", "compute_engine", "cloud_storage")
BACKEND_SERVICE_KINDS = tuple(k for k in BACKEND_KINDS if k != "cloud_storage")  # a bucket is a backend bucket
POLICY_KINDS = ("cloud_armor", "cloud_cdn")  # settings of a load balancer's backends, attached to one


def attached_to(specs: dict, name: str) -> str | None:
    """The load balancer a Cloud Armor policy or Cloud CDN configuration belongs to (`specs`: the plan's
    component specs by name), or None."""
    return _attachments(specs)[0].get(name)


def attached_policies(specs: dict, balancer: str) -> list[str]:
    """The Cloud Armor policies and Cloud CDN configurations attached to a load balancer, in plan order."""
    return _attachments(specs)[1].get(balancer, [])


_LAST: list = [None, None]  # the last specs asked about (by identity) and their _attachments


def _attachments(specs: dict) -> tuple[dict[str, str], dict[str, list[str]]]:
    """(policy -> load balancer, load balancer -> policies) for every Cloud Armor policy and Cloud CDN
    configuration attached to one: the one its load_balancer field names, else the first it depends on, else
    the first that depends on it, else the plan's only load balancer. Worked out once per plan (every load
    balancer and policy asks)."""
    if _LAST[0] is specs:
        return _LAST[1]
    depended_on_by: dict[str, str] = {}
    balancers = [name for name, body in specs.items() if body.kind == "load_balancer"]
    for name in balancers:
        for dependency in specs[name].depends_on:
            depended_on_by.setdefault(dependency.name, name)
    only = balancers[0] if len(balancers) == 1 else None
    found: dict[str, str] = {}
    by_balancer: dict[str, list[str]] = {}
    for name, body in specs.items():
        if body.kind not in POLICY_KINDS:
            continue
        balancer = body.load_balancer or next(
            (d.name for d in body.depends_on if d.name in specs and specs[d.name].kind == "load_balancer"),
            None) or depended_on_by.get(name) or only
        if balancer is not None:
            found[name] = balancer
            by_balancer.setdefault(balancer, []).append(name)
    _LAST[:] = [specs, (found, by_balancer)]
    return found, by_balancer


def regional_backends(specs: dict, balancer: str, default_region: str) -> dict[str, list[str]]:
    """A load balancer's compute backends by the region each runs in (buckets and global services left out):
    what `failover` moves traffic between."""
    from archplan.spec.load import component_region

    by_region: dict[str, list[str]] = {}
    for backend in routed_backends(specs, balancer):
        region = component_region(specs[backend], default_region)
        if specs[backend].category == "compute" and region is not None:
            by_region.setdefault(region, []).append(backend)
    return by_region


def fronting_policies(components) -> dict[str, list[tuple[str, list[str]]]]:
    """load balancer -> [(policy, what it forwards to)] for each Cloud CDN configuration or Cloud Armor policy
    attached by its `load_balancer` field (or, naming none, to the plan's only load balancer) that the load
    balancer does not list and that does not list the load balancer (it cannot: spec.load refuses that for Armor): the policy is a setting of the load balancer's backends
    (generate sets it there), so a request to those backends goes load balancer -> policy -> backend, and the
    policy is no way in of its own. A CDN is a step even when it names no origin (requests wait on its cache). An
    Armor policy that names nothing it forwards to guards the backend services the load balancer calls itself (not
    its buckets: generate sets security_policy on every backend service, none on a backend bucket); the callers
    give it the load balancer's edges to them (`guarded_edges`)."""
    by_name = {c.name: c for c in components}
    specs = {c.name: c.spec for c in components}
    found: dict[str, list[tuple[str, list[str]]]] = {}
    for policy in (c for c in components if c.kind in POLICY_KINDS):
        # the balancer generate attaches it to: its field, or the plan's only balancer (attached_to)
        lb = by_name.get(attached_to(specs, policy.name) or "")
        if lb is None or lb.kind != "load_balancer":
            continue
        if any(d.name == policy.name for d in lb.spec.depends_on) or \
                any(d.name == lb.name for d in policy.spec.depends_on):
            continue  # the plan already says where the policy sits
        forwards_to = [d.name for d in policy.spec.depends_on]
        if policy.kind == "cloud_armor" and not forwards_to:
            forwards_to = [d.name for d in lb.spec.depends_on if d.name in by_name
                           and by_name[d.name].kind in BACKEND_SERVICE_KINDS]
            if not forwards_to:
                continue  # buckets only: no backend service to set the policy on
        found.setdefault(lb.name, []).append((policy.name, forwards_to))
    return found


def guarded_edges(policy, lb_edges: list, forwards_to: list[str], target) -> list:
    """The edges of a policy attached by its field: its own depends_on when it states one (None), else the load
    balancer's edges to the backend services it guards (an Armor policy naming nothing)."""
    if policy.spec.depends_on:
        return None
    return [edge for edge in lb_edges if target(edge) in forwards_to]


def through_policy(edges: list, forwards_to: list[str], to_policy, target) -> list:
    """A load balancer's edges with those to what a policy forwards to replaced by `to_policy` (where the first
    of them was, else last). `target(edge)` is the component an edge of the load balancer reaches, None for
    others."""
    kept, at = [], None
    for edge in edges:
        if target(edge) in forwards_to:
            at = len(kept) if at is None else at
            continue
        kept.append(edge)
    kept.insert(len(kept) if at is None else at, to_policy)
    return kept


def routed_backends(specs: dict, balancer: str) -> list[str]:
    """What a load balancer routes requests to: the serverless services, GKE clusters, VMs and buckets it
    depends on, directly or through the Cloud Armor and Cloud CDN components it depends on or that are
    attached to it, in the order the plan gives them."""
    names: list[str] = []
    for dependency in specs[balancer].depends_on:
        target = specs.get(dependency.name)
        if target is None:
            continue
        names += [d.name for d in target.depends_on] if target.kind in POLICY_KINDS else [dependency.name]
    for policy in attached_policies(specs, balancer):
        names += [d.name for d in specs[policy].depends_on]
    return [n for n in dict.fromkeys(names) if n in specs and specs[n].kind in BACKEND_KINDS]


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    result = Usage()
    if spec.data_processed_gb_per_month is not None:
        if spec.traffic_share is not None:
            raise ctx.error("traffic_share", "give either data_processed_gb_per_month or traffic_share, not both")
        processed = spec.data_processed_gb_per_month
    else:
        requests = ctx.requests(None, spec.traffic_share, result,
                                key="data_processed_gb_per_month")
        processed = ctx.request_gib(requests, "data_processed_gb_per_month") + \
            ctx.response_gib(requests, "data_processed_gb_per_month")
    result.quantities["data_processed_gb"] = processed
    return result


@dataclass(frozen=True)
class Serving:
    """The share of the traffic model's requests a component behind a failover balancer serves, and why."""

    fraction: Decimal
    fraction_text: str  # e.g. "1/2", "0"
    mode: str  # what the balancer does with the regions
    role: str  # where this component sits among them
    standby: bool = False  # an active-passive standby: serves nothing until failover

    @property
    def why(self) -> str:
        return f"{self.mode}; {self.role}"


def serving_fractions(components: dict, default_region: str) -> dict[str, Serving]:
    """For the components behind a load balancer with `failover` over compute backends in several regions:
    the share of the requests each region serves (active-passive: the first backend's region all of it, the
    others none until failover; active-active: an even split across the regions, assumed), summed over the
    regions whose backends reach the component along `depends_on`. Components every region reaches (one
    database, one central service) serve it all and are left out, as is every component of a plan without
    such a balancer."""
    found: dict[str, Serving] = {}
    for balancer, spec in components.items():
        if spec.__dict__.get("failover") is None:  # a field of balancers only (getattr of a missing field is slow)
            continue
        by_region = regional_backends(components, balancer, default_region)
        if len(by_region) < 2:
            continue
        regions = list(by_region)
        if spec.failover == "active-passive":
            share = {region: (Decimal(index == 0), "1" if index == 0 else "0") for index, region in enumerate(regions)}
        else:
            share = {region: (Decimal(1) / len(regions), f"1/{len(regions)}") for region in regions}
        reached_by: dict[str, list[str]] = {}
        for region, backends in by_region.items():
            for name in _reached(components, backends, balancer):
                reached_by.setdefault(name, []).append(region)
        for name, regions_reaching in reached_by.items():
            if name in found or len(regions_reaching) == len(regions):
                continue
            fraction = sum((share[region][0] for region in regions_reaching), Decimal(0))
            text = " + ".join(share[region][1] for region in regions_reaching)
            where = ", ".join(regions_reaching)
            if spec.failover == "active-passive":
                standby = fraction == 0
                mode = (f"{balancer} is active-passive: {regions[0]} serves every request and "
                        + ", ".join(regions[1:]) + " stands by until failover")
                role = (f"{name} is in the standby's path ({where}), so it is priced idle: only what it costs "
                        "with no traffic (e.g. min_instances)" if standby else
                        f"{name} is in the serving region's path ({where})")
            else:
                standby = False
                mode = (f"{balancer} is active-active over {', '.join(regions)}: requests split evenly across "
                        f"the {len(regions)} regions (assumed; the load balancer sends each user to the nearest "
                        "healthy region)")
                role = f"{name} serves {where}'s share"
            found[name] = Serving(fraction, text, mode, role, standby)
    return found


def _reached(components: dict, start: list[str], balancer: str) -> list[str]:
    """The components `start` reach along depends_on (themselves included), in the order first met."""
    seen = dict.fromkeys(start)
    queue = list(start)
    while queue:
        for dependency in components[queue.pop(0)].depends_on:
            if dependency.name in components and dependency.name not in seen and dependency.name != balancer:
                seen[dependency.name] = None
                queue.append(dependency.name)
    return list(seen)
