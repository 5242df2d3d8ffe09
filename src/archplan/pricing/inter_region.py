"""Data moved between two regions over Google's network, priced per GiB by the continents of its source and
destination (catalog inter_region): database and cache replication, dual-region bucket replication, and
service calls along `depends_on` whose two ends run in different regions."""
from __future__ import annotations

from decimal import Decimal

from archplan import catalog
from archplan.components.base import KIB_PER_GIB, Component
from archplan.pricing.base import Charge, charge

WITHIN = {"North America": "within_north_america", "Europe": "within_europe", "Asia": "within_asia",
          "South America": "within_south_america", "Oceania": "within_oceania"}
FAR_REGIONS = ("asia-southeast2",)  # Jakarta: in Google's "Indonesia and Oceania" class
# Calls that move data between regions: to services and data stores. Calls to Google API services
# (Secret Manager, Endpoints, Vertex AI, logging) are billed by those services, not as VM-to-VM transfer.
CARRYING_CATEGORIES = ("compute", "data")


def continent(location: str) -> str:
    """The continent of a region, or of a dual/multi-region location (its first member's)."""
    regions = catalog.regions()
    if location in regions:
        return regions[location]["continent"]
    members = catalog.locations().get(location, {}).get("regions") or []
    return regions[members[0]]["continent"] if members and members[0] in regions else \
        catalog.locations().get(location, {}).get("continent", "")


def _price_group(location: str) -> str:
    """The continent a location is priced with: Jakarta goes with Oceania, as Google's classes have it."""
    return "Oceania" if location in FAR_REGIONS else continent(location)


def rate_sku(source: str, destination: str) -> str:
    """The inter_region SKU for data sent from one region (or location) to another."""
    here, there = _price_group(source), _price_group(destination)
    if here == there and here in WITHIN:
        return WITHIN[here]
    if "Oceania" in (here, there):
        return "intercontinental_oceania"
    return "intercontinental"


def transfer(component: Component, source: str, destination: str, gib: Decimal, what: str,
             note: str = "") -> Charge:
    """One charge for `gib` sent from `source` to `destination`, billed to `component`."""
    line = charge(component, "inter_region", rate_sku(source, destination), gib,
                  f"{what}: {source} -> {destination}", region="global", free_tier=False, note=note)
    line.category = "network"
    line.location = source
    return line


def edge_gib(caller: Component, dependency, traffic) -> tuple[Decimal | None, str]:
    """(GiB a month along a caller's edge, how it was obtained): the edge's own figure, else one call per
    request the caller serves, carrying the traffic model's request + response size."""
    if dependency.gib_per_month is not None:
        return dependency.gib_per_month, f"depends_on {dependency.name}: gib_per_month"
    requests = caller.usage.get("requests", None)
    if requests is None or traffic.avg_request_kib is None or traffic.avg_response_kib is None:
        return None, ""
    size_kib = traffic.avg_request_kib + traffic.avg_response_kib
    gib = requests * size_kib / KIB_PER_GIB
    return gib, (f"{requests:,.0f} requests x ({traffic.avg_request_kib} + {traffic.avg_response_kib}) KiB / "
                 f"1,048,576 = {gib:,.2f} GiB (one call per request the caller serves; set "
                 f"depends_on.gib_per_month to override)")


def cross_region_edges(plan) -> list[tuple[Component, object, Component, str, str]]:
    """(caller, its depends_on entry, callee, caller's region, callee's region) of every call along depends_on
    whose ends are in different regions. Global services and multi-region locations are in none."""
    from archplan.spec.load import component_region

    by_name = {c.name: c for c in plan.components}
    # each carrying component's single region (None: global or multi-region), found once, not once an edge
    region_of = {c.name: component_region(c.spec, plan.region) for c in plan.components
                 if c.category in CARRYING_CATEGORIES}
    if len({region for region in region_of.values() if region is not None}) < 2:
        return []  # every call stays in its region (a one-region plan)
    edges = []
    for caller in plan.components:
        here = region_of.get(caller.name)
        if here is None:
            continue
        for dependency in caller.spec.depends_on:
            callee = by_name.get(dependency.name)
            if callee is None or callee.name not in region_of:
                continue
            there = region_of[callee.name]
            if there is not None and there != here:
                edges.append((caller, dependency, callee, here, there))
    return edges


def cross_region_calls(plan) -> tuple[list[tuple[Component, Charge]], list[str]]:
    """Calls along depends_on whose ends are in different regions, billed to the caller: the request leaves
    the caller's region, the response the callee's. Global services and multi-region locations carry no
    inter-region charge here (their own pricing covers it)."""
    out: list[tuple[Component, Charge]] = []
    unpriced: list[str] = []
    for caller, dependency, callee, here, there in cross_region_edges(plan):
        gib, how = edge_gib(caller, dependency, plan.traffic)
        if gib is None:
            unpriced.append(f"{caller.name} -> {callee.name} crosses regions ({here} -> {there}) but "
                            "carries no priced traffic: set depends_on.gib_per_month")
            continue
        traffic = plan.traffic
        stated = dependency.gib_per_month is not None or not (traffic.avg_request_kib or traffic.avg_response_kib)
        request_share = Decimal("0.5") if stated else \
            traffic.avg_request_kib / (traffic.avg_request_kib + traffic.avg_response_kib)
        out.append((caller, transfer(caller, here, there, gib * request_share, f"calls to {callee.name}", how)))
        out.append((caller, transfer(caller, there, here, gib * (1 - request_share),
                                     f"responses from {callee.name}", how)))
    return out, unpriced
