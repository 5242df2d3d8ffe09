"""Composite availability along the request path, downtime and error budget, recovery time and point.

Each component's availability is the published SLA of its configuration (catalog facts), or an
assumption where Google offers none (said so in the report), or the plan's own override. The request
path is every component reachable from an entry point (a component nothing depends on; never an
external service: vendors count where the plan calls them) through critical `depends_on` edges; the
system is up when all of them are (series). Identical copies in different zones count in parallel.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from archplan import catalog
from archplan.check import Finding
from archplan.check.sla import choose

MINUTES_PER_MONTH = 730 * 60
MINUTES_PER_YEAR = 8760 * 60
# A single-zone resource without a published SLA is assumed as available as one Compute Engine VM.
NO_SLA_BASIS = "compute_engine_single_instance"
OFF_PATH_CATEGORIES = ("operations",)


@dataclass
class ComponentAvailability:
    name: str
    kind: str
    percent: float
    configuration: str
    basis: str  # sla | assumed | stated
    source: str = ""

    @property
    def unavailability(self) -> float:
        return 1 - self.percent / 100


@dataclass
class EntryPath:
    entry: str
    components: list[str]
    percent: float


@dataclass
class Recovery:
    component: str
    scenario: str
    rto_minutes: float
    rpo_minutes: float
    basis: str


@dataclass
class AvailabilityResult:
    components: dict[str, ComponentAvailability]
    path: list[str]
    entries: list[EntryPath]
    composite_percent: float
    downtime_minutes_per_month: float
    downtime_minutes_per_year: float
    slo_percent: float | None
    error_budget_minutes_per_month: float | None
    dominant: str | None
    recovery: list[Recovery] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)


def _fact(key: str):
    return catalog.service("availability").fact(key)


def component_availability(component) -> ComponentAvailability:
    spec = component.spec
    if spec.availability_percent is not None:
        return ComponentAvailability(component.name, component.kind, float(spec.availability_percent),
                                     "stated in the plan", "stated", "availability_percent")
    choice = choose(component.kind, spec)
    if choice is None:
        basis = _fact(NO_SLA_BASIS)
        return ComponentAvailability(component.name, component.kind, float(basis.decimal),
                                     f"{component.kind}: no SLA modelled", "assumed",
                                     f"assumed equal to one Compute Engine VM's SLA ({basis.source})")
    if choice.parallel > 1 and choice.single_fact:
        single = _fact(choice.single_fact)
        if single.value is not None:
            one_down = 1 - float(single.decimal) / 100
            percent = (1 - one_down ** choice.parallel) * 100
            return ComponentAvailability(component.name, component.kind, percent,
                                         f"{choice.configuration}: {choice.parallel} copies in parallel",
                                         "sla", single.source)
    fact = _fact(choice.fact) if choice.fact else None
    if fact is None or fact.value is None:
        basis = _fact(NO_SLA_BASIS)
        return ComponentAvailability(component.name, component.kind, float(basis.decimal),
                                     f"{choice.configuration}: no published SLA", "assumed",
                                     f"assumed equal to one Compute Engine VM's SLA, {basis.decimal}% "
                                     f"({basis.source}); set availability_percent to override")
    return ComponentAvailability(component.name, component.kind, float(fact.decimal), choice.configuration,
                                 "sla", fact.source)


def _critical_edges(plan) -> tuple[set[str], dict[str, list[str]]]:
    """(components that can be on the request path, their critical dependencies among them)."""
    on_path = {c.name for c in plan.components if c.category not in OFF_PATH_CATEGORIES}
    edges = {c.name: [d.name for d in c.spec.depends_on if d.critical and d.name in on_path]
             for c in plan.components if c.name in on_path}
    return on_path, edges


def _reachable(plan, edges: dict[str, list[str]], starts: list[str]) -> list[str]:
    """Every component reachable from `starts` through `edges`, in plan order."""
    seen: set[str] = set()
    stack = list(starts)
    while stack:
        name = stack.pop()
        if name not in seen:
            seen.add(name)
            stack.extend(edges.get(name, []))
    return [c.name for c in plan.components if c.name in seen]


def request_path(plan) -> tuple[list[str], list[str]]:
    """(components on the request path in plan order, entry points)."""
    by_name = {c.name: c for c in plan.components}
    on_path, edges = _critical_edges(plan)
    # Entry points are what nothing depends on, softly or not: a job fed by a queue is not a user's way in.
    targets = {d.name for c in plan.components if c.name in on_path for d in c.spec.depends_on if d.name in on_path}
    roots = [name for name in edges if name not in targets and (edges[name] or not targets)]
    entries: list[str] = []
    seen: set[str] = set()
    while roots:  # an external root (say a third-party CDN) hands users on to what it calls
        name = roots.pop(0)
        if name in seen:
            continue
        seen.add(name)
        if by_name[name].kind == "external":
            roots += edges[name]
        elif name not in entries:
            entries.append(name)
    if not entries:
        entries = [name for name in edges if by_name[name].kind != "external"]
    return _reachable(plan, edges, entries), entries


def series(percents: list[float]) -> float:
    return math.prod(p / 100 for p in percents) * 100


def analyse(plan) -> AvailabilityResult:
    components = {c.name: component_availability(c) for c in plan.components}
    path, entries = request_path(plan)
    composite = series([components[name].percent for name in path]) if path else 100.0
    down = 1 - composite / 100
    slo = plan.spec.slo.availability_percent if plan.spec.slo else None
    dominant = max(path, key=lambda name: components[name].unavailability) if path else None
    assumptions = [f"{a.name}: {a.configuration}: {a.percent:g}% assumed ({a.source})"
                   for a in components.values() if a.basis == "assumed" and a.name in path]
    _on_path, edges = _critical_edges(plan)
    entry_paths = [EntryPath(entry, names := _reachable(plan, edges, [entry]),
                             series([components[n].percent for n in names])) for entry in entries]
    return AvailabilityResult(
        components=components, path=path, entries=entry_paths, composite_percent=composite,
        downtime_minutes_per_month=down * MINUTES_PER_MONTH, downtime_minutes_per_year=down * MINUTES_PER_YEAR,
        slo_percent=float(slo) if slo is not None else None,
        error_budget_minutes_per_month=(1 - float(slo) / 100) * MINUTES_PER_MONTH if slo is not None else None,
        dominant=dominant, recovery=recovery(plan), assumptions=assumptions)


def _minutes(fact_key: str, default_seconds: float | None = None) -> float | None:
    fact = _fact(fact_key)
    if fact.value is None:
        return default_seconds / 60 if default_seconds is not None else None
    return float(fact.decimal) / 60


def recovery(plan) -> list[Recovery]:
    """Recovery time and point for each stateful component, by failure scenario."""
    rows: list[Recovery] = []
    backup_hours = float(_fact("cloud_sql_backup_frequency_hours").decimal)
    for component in plan.components:
        spec = component.spec
        if component.kind == "cloud_sql":
            if spec.ha:
                failover = _minutes("cloud_sql_ha_failover_seconds")
                rows.append(Recovery(component.name, "zone outage", failover, 0.0,
                                     f"HA failover to the standby, which starts after ~{failover:g} min without a "
                                     "heartbeat (Google publishes no total time); synchronous replication"))
            if spec.backups.enabled and spec.backups.pitr:
                rpo, how = 5.0, "point-in-time recovery from transaction logs (assumed within 5 min)"
            elif spec.backups.enabled:
                rpo, how = backup_hours * 60, f"last daily automated backup (up to {backup_hours:g} h lost)"
            else:
                rpo, how = math.inf, "no backups: data cannot be recovered"
            # Restoring means creating an instance and copying the data in: assumed an hour for a small DB.
            rto = 60.0 if rpo != math.inf else math.inf
            scenario = "zone outage" if not spec.ha else "data loss or corruption"
            rows.append(Recovery(component.name, scenario, rto, rpo,
                                 f"restore into a new instance (assumed 60 min) from {how}"))
        elif component.kind == "memorystore_redis":
            if spec.tier == "standard":
                failover = _minutes("memorystore_standard_failover_seconds")
                known = failover is not None
                failover = failover if known else 1.0
                rows.append(Recovery(component.name, "node or zone outage", failover, 1 / 60,
                                     f"failover to the replica ({'~' if known else 'not published; assumed '}"
                                     f"{failover:g} min); asynchronous replication loses the last second or so "
                                     "of writes"))
            else:
                snapshot = {"1h": 60, "6h": 360, "12h": 720, "24h": 1440}.get(spec.rdb_snapshot_period or "", math.inf)
                rows.append(Recovery(component.name, "node or zone outage", 15.0, snapshot,
                                     "Basic tier: a new empty node (assumed 15 min); data since the last RDB "
                                     "snapshot is lost" if snapshot != math.inf else
                                     "Basic tier, no persistence: all cached data is lost (assumed 15 min to "
                                     "replace the node)"))
    return rows


def findings(plan, result: AvailabilityResult) -> list[Finding]:
    out: list[Finding] = []
    line = plan.spec.line_of
    if result.slo_percent is not None and result.composite_percent < result.slo_percent:
        dominant = result.components[result.dominant]
        out.append(Finding(
            "AVAIL-001", "error", "availability", "the request path cannot meet the availability SLO",
            f"composite availability along the path ({', '.join(result.path)}) is "
            f"{result.composite_percent:.3f}% = product of {' x '.join(f'{result.components[n].percent:g}%' for n in result.path)}; "
            f"the SLO is {result.slo_percent:g}%. Expected downtime {result.downtime_minutes_per_month:.1f} min a "
            f"month ({result.downtime_minutes_per_year / 60:.1f} h a year) against an error budget of "
            f"{result.error_budget_minutes_per_month:.1f} min a month. The largest share comes from "
            f"{dominant.name} ({dominant.configuration}, {dominant.percent:g}%).",
            f"raise the weakest links first: {dominant.name}; HA configurations (Cloud SQL HA, Redis Standard, "
            "regional GKE with 2+ replicas) or a lower SLO",
            component=dominant.name, line=line(("slo", "availability_percent"))))
    for name in result.path:
        availability = result.components[name]
        if availability.basis == "assumed":
            out.append(Finding(
                "AVAIL-002", "warning", "availability", "a component on the request path has no SLA",
                f"{availability.configuration}: Google publishes no SLA for it; archplan assumes "
                f"{availability.percent:g}% ({availability.source}).",
                "use a configuration with an SLA, or state the figure you rely on with availability_percent",
                component=name, line=line(("components", name))))
    slo = plan.spec.slo
    objectives = (("rto_minutes", "AVAIL-003", "recovery time objective not met", "recovery takes about",
                   "HA with automatic failover for the stateful components on the path"),
                  ("rpo_minutes", "AVAIL-004", "recovery point objective not met", "data lost can reach",
                   "enable backups with point-in-time recovery (and HA for zone outages)"))
    for row in result.recovery:
        for attr, code, title, verb, fix in objectives:
            target = getattr(slo, attr) if slo else None
            if target is not None and getattr(row, attr) > float(target):
                out.append(Finding(
                    code, "error", "availability", title,
                    f"{row.scenario}: {verb} {_fmt_minutes(getattr(row, attr))} ({row.basis}); the target "
                    f"({attr.replace('_minutes', '').upper()}) is {target} min.",
                    fix, component=row.component, line=line(("slo", attr))))
    if result.slo_percent is None:
        out.append(Finding(
            "AVAIL-005", "info", "availability", "no availability SLO to check against",
            f"composite availability of the request path is {result.composite_percent:.3f}% "
            f"({result.downtime_minutes_per_month:.1f} min of downtime a month).",
            "set slo.availability_percent", line=line(("slo",)) or line(("project",))))
    return out


def _fmt_minutes(minutes: float) -> str:
    if minutes == math.inf:
        return "everything (no backup)"
    if minutes < 1:
        return f"{minutes * 60:.0f} s"
    if minutes >= 120:
        return f"{minutes / 60:g} h"
    return f"{minutes:g} min"
