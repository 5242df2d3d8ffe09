"""`archplan scale`: the plan under growing load, as its own settings would run it.

`scale(path, points, ...)` returns plain data: for each load point the phase in force, the monthly cost
per component and per user, the instances (or pods) each service needs at the peak; for each component
the first limit it reaches and the load at which it does; for each phase its cost over its range and the
audit of the range its document states. Renderers in `archplan.scale.render` and `archplan.scale.chart`.
"""
from __future__ import annotations

from decimal import Decimal

from archplan import assess
from archplan.analysis.cost import cost_totals
from archplan.components.base import DAYS_PER_MONTH
from archplan.components.gke import running_nodes_key
from archplan.errors import SpecError
from archplan.plan import with_usage
from archplan.scale.limits import GKE_FIXED, autopilot_pods, gke_nodes, limits_at
from archplan.scale.load import Spike, base_basis, set_load

SCHEMA = "archplan.scale/v1"
CLAIM_TOLERANCE_PERCENT = Decimal(10)


def _requests(traffic: dict) -> Decimal | None:
    if traffic.get("requests_per_month") is not None:
        return Decimal(str(traffic["requests_per_month"]))
    if traffic.get("daily_active_users") is not None and traffic.get("requests_per_user_per_day") is not None:
        return Decimal(str(traffic["daily_active_users"])) * Decimal(str(traffic["requests_per_user_per_day"])) \
            * DAYS_PER_MONTH
    return None


class _Setter:
    """The `adjust` hook: sets the merged plan data to one load, and remembers what it did. It replaces the
    components it grows (set_load), so loading hands it a view of the parse, not a deep copy of it."""

    copy_on_write = True

    def __init__(self, load: Decimal, measure: str, spike: Spike | None, file: str, positions,
                 steady: dict | None = None, structure_checked: set | None = None):
        self.load, self.measure, self.spike = load, measure, spike
        self.file, self.positions, self.steady = file, positions, steady
        # it changes load figures only: the structure checks passed at one load point hold at every other
        # (spec.load._build); one set per run of `scale`, over one parse
        self.structure_checked = structure_checked
        self.scaled: list[str] = []
        self.base: Decimal | None = None
        self.basis: str | None = None

    def __call__(self, data: dict) -> None:
        traffic = data.get("traffic") if isinstance(data.get("traffic"), dict) else {}
        if self.measure == "requests":
            base, basis = _requests(traffic), "requests_per_month"
        else:
            found = base_basis(traffic)
            base, basis = (found[1], found[0]) if found and found[0] != "requests_per_month" else (None, None)
        if not base:
            what = "requests a month (traffic.requests_per_month, or daily_active_users x " \
                   "requests_per_user_per_day)" if self.measure == "requests" else \
                "users (traffic.monthly_active_users or daily_active_users)"
            raise SpecError(f"scale needs the plan's {what} to grow the load from", self.file,
                            self.positions.line_of(("traffic",)) or 1, "traffic")
        self.base, self.basis = base, basis
        set_load(data, self.load / base, self.spike, self.scaled, self.steady)


def _phase_for(phases, load: Decimal):
    """(phase, note): the phase whose range holds the load (from its min_users up to its max_users, which is the
    next phase's start, or its own top end where no phase starts: each phase is priced at that end too);
    outside every range, the last phase."""
    for phase in phases:
        if phase.min_users <= load and (phase.max_users is None or load < phase.max_users):
            return phase, None
    for phase in reversed(phases):
        if phase.max_users == load:
            return phase, None
    last = phases[-1]
    return last, f"{load:,} is outside every phase's range; priced with the last phase, {last.name}"


def bracketing_points(phases, points: list[Decimal]) -> list[Decimal]:
    """The load points `validate` runs the document's growth section at: the fewest whose evaluations bracket
    every (phase, load) the full run evaluates. A point inside a phase's range lies between that phase's
    ends, which every run evaluates (_phase_ranges); a point outside every range is priced with the last
    phase, so the lowest and highest such points are kept; the first and last points are kept (an
    open-ended phase is priced up to the largest). Every figure grows in proportion to the load (set_load)
    and every check on one is a bound (a magnitude, a minimum, a limit), so a plan that passes at both ends
    of a range passes between them."""
    keep = {min(points), max(points)}
    outside = [load for load in points if phases and _phase_for(phases, load)[1] is not None]
    if outside:
        keep |= {min(outside), max(outside)}
    return sorted(keep)


def _autoscaled_nodes(plan, capacity) -> dict[str, tuple[dict, dict]]:
    """The usage of each GKE cluster that grows with the load: an Autopilot cluster's billed pod requests
    (limits.autopilot_pods), a Standard cluster's pools (limits.growing_pools) past the nodes they are created
    with: cluster -> ({its usage quantities: pod requests, or its pools' running nodes, those the cluster
    autoscaler runs, limits.autoscaled_nodes}, no spec change), for plan.with_usage."""
    grown: dict[str, tuple[dict, dict]] = {}
    for row in autopilot_pods(plan, capacity):  # Autopilot bills the pods the HPA runs
        usage = plan.component(row["cluster"]).usage
        if row["pod_vcpu"] > usage.get("pod_vcpu") or row["pod_memory_gib"] > usage.get("pod_memory_gib"):
            grown[row["cluster"]] = ({"pod_vcpu": row["pod_vcpu"], "pod_memory_gib": row["pod_memory_gib"]}, {})
    for row in gke_nodes(plan, capacity):
        pools = {pool.name: pool for pool in plan.component(row["cluster"]).spec.node_pools}
        for need in row["pools"]:
            if need["nodes_mean"] > need["created"]:
                grown.setdefault(row["cluster"], ({}, {}))[0][running_nodes_key(pools[need["pool"]])] = \
                    Decimal(str(need["nodes_mean"]))
    return grown


class _Evaluator:
    """The plan at one load in one phase, for one run of `scale`: the component bodies with nothing that grows
    are walked once, a phase's availability analysis and edge index (which read the plan's structure, never
    its load) are built once, and the (phase, load) pairs in `keep` (the phases' ends, often load points too)
    are priced once and kept."""

    def __init__(self, data, positions, file: str, environment: str | None, measure: str, spike, keep=()):
        self.data, self.positions, self.file, self.environment = data, positions, file, environment
        self.measure, self.spike = measure, spike
        self.steady: dict = {}  # see set_load
        self.structure_checked: set = set()  # see _Setter
        self.kept: dict = {key: None for key in keep}  # (phase, load) -> (setter, plan, cost, capacity)
        self.availability: dict = {}  # phase -> (its plans' structure, their availability analysis)

    def __call__(self, phase: str | None, load: Decimal):
        key = (phase, load)
        if key not in self.kept:
            return self._evaluate(phase, load)
        if self.kept[key] is None:
            self.kept[key] = self._evaluate(phase, load)
        return self.kept[key]

    def _capacity(self, plan, phase: str | None):
        if phase not in self.availability:
            self.availability[phase] = (assess.structure_of(plan), assess.availability_of(plan))
        else:
            assess.share_structure(plan, self.availability[phase][0])
        return assess.capacity_of(plan, self.availability[phase][1])

    def _evaluate(self, phase: str | None, load: Decimal):
        data, positions, file, environment = self.data, self.positions, self.file, self.environment
        setter = _Setter(load, self.measure, self.spike, file, positions, self.steady, self.structure_checked)
        spec = assess.spec_from_data(data, positions, file, environment, phase, setter)
        plan, cost = assess.price_totals(spec)  # the total and each component's
        capacity = self._capacity(plan, phase)
        grown = _autoscaled_nodes(plan, capacity)
        if grown:  # price the nodes the autoscaler would add at this load (the spec, and so capacity, stay)
            plan = with_usage(plan, grown)
            cost = cost_totals(plan)
        return setter, plan, cost, capacity


def _point(setter, plan, cost, capacity, load: Decimal, phase_name, note, measure, fx, summary: bool = False) -> dict:
    per_unit = cost.total_usd / load if load else None
    unchecked: list[dict] = []
    limits = limits_at(plan, capacity, float(load), unchecked)
    if summary:  # see scale(summary=True)
        return {"load": load, "phase": phase_name, "phase_note": note,
                "requests_per_month": plan.traffic.requests_per_month, **fx.fields("total", cost.total_usd),
                "per_unit_usd": per_unit if measure == "users" else (per_unit * 1000 if per_unit is not None
                                                                     else None),
                "unchecked_quotas": unchecked, "_limits": limits}
    by_component = cost.by_component()
    services = [{"service": row.name, "kind": row.kind, "peak_rps": row.peak_rps,
                 "instances_needed": row.instances_needed, "max_instances": row.max_instances,
                 "p95_ms": row.p95_ms} for row in capacity.services]
    return {"load": load, "phase": phase_name, "phase_note": note,
            "requests_per_month": plan.traffic.requests_per_month,
            **fx.fields("total", cost.total_usd),
            "per_unit_usd": per_unit if measure == "users" else (per_unit * 1000 if per_unit is not None else None),
            "components": [{"component": name, "usd": usd} for name, usd in by_component.items()],
            "services": services, "nodes": gke_nodes(plan, capacity),
            "pods": [{**row, "pod_vcpu": float(row["pod_vcpu"]), "pod_memory_gib": float(row["pod_memory_gib"])}
                     for row in autopilot_pods(plan, capacity)],
            "limits": [{"component": l.component, "limit": l.limit, "used": l.used_at_point, "capacity": l.capacity,
                        "unit": l.unit, "exceeded": l.exceeded(float(load)), "formula": l.formula} for l in limits],
            "unchecked_quotas": unchecked, "_limits": limits}


def _first_limits(points: list[dict], phases: dict) -> list[dict]:
    """Per component, the first limit it reaches, and the load at which it does: bisection between the
    previous point (or the start of the point's phase, whose plan may differ) and the first point past it.
    Where the next point lies in another phase, the previous phase's limits are also tried at its end."""
    found: dict[str, dict] = {}

    def record(limit, at, phase, point_load, low):
        found[limit.component] = {
            "component": limit.component, "limit": limit.limit, "reached_at": at, "phase": phase,
            "first_point": point_load, "capacity": limit.capacity, "unit": limit.unit,
            "used_at_point": limit.used_at_point, "formula": limit.formula, "already_at_start": limit.exceeded(low)}

    for index, point in enumerate(points):
        load = float(point["load"])
        previous = points[index - 1] if index else None
        same_phase = previous is not None and previous["phase"] == point["phase"]
        if previous is not None and not same_phase and previous["phase"] in phases:
            end = phases[previous["phase"]].max_users
            if end is not None and float(end) > float(previous["load"]):
                for limit in previous["_limits"]:
                    if limit.component not in found and limit.exceeded(float(end)):
                        record(limit, limit.first_exceeded(float(previous["load"]), float(end)), previous["phase"],
                               previous["load"], float(previous["load"]))
        start = phases[point["phase"]].min_users if point["phase"] in phases else 0
        low = float(previous["load"]) if same_phase else float(start)
        low = min(low, load)
        reached = {}  # per component, the limit of this point it reaches first (bisection finds where)
        for limit in point["_limits"]:
            if limit.component in found or not limit.exceeded(load):
                continue
            at = limit.first_exceeded(low)
            if limit.component not in reached or at < reached[limit.component][1]:
                reached[limit.component] = (limit, at)
        for limit, at in reached.values():
            record(limit, at, point["phase"], point["load"], low)
    return list(found.values())


def _gke_fixed(points: list[dict]) -> list[dict]:
    """Each GKE Standard system limit (pods per node, nodes per node pool per zone): the load at which the
    node pool reaches it: within the range by bisection from the previous point, or past the last point on
    its plan (load figures are proportional to the load within a phase), by doubling then bisection."""
    out = []
    if not points:
        return out
    keys = [(l.component, l.limit) for l in points[-1]["_limits"] if l.limit.startswith(GKE_FIXED)]
    # each point's fixed limits by key, the first of each (as a scan in order finds it): one pass a point
    indexed = []
    for point in points:
        by_key: dict = {}
        for l in point["_limits"]:
            if l.limit.startswith(GKE_FIXED):
                by_key.setdefault((l.component, l.limit), l)
        indexed.append(by_key)
    for key in keys:
        row = None
        for index, point in enumerate(points):
            limit = indexed[index].get(key)
            if limit is None or not limit.exceeded(float(point["load"])):
                continue
            low = float(points[index - 1]["load"]) if index else 0.0
            row = {"reached_at": limit.first_exceeded(min(low, float(point["load"]))), "within_range": True,
                   "limit_object": limit, "point": point["load"]}
            break
        if row is None:
            limit = indexed[-1][key]
            low = high = float(points[-1]["load"])
            for _ in range(80):
                if limit.exceeded(high):
                    break
                low, high = high, high * 2
            row = {"reached_at": limit.first_exceeded(low, high) if limit.exceeded(high) else None,
                   "within_range": False, "limit_object": limit, "point": points[-1]["load"]}
        limit = row.pop("limit_object")
        out.append({"component": limit.component, "limit": limit.limit, "capacity": limit.capacity,
                    "unit": limit.unit, **row, "used_at_point": limit.used_at_point, "formula": limit.formula})
    return out


def _audit(claim, low_usd: Decimal, high_usd: Decimal, plan) -> dict:
    """The phase's stated range against archplan's, in the claim's own currency at the rate `cost` uses."""
    rate = plan.rate(claim.currency)
    ours_low, ours_high = low_usd * rate, high_usd * rate
    rows = {}
    for end, stated, ours in (("low", claim.low, ours_low), ("high", claim.high, ours_high)):
        percent = (ours - stated) / stated * 100 if stated else None
        rows[end] = {"stated": stated, "archplan": ours, "difference_percent": percent,
                     "within_tolerance": percent is not None and abs(percent) <= CLAIM_TOLERANCE_PERCENT}
    return {"currency": claim.currency, "source": claim.source, **rows,
            "agrees": rows["low"]["within_tolerance"] and rows["high"]["within_tolerance"]}


def _phase_top(phase, largest: Decimal) -> tuple[Decimal, str | None]:
    """(the load a phase's range is priced up to, a note when the phase is open-ended)."""
    if phase.max_users is not None:
        return phase.max_users, None
    top = max(largest, phase.min_users * 2) if phase.min_users else largest
    return top, f"open-ended: priced up to {top:,}, the largest load in this run"


def _phase_ranges(evaluate: _Evaluator, phases, largest: Decimal, fx) -> list[dict]:
    out = []
    for phase in phases:
        top, top_note = _phase_top(phase, largest)
        _s, _p, low, _c = evaluate(phase.name, phase.min_users)
        _s, high_plan, high, _c = evaluate(phase.name, top)
        row = {"phase": phase.name, "description": phase.description, "min_users": phase.min_users,
               "max_users": phase.max_users, "priced_to": top, "note": top_note,
               **fx.fields("low", low.total_usd), **fx.fields("high", high.total_usd), "claim": None}
        if phase.monthly_cost is not None:
            row["claim"] = _audit(phase.monthly_cost, low.total_usd, high.total_usd, high_plan)
        out.append(row)
    return out


def scale(path: str, points: list[Decimal], environment: str | None = None, measure: str = "users",
          spike: Spike | None = None, phased: bool = True, labels: dict | None = None,
          currency: str | None = None, spec=None, summary: bool = False) -> dict:
    """The plan at each load point. measure: 'users' (the plan's monthly or daily active users) or
    'requests' (requests a month); labels: optional names of points (a document's scenarios); `spec`, the
    plan at `path` in `environment` as loaded, if the caller has it (loading it checks every environment).
    `summary` (the document's growth section): each point's load, phase and totals only, without its
    components' costs, services, nodes and limits, and no GKE fixed limits (every plan is still priced and
    checked at every point, and the first limits found, as without it)."""
    from archplan.render.shown_money import shown

    data, positions = assess.read_plan(path)
    base_spec = spec if spec is not None else assess.load(path, environment)
    phases = base_spec.phases if phased and measure == "users" else []
    ends = [(phase.name, load) for phase in phases for load in (phase.min_users, _phase_top(phase, max(points))[0])]
    evaluate = _Evaluator(data, positions, path, environment, measure, spike, ends)
    rows = []
    scaled: dict[str, None] = {}  # the fields grown, in the order first grown (a dict: membership in one step)
    basis = None
    fx = None
    for load in points:
        phase, note = _phase_for(phases, load) if phases else (None, None)
        setter, plan, cost, capacity = evaluate(phase.name if phase else None, load)
        basis, fx = setter.basis, fx or shown(plan, currency)
        scaled.update(dict.fromkeys(setter.scaled))
        rows.append(_point(setter, plan, cost, capacity, load, phase.name if phase else None, note, measure, fx,
                           summary))
    first = _first_limits(rows, {phase.name: phase for phase in phases})
    fixed = _gke_fixed(rows) if not summary else None
    phase_rows = _phase_ranges(evaluate, phases, max(points), fx) if phases else []
    unchecked: dict = {}  # (region, quota) -> what the plan uses of it at each point, and why it is not checked
    for row in rows:
        for entry in row["unchecked_quotas"]:
            seen = unchecked.setdefault((entry["region"], entry["quota"]), {
                "region": entry["region"], "quota": entry["quota"], "unit": entry["unit"],
                "reason": entry["reason"], "formula": entry["formula"], "used": []})
            seen["used"].append({"load": row["load"], "used": entry["used"]})
    standard_gke = any(c.kind == "gke" and c.spec.mode == "standard" for c in plan.components)
    for row in rows:
        del row["_limits"]
        row["label"] = (labels or {}).get(row["load"])
    return {"schema": SCHEMA, "file": path, "environment": base_spec.environment, "measure": measure,
            "basis": basis, "currency": fx.currency, "exchange_rate": fx.rate_data(),
            "per_unit": "per user" if measure == "users" else "per 1,000 requests",
            "spike": spike.describe() if spike else None,
            "rules": (["GKE Standard clusters are priced with the nodes the cluster autoscaler would run: those "
                       "their pods need at the peak (each deployment's pods at most its max_replicas, past which "
                       "its HPA adds none), at least the nodes the pools are created with (a regional pool: its "
                       "per-zone count in each of its 3 zones), up to the max_nodes of the pool they run on (a "
                       "deployment's node_pool, else the first pool without GPUs); max_nodes bounds the pool's "
                       "total over its zones (total_max_node_count, as generate writes it), so a regional pool "
                       "grows a node at a time, not in threes"] if standard_gke else [])
                     + ["load points multiply the plan's traffic (users, concurrent users, requests a month) and "
                      "every volume stated per month or per day (and Redis working sets) by load / base; "
                      "instances, tiers, provisioned sizes and VMs' hours_per_month stay as the plan sets them",
                      "instances needed at the peak: peak RPS x service time / (requests per instance x target "
                      "utilisation), rounded up, at least min_instances (as `check` computes them)"]
                     + ([f"the plan's phases are ranges of users, so these loads in {measure.replace('_', ' ')} are "
                         "priced on the plan as written, in no phase: give --users to price each point in its phase"]
                        if phased and measure != "users" and base_spec.phases else []),
            "scaled_fields": list(scaled), "points": rows, "first_limits": first, "gke_fixed_limits": fixed,
            "phases": phase_rows,
            "unchecked_quotas": list(unchecked.values())}
