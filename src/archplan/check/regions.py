"""Plans that span regions: availability of a load balancer's backends in several regions composed in
parallel by its failover mode, the promotion of cross-region replicas and the failover times the region-outage
recovery rows (check/recovery/<kind>.py) use, and the failure-scenario table (docs/design/multi-region.md).

A single-region plan gets none of this: every function here returns nothing for it, so its reports stay
as they were.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from archplan import catalog
from archplan.check import minutes_text

SCENARIOS = ("zone outage", "region outage", "bad deploy", "data corruption")


def _fact(key: str) -> float:
    return float(catalog.service("availability").fact(key).decimal)


def is_multi_region(plan) -> bool:
    """Anything placed outside the project region, replicated to another region, or failing over; or a claim
    about a region outage in this environment (the plan asks what losing a region costs). Remembered on the
    plan: the recovery rows, the scenario table and a rule each ask."""
    from archplan.plan import remembered

    return remembered(plan, "_multi_region", _multi_region)


def _multi_region(plan) -> bool:
    from archplan.spec.load import component_region

    default = plan.spec.project.default_environment
    if any(c.scenario == "region outage" and (c.environment or default) == plan.environment
           for c in plan.spec.claims):
        return True

    for component in plan.components:
        spec = component.spec
        if getattr(spec, "cross_region_replicas", None) or getattr(spec, "failover", None):
            return True
        if getattr(spec, "turbo_replication", False):
            return True
        region = component_region(spec, plan.region)
        if region is not None and region != plan.region:
            return True
    return False


def region_of(plan, name: str) -> str | None:
    from archplan.spec.load import component_region

    component = plan.component(name)
    return component_region(component.spec, plan.region)


def failover_minutes(spec) -> tuple[float, str]:
    """(minutes until traffic reaches the surviving region, how): the plan's figure or the assumption for the
    trigger (manual adds the time to notice and decide)."""
    if spec.failover_minutes is not None:
        return float(spec.failover_minutes), "failover_minutes (stated)"
    automatic = _fact("lb_failover_automatic_minutes")
    if spec.failover_trigger == "manual" or spec.failover == "active-passive":
        decision = _fact("manual_failover_decision_minutes")
        return automatic + decision, (f"manual: {decision:g} min to notice and decide (assumed) + {automatic:g} min "
                                      "to move traffic (assumed)")
    return automatic, f"health checks move traffic in ~{automatic:g} min (assumed)"


@dataclass
class RegionBlock:
    region: str
    backends: list[str]
    components: list[str]  # what only this region's requests wait on
    percent: float


def compose(plan, g, entry: str, available, slo):
    """(one EntryPath, the backends it covers) for an entry whose routing choice is a load balancer with
    `failover` over services in several regions; None when the entry has no such balancer (the caller
    composes it in series as before). The balancer's other routes (a backend bucket) keep their own paths.

    In each region the weakest way through it is taken (one route of each router on the way). Shared
    components (waited on by every region, e.g. one database) stay in series; what only one region's requests
    wait on is a region block. active-active: 1 - prod(1 - A_region); active-passive: the same, plus
    the failover time paid once per failure of the serving region."""
    from archplan.check.availability import MINUTES_PER_MONTH, MINUTES_PER_YEAR, EntryPath, series

    kinds = g.kinds
    routers = [n for n in g.reachable([entry]) if kinds[n] == "load_balancer"]
    balancer = next((n for n in routers if getattr(_spec(plan, n), "failover", None)), None)
    if balancer is None:
        return None
    spec = _spec(plan, balancer)
    under = g.reachable(g.sync(balancer))
    prefix = g.reachable([entry]) - under | {balancer}
    if any(set(g.routes.get(n, [])) - prefix for n in prefix if n != balancer):
        return None  # another routing choice before the balancer: leave the branches as they are
    by_region: dict[str, list[str]] = {}
    categories = {c.name: c.category for c in plan.components}
    for backend in g.routes.get(balancer, []):
        if categories[backend] == "compute":  # a backend bucket is its own route, not a region's service
            by_region.setdefault(region_of(plan, backend) or plan.region, []).append(backend)
    if len(by_region) < 2:
        return None
    from archplan.check.availability import branches

    # in each region, the weakest way a request can go (one route of each router it passes)
    ways = {region: [names for backend in backends for _chosen, names in branches(g, backend)]
            for region, backends in by_region.items()}
    reach = {region: set(min(names, key=lambda names: series([available[n].percent for n in names])))
             for region, names in ways.items()}
    routes = max(len(set(names)) for names in ways.values())
    shared = set.intersection(*reach.values())
    blocks = [RegionBlock(region, backends, g.ordered(reach[region] - shared),
                          series([available[n].percent for n in reach[region] - shared]))
              for region, backends in by_region.items()]
    serial = g.ordered((prefix | shared) | set(g.calls.get(balancer, [])))
    serial_percent = series([available[n].percent for n in serial])
    down = [1 - b.percent / 100 for b in blocks]
    how = spec.failover
    fraction = 0.0
    text_extra = ""
    if how == "active-passive":
        minutes, basis = failover_minutes(spec)
        outage = _fact("regional_outage_mean_minutes")
        fraction = min(minutes, outage) / outage
        text_extra = (f" + failovers {down[0]:.6f} x min({minutes:g}, {outage:g}) / {outage:g} min per outage "
                      f"({basis}; {outage:g} min per outage assumed) x (1 - {math.prod(down[1:]):.6f})")
    block_down = blocks_down([b.percent for b in blocks], fraction)
    percent = serial_percent * (1 - block_down)
    blocks_text = " x ".join(f"(1 - {b.percent / 100:.6f} [{b.region}: {', '.join(b.components)}])" for b in blocks)
    expression = (" x ".join(f"{available[n].percent:g}% ({n})" for n in serial)
                  + f" x (1 - [{blocks_text}{text_extra}]) = {percent:.3f}% ({how} over "
                  + ", ".join(b.region for b in blocks) + ")")
    names = g.ordered(set(serial) | set().union(*(set(b.components) for b in blocks)))
    total_down = 1 - percent / 100
    unavail = {n: available[n].unavailability for n in serial}
    dominant = max(unavail, key=unavail.get) if unavail and max(unavail.values()) > block_down else \
        max((n for b in blocks for n in b.components), key=lambda n: available[n].unavailability, default=None)
    target = float(slo) if slo is not None else None
    label = f"{entry} -> {balancer} ({how}: " + " | ".join(b.region for b in blocks) + ")" if entry != balancer \
        else f"{entry} ({how}: " + " | ".join(b.region for b in blocks) + ")"
    path = EntryPath(entry, names, percent, name=label, kind="request", slo_percent=target,
                     downtime_minutes_per_month=total_down * MINUTES_PER_MONTH,
                     downtime_minutes_per_year=total_down * MINUTES_PER_YEAR,
                     error_budget_minutes_per_month=(1 - target / 100) * MINUTES_PER_MONTH if target is not None else None,
                     dominant=dominant, expression=expression, alternatives=[b.components for b in blocks],
                     serial=serial, failover_fraction=fraction, region_routes=routes)
    return path, {b for block in blocks for b in block.backends}


def blocks_down(percents: list[float], fraction: float = 0.0) -> float:
    """The chance no region serves, from each region block's availability (percent; the first is the serving
    region): all down at once, plus, with active-passive failover, the serving region's outages while traffic
    moves (fraction: the failover time over the mean outage, at most 1) that the others would have covered."""
    down = [1 - p / 100 for p in percents]
    parallel_down = math.prod(down)
    extra = down[0] * fraction * (1 - parallel_down / down[0] if down[0] else 1) if fraction else 0.0
    return min(1.0, parallel_down + extra)


def recovery_fix(plan, attr: str, row, default: str) -> str:
    """What to change when a region outage's recovery misses a target, for the component setting it; `default`
    (the zone-outage and restore advice) for the other scenarios. HA and point-in-time recovery do not help
    when a region is lost."""
    if row.scenario != "region outage":
        return default
    component = plan.component(row.component)
    if attr == "rpo_minutes" and component.kind == "cloud_storage" and component.spec.location_type == "region":
        return ("a dual-region location (turbo replication: a 15-minute target) instead of one region, or a copy "
                "in a bucket in another region, or promise what the configuration gives")
    if attr == "rpo_minutes" and component.kind == "cloud_storage":
        return ("a dual-region bucket loses what it has not replicated yet: turbo replication's 15-minute target "
                "is the least Cloud Storage offers (default replication: 99.9% of objects within 60 min); for less, "
                "write each object to a bucket in each region from the application, or promise what it gives")
    if component.kind == "load_balancer":
        return ("a backend in a second region and failover on the load balancer (active-active moves traffic by "
                "itself), or promise what the configuration gives")
    if attr == "rpo_minutes":
        return ("a cross-region replica (the data lost is its replication lag) or a multi-region location, or "
                "promise what the configuration gives")
    return ("shorten the switch to the other region (promotion: automatic where the service offers it, "
            "promotion_minutes as rehearsed with the region-outage runbook), a cross-region replica or a "
            "multi-region location where there is none, or promise what the configuration gives")


def _spec(plan, name: str):
    return plan.component(name).spec


def promotion(replica, kind: str) -> tuple[float, float, str]:
    """(RTO minutes, RPO minutes, how) of promoting a cross-region replica: the decision time when manual,
    the promotion itself, and the replication lag as the data lost."""
    prefix = "cloud_sql" if kind == "cloud_sql" else "memorystore"
    if replica.promotion_minutes is not None:
        promote, promote_how = float(replica.promotion_minutes), "promotion_minutes (stated)"
    else:
        promote = _fact(f"{prefix}_cross_region_promotion_minutes" if prefix == "memorystore"
                        else "cloud_sql_promotion_minutes")
        promote_how = f"promotion ~{promote:g} min (assumed)"
    decision = _fact("manual_failover_decision_minutes") if replica.promotion == "manual" else 0.0
    if replica.lag_seconds is not None:
        lag, lag_how = float(replica.lag_seconds) / 60, f"lag_seconds {replica.lag_seconds} (stated)"
    else:
        lag = _fact(f"{prefix}_cross_region_lag_seconds") / 60
        lag_how = f"asynchronous replication ~{lag * 60:g} s behind (assumed)"
    steps = (f"{decision:g} min to notice and decide (manual, assumed) + " if decision else
             "started by the plan's own automation (promotion: automatic; no operator's decision): ") + promote_how
    if getattr(replica, "dr_replica", False):
        # Advanced DR: the same promotion (Google gives no duration), but the old primary rejoins as a replica and
        # failing back is a switchover, which Google documents as losing no data.
        return decision + promote, lag, (
            f"replica failover to the designated DR replica in {replica.region}: {steps} = {decision + promote:g} min; "
            f"data lost: {lag_how}; the old primary rejoins as its replica and fail-back is a switchover with no "
            "data loss")
    return decision + promote, lag, (f"promote the replica in {replica.region}: {steps} = {decision + promote:g} min; "
                                     f"data lost: {lag_how}")


@dataclass
class ScenarioRow:
    scenario: str
    rto_minutes: float
    rpo_minutes: float
    worst_rto: str | None  # the component that sets the RTO
    worst_rpo: str | None
    basis: str
    peak_served_percent: float | None = None  # region outage behind an active-active balancer: of the peak load


def scenario_table(plan, recovery: list) -> list[ScenarioRow]:
    """What the plan supports per failure scenario: the slowest recovery and the largest data loss among its
    stateful components (a bad deploy that damages data is undone like data corruption). Empty for a
    single-region plan."""
    if not is_multi_region(plan):
        return []
    out = []
    for scenario in SCENARIOS:
        source = "data corruption" if scenario == "bad deploy" else scenario
        rows = [r for r in recovery if r.scenario == source]
        if not rows:
            out.append(ScenarioRow(scenario, 0.0, 0.0, None, None, "no stateful component is affected"))
            continue
        rto = max(rows, key=lambda r: r.rto_minutes)
        rpo = max(rows, key=lambda r: r.rpo_minutes)
        basis = ("stateless services roll back to the previous revision; damaged data is restored as for data "
                 "corruption: " if scenario == "bad deploy" else "") + "; ".join(
            f"{r.component}: RTO {minutes_text(r.rto_minutes)}, RPO {minutes_text(r.rpo_minutes)}" for r in rows)
        served = None
        if scenario == "region outage":
            capacity, served = _capacity_left(plan)
            basis += capacity
        out.append(ScenarioRow(scenario, rto.rto_minutes, rpo.rpo_minutes, rto.component, rpo.component, basis,
                               served))
    return out


def _capacity_left(plan) -> tuple[str, float | None]:
    """The region-outage row's word on capacity: per active-active balancer, the region whose loss leaves the
    least of the peak load carried, and the share of the peak still served (None: no such balancer)."""
    worst: dict[str, RegionLoss] = {}
    for loss in region_losses(plan):
        if loss.balancer not in worst or loss.capacity_rps - loss.load_rps < \
                worst[loss.balancer].capacity_rps - worst[loss.balancer].load_rps:
            worst[loss.balancer] = loss
    if not worst:
        return "", None
    parts = []
    for loss in worst.values():
        if loss.short:
            parts.append(f"{loss.balancer}: without {loss.lost} the backends left carry {loss.capacity_rps:,.1f} "
                         f"of the peak {loss.load_rps:,.1f} req/s ({loss.served_percent:.0f}% served)")
        else:
            parts.append(f"{loss.balancer}: without any one region the backends left carry the peak "
                         f"{loss.load_rps:,.1f} req/s (least left: {loss.capacity_rps:,.1f} req/s, without {loss.lost})")
    return "; " + "; ".join(parts), min(loss.served_percent for loss in worst.values())


@dataclass
class BackendCapacity:
    name: str  # a backend of the balancer (a GKE cluster: its deployments together)
    region: str
    peak_rps: float  # what it serves at peak with every region up
    capacity_rps: float  # what it can serve at the autoscaler's target utilisation, at its scaling cap
    formula: str


@dataclass
class RegionLoss:
    """One region of an active-active load balancer lost: the whole peak load through the balancer against
    what the backends in the other regions can carry."""

    balancer: str
    lost: str
    regions: list[str]
    load_rps: float
    load_formula: str
    left: list[BackendCapacity]
    lost_backends: list[BackendCapacity]
    target: float

    @property
    def capacity_rps(self) -> float:
        return sum(b.capacity_rps for b in self.left)

    @property
    def short(self) -> bool:
        return self.capacity_rps < self.load_rps

    @property
    def served_percent(self) -> float:
        return 100.0 if self.load_rps <= 0 else min(100.0, self.capacity_rps / self.load_rps * 100)

    def arithmetic(self) -> str:
        left = "; ".join(b.formula for b in self.left) + \
            (f"; together {self.capacity_rps:,.1f} req/s" if len(self.left) > 1 else "")
        verdict = (f"{self.capacity_rps:,.1f} < {self.load_rps:,.1f} req/s: {self.load_rps - self.capacity_rps:,.1f} "
                   f"req/s at peak ({100 - self.served_percent:.0f}%) are more than the scaling caps left can serve "
                   f"until {self.lost} returns" if self.short else
                   f"{self.capacity_rps:,.1f} >= {self.load_rps:,.1f} req/s: the peak is carried")
        return (f"without {self.lost} the peak through {self.balancer} is {self.load_formula}; the backends left "
                f"carry {left}; {verdict}")


def _backend_capacity(name: str, region: str, rows: list, target: float) -> BackendCapacity:
    """A backend's peak load and its capacity at the scaling cap, from the rows `check` sizes it with (the
    same model as CAP-001: instances = ceil(peak x service time / (per instance x target)), so the cap carries
    max instances x per instance x target / service time requests a second)."""
    parts, capacity = [], 0.0
    for row in rows:
        per = row.concurrency if row.long_lived else row.per_instance
        seconds = row.service_time_ms / 1000
        carried = row.max_instances * per * target / seconds if seconds > 0 else math.inf
        capacity += carried
        parts.append(f"{row.max_instances} max instances x {per} at once x {target:g} target / {seconds:g} s = "
                     f"{carried:,.1f} req/s")
    label = f"{name} ({region}): " + (parts[0] if len(parts) == 1 else " + ".join(f"({p})" for p in parts))
    return BackendCapacity(name, region, sum(r.peak_rps for r in rows), capacity, label)


def region_losses(plan) -> list[RegionLoss]:
    """For each load balancer with failover active-active over compute backends in two or more regions, each
    region lost in turn. Empty when a backend has no capacity model (e.g. VMs), for a single-region plan and for
    active-passive (whose standby `check` already sizes for the whole load). Remembered on the plan."""
    from archplan.plan import remembered

    return remembered(plan, "_region_losses", _region_losses)


def _region_losses(plan) -> list[RegionLoss]:
    from archplan.check.capacity import component_loads, peak_of
    from archplan.components.load_balancer import routed_backends

    if not is_multi_region(plan):
        return []
    specs = {c.name: c.spec for c in plan.components}
    by_name = {c.name: c for c in plan.components}
    peak, peak_assumed = peak_of(plan)
    target = float(plan.spec.checks.target_utilization)
    out = []
    for balancer in plan.components:
        if balancer.kind != "load_balancer" or balancer.spec.failover != "active-active":
            continue
        backends = []
        for name in routed_backends(specs, balancer.name):
            if by_name[name].category != "compute":
                continue
            rows = component_loads(plan, by_name[name], peak, target, peak_assumed)
            if not rows:
                backends = None  # a backend without a capacity model: no verdict for this balancer
                break
            backends.append(_backend_capacity(name, region_of(plan, name) or plan.region, rows, target))
        if not backends:
            continue
        regions = list(dict.fromkeys(b.region for b in backends))
        if len(regions) < 2:
            continue
        load = sum(b.peak_rps for b in backends)
        load_formula = " + ".join(f"{b.name} {b.peak_rps:,.1f}" for b in backends) + f" = {load:,.1f} req/s"
        for lost in regions:
            out.append(RegionLoss(balancer.name, lost, regions, load, load_formula,
                                  [b for b in backends if b.region != lost],
                                  [b for b in backends if b.region == lost], target))
    return out
