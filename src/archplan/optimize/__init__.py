"""`archplan optimize`: search the configurations a plan allows (`vary:` or per-kind defaults) for the
cheapest plan meeting its SLOs, the most available plan within a budget, or the Pareto frontier of cost
against availability (with p95 alongside).

`optimize(path, ...)` returns plain data: the objective and targets, the best candidate's changes and
figures (re-checked by the full `cost` and `check` pipeline), or the reason none exists with the best
figure reachable and what bounds it; the frontier; search statistics. `archplan.optimize.patch` turns the
changes into a YAML patch (comments kept) and a `diff`.
"""
from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

from archplan import assess
from archplan.catalog import CatalogError
from archplan.errors import SpecError
from archplan.optimize import space
from archplan.optimize.model import Targets, build, worst_request_p95
from archplan.optimize.search import frontier, state_choice, state_total

SCHEMA = "archplan.optimize/v1"
SLO_KEYS = ("availability", "p95", "rto", "rpo")


class SloError(ValueError):
    pass


def _minutes(text: str) -> float:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(s|m|min|h)?", text.strip().lower())
    if not match:
        raise SloError(f"{text!r} is not a duration (e.g. 5m, 30s, 1h)")
    value = float(match.group(1))
    return value / 60 if match.group(2) == "s" else value * 60 if match.group(2) == "h" else value


def parse_slo(text: str | None, plan, use_plan_slo: bool = True) -> Targets:
    """`availability=99.9,p95=300ms,rto=5m,rpo=0`, `availability:lb=99.99` for one entry point, each in
    place of the plan's own objective of that name: the plan's availability, RTO and RPO objectives bind
    unless given here, as its flows' do (its p95 is a warning in `check`, which long-held requests such as
    WebSockets always exceed, so it is a target only when given here)."""
    slo = plan.spec.slo
    targets = Targets()
    if use_plan_slo:
        _flow_targets(plan, targets)
        if slo is not None:
            targets.availability_percent = float(slo.availability_percent) if slo.availability_percent else None
            targets.rto_minutes = float(slo.rto_minutes) if slo.rto_minutes is not None else None
            targets.rpo_minutes = float(slo.rpo_minutes) if slo.rpo_minutes is not None else None
    if text is None:
        return targets
    availability = assess.availability_of(plan)
    # a target names a user request path ("lb -> api") or an entry point (then every path from it)
    paths = [(e.name or e.entry, e.entry) for e in availability.entries if e.kind == "request"]
    entries = list(dict.fromkeys([name for name, _entry in paths] + [entry for _name, entry in paths]))
    services = assess.capacity_of(plan).services
    for part in (p.strip() for p in text.split(",") if p.strip()):
        key, _, value = part.partition("=")
        key, _, entry = key.strip().lower().partition(":")
        if key not in SLO_KEYS or not value:
            raise SloError(f"--slo {part!r}: expected one of {', '.join(k + '=...' for k in SLO_KEYS)}")
        try:
            if key == "availability":
                percent = float(value.strip().rstrip("%"))
                if not 0 < percent < 100:
                    raise SloError(f"--slo {part!r}: availability is a percentage above 0 and below 100 "
                                   "(no plan is up 100% of the time)")
                if entry:
                    if entry not in entries:
                        raise SloError(f"--slo {part!r}: {entry!r} is not an entry point of the plan "
                                       f"(entry points: {', '.join(entries) or 'none'})")
                    for name, start in paths:
                        if entry in (name, start):
                            targets.entry_availability[name] = percent
                else:
                    targets.availability_percent = percent
            elif key == "p95":
                if not services:
                    raise SloError(f"--slo {part!r}: the plan has no service with a request duration, so it "
                                   "cannot express a p95 latency")
                targets.p95_ms = float(value.strip().lower().removesuffix("ms"))
                if targets.p95_ms <= 0:
                    raise SloError(f"--slo {part!r}: p95 is a positive number of milliseconds")
            elif key == "rto":
                targets.rto_minutes = _minutes(value)
            else:
                targets.rpo_minutes = _minutes(value)
        except ValueError as error:
            if isinstance(error, SloError):
                raise
            raise SloError(f"--slo {part!r}: {value!r} is not a number") from None
        if entry and key != "availability":
            raise SloError(f"--slo {part!r}: only availability can be set per entry point")
    return targets


def _flow_targets(plan, targets: Targets) -> None:
    """The plan's declared flows as targets, each over its own path: its availability ("flow <name>") and
    its p95, end to end over the request-driven services on it (as `check` sums a flow's hops)."""
    flows = {name: flow for name, flow in plan.spec.flows.items() if flow.slo is not None}
    if not flows:
        return
    paths = {e.name: e.components for e in assess.availability_of(plan).entries if e.kind == "flow"}
    for name, flow in flows.items():
        if flow.slo.availability_percent is not None and paths.get(name):
            targets.entry_availability[f"flow {name}"] = float(flow.slo.availability_percent)
        if flow.slo.latency_p95_ms is not None and paths.get(name):
            targets.flow_p95_ms[name] = float(flow.slo.latency_p95_ms)


_SYMBOLS = {"₹": "INR", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}


def parse_money(text: str, plan) -> Decimal:
    """'20000INR', '240USD', '800EUR', '₹20000', '$240', '€800' -> USD; a bare amount is in the plan's
    `project.currency`, converted at the rate `cost` uses."""
    raw = text.strip().replace(",", "").replace(" ", "")
    currency = plan.spec.project.currency
    if len(raw) > 3 and raw[-3:].isalpha():
        currency, raw = raw[-3:].upper(), raw[:-3]
    elif raw[:1] in _SYMBOLS:
        currency, raw = _SYMBOLS[raw[0]], raw[1:]
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise SloError(f"--budget {text!r}: expected an amount such as 20000INR, 240USD or 800EUR") from None
    if not amount.is_finite() or amount <= 0:
        raise SloError(f"--budget {text!r}: a budget is a positive amount")
    try:
        return plan.to_usd(amount, currency)
    except CatalogError as exc:
        raise SloError(f"--budget {text!r}: {exc}") from None


def _figures(model, state, fx) -> dict:
    choice = state_choice(model, state)
    return {**fx.fields("cost", state_total(model, state)),
            "composite_percent": state[1] * 100,
            "entries": {entry: value * 100 for (entry, _names), value in zip(model.entries, state[2])},
            "worst_p95_ms": state[3],
            "worst_path_p95_ms": worst_request_p95(model.latency, state[7]),
            "paths_p95": {path.name: value for path, value in zip(model.latency, state[7])},
            "changes": {name: model.members[name][index].changes for name, index in choice.items()
                        if model.members[name][index].changes}}


def _bound(model, targets: Targets, budget_usd, fx) -> list[str]:
    """Why no candidate meets the targets: the best figure each target can reach, and what bounds it."""
    reasons = []
    shape = model.path_shape
    path = shape.nodes
    nodes = set(path) | {n for _entry, names in model.entries for n in names}
    best = {node: max(o.percent(node) for o in model.members[model.owner(node)]) for node in nodes}

    def reachable(shape) -> float:
        return shape.value([math.prod(best[n] / 100 for n in part) for part in shape.parts]) * 100

    def terms(shape) -> str:
        series = " x ".join(f"{n} {best[n]:g}%" for n in shape.parts[0])
        if len(shape.parts) == 1:
            return series
        regions = " | ".join(" x ".join(f"{n} {best[n]:g}%" for n in part) for part in shape.parts[1:])
        return f"{series}, in series with the regions in parallel: {regions}"

    if targets.availability_percent is not None:
        figure = reachable(shape)
        if figure < targets.availability_percent:
            weakest = sorted(path, key=lambda n: best[n])[:3]
            how = f"{len(path)} components in series" if len(shape.parts) == 1 else \
                f"{len(shape.parts[0])} components in series with {len(shape.parts) - 1} regions in parallel"
            reasons.append(
                f"availability: the best reachable along the request path is {figure:.4f}% < "
                f"{targets.availability_percent:g}%: {how}, each at its best option "
                f"({terms(shape)}); the figure can never reach the target. Weakest at their best: "
                + ", ".join(f"{n} {best[n]:g}%" for n in weakest) + ". Only a component with a higher SLA "
                "(or redundancy across regions) can raise it.")
    for entry, target in targets.entry_availability.items():
        figure = reachable(model.shape(entry))
        if figure < target:
            reasons.append(f"availability of {entry}: best reachable {figure:.4f}% < {target:g}% "
                           f"({terms(model.shape(entry))})")
    reasons += _latency_bound(model)
    if budget_usd is not None:
        cheapest = sum((min(r.cost_usd for r in rows if not r.problems) if any(not r.problems for r in rows)
                        else min(r.cost_usd for r in rows)) for rows in model.group_options)
        cheapest *= 1 + model.contingency / 100
        if cheapest > budget_usd:
            fixed = []
            for group, rows in zip(model.groups, model.group_options):
                if len(rows) == 1:
                    fixed.append((rows[0].cost_usd, ", ".join(group)))
            fixed.sort(reverse=True)
            fixed_total = sum((cost for cost, _names in fixed), Decimal(0))
            reasons.append(
                f"budget: the cheapest configuration that meets the other targets costs {fx.text(cheapest)} "
                f"a month, above the budget {fx.text(budget_usd)}. Components that do not vary cost "
                f"{fx.text(fixed_total)} on their own; the largest: "
                + ", ".join(f"{names} {fx.lead(cost)}" for cost, names in fixed[:5]))
    return reasons


def _latency_bound(model, limit: int = 100_000) -> list[str]:
    """Each path whose p95 target no configuration of its own components meets: the lowest p95 reachable
    (every combination of the options of the components on it, end to end as `check` sums them)."""
    import itertools

    from archplan.optimize.model import over, path_p95

    reasons = []
    for path in model.latency:
        owners = list(dict.fromkeys(owner for owner, _node in path.nodes))
        if math.prod(len(model.members[o]) for o in owners) > limit:
            continue  # too many to list; the search has already said none fits
        best, best_choice = math.inf, None
        for picked in itertools.product(*(range(len(model.members[o])) for o in owners)):
            chosen = dict(zip(owners, (model.members[o][i] for o, i in zip(owners, picked))))
            value = path_p95([hop for owner, node in path.nodes for hop in chosen[owner].timed.get(node, ())])
            if value is not None and value < best:
                best, best_choice = value, chosen
        if best_choice is not None and over(best, path.target_ms):
            settings = ", ".join(f"{o} {option.changes or 'as planned'}" for o, option in best_choice.items())
            reasons.append(f"p95 of {path.name}: the lowest reachable is {best:.0f} ms > {path.target_ms:g} ms "
                           f"({path.source}), with {settings}: the sum of its hops' response times at peak "
                           "cannot go lower with the options allowed; only a shorter service time or fewer hops can")
    return reasons


def _p95_measure(model) -> str:
    """What the cost/p95 frontier's p95 is measured over, in words (the table and the picture say it)."""
    requests = [p for p in model.latency if p.request]
    timed = [p.name for p in requests
             if any(option.timed.get(node) for owner, node in p.nodes for option in model.members[owner])]
    untimed = [p.name for p in requests if p.name not in timed]
    if not timed:
        return ("no user request path has a request-driven hop with a request duration, so no path has a p95"
                + ("" if requests else " (the paths are measured only with --pareto or --slo p95)"))
    return (f"the worst end-to-end p95 at peak over the user request paths with a timed hop ({', '.join(timed)}): "
            "each path's request-driven hops' response times summed as `check` does (M/M/c per hop, a gamma "
            "fitted to the summed mean and variance)"
            + (f"; {', '.join(untimed)} have no timed hop (long-lived or no request duration)" if untimed else "")
            + "; declared flows are not included")


def _verify(path, environment, changes, expected_usd) -> dict:
    """Price and check the returned plan with the full pipeline, as `cost` and `check` would."""
    from archplan.optimize.patch import apply_to_data

    data, positions = assess.read_plan(path)
    adjusted = assess.spec_from_data(data, positions, path, environment,
                                     adjust=lambda merged: apply_to_data(merged, changes))
    result = assess.assess(adjusted)
    ids = sorted({f.id for f in result.check.findings if f.severity == "error"})
    return {"cost_usd": result.cost.total_usd, "matches_search": abs(result.cost.total_usd - expected_usd) < Decimal("0.000001"),
            "composite_percent": result.check.availability.composite_percent,
            "errors": result.check.counts()["error"], "error_ids": ids, "_assessment": result}


def optimize(path: str, environment: str | None = None, slo: str | None = None, budget: str | None = None,
             pareto: bool = False, currency: str | None = None) -> dict:
    """currency: the one shown next to USD is the one `cost` shows for it (default: the plan's)."""
    from archplan.render.shown_money import shown

    spec = assess.load(path, environment)
    plan, _cost = assess.price(spec)
    fx = shown(plan, currency)
    try:
        budget_usd = parse_money(budget, plan) if budget else None
        # Within a budget the goal is availability itself: only targets given on the command line bind.
        targets = parse_slo(slo, plan, use_plan_slo=budget_usd is None and not pareto)
    except SloError as error:
        raise SpecError(str(error), path, spec.line_of(("slo",))) from None
    targets.measure_paths = pareto
    capacity = assess.capacity_of(plan)
    option_lists = space.options(plan, capacity)
    model = build(plan, targets, option_lists)
    objective = "pareto" if pareto else "available" if budget_usd is not None else "cheapest"
    if objective == "cheapest" and targets.availability_percent is None and not targets.entry_availability \
            and targets.p95_ms is None and not targets.flow_p95_ms and targets.rto_minutes is None and targets.rpo_minutes is None:
        objective = "cheapest"  # capacity alone: the cheapest plan that serves its peak
    hard_availability = targets.availability_percent if objective == "cheapest" else None
    hard_entries = targets.entry_availability if objective == "cheapest" else {}
    searched = frontier(model, hard_availability, hard_entries, budget_usd if objective == "available" else None)
    space_count = math.prod(len(v) for v in model.members.values())
    result = {"schema": SCHEMA, "file": path, "environment": spec.environment, "objective": objective,
              "targets": {"availability_percent": targets.availability_percent,
                          "entry_availability": targets.entry_availability, "p95_ms": targets.p95_ms,
                          "flow_p95_ms": targets.flow_p95_ms,
                          "rto_minutes": targets.rto_minutes, "rpo_minutes": targets.rpo_minutes,
                          "budget_usd": budget_usd, "capacity": True},
              "varied": {name: [o.changes for o in options] for name, options in option_lists.items()},
              "space": space_count, "groups": [list(g) for g in model.groups],
              "priced_group_options": model.priced_group_options,
              "candidates_evaluated": searched.candidates, "search_seconds": searched.seconds,
              "search_cpu_seconds": searched.cpu_seconds,
              "currency": fx.currency, "exchange_rate": fx.rate_data(),
              "current": None, "best": None, "infeasible": None, "frontier": [], "frontier_p95": [],
              "frontier_p95_measure": _p95_measure(model),
              "availability_notes": [
                  f"{name}: a region has {ways} ways through it; the search keeps the one `check` finds weakest in "
                  "the plan as written, so a plan whose options make another way weaker is rated above `check`'s "
                  "figure for it (the verified figure below is `check`'s)" for name, ways in model.fixed_routes.items()]}
    current_choice = {name: 0 for name in model.names}
    from archplan.optimize.model import evaluate

    current = evaluate(model, current_choice)
    result["current"] = {**fx.fields("cost", current.cost_usd),
                         "composite_percent": current.composite_percent, "entries": current.entries,
                         "worst_p95_ms": current.worst_p95_ms, "paths_p95": current.paths_p95,
                         "worst_path_p95_ms": worst_request_p95(model.latency, [current.paths_p95.get(p.name)
                                                                                for p in model.latency]),
                         "problems": current.problems}
    states = searched.states
    if objective == "cheapest":
        best = min(states, key=lambda s: (s[0], -s[1])) if states else None
    else:
        best = max(states, key=lambda s: (s[1], -s[0])) if states else None
    if states:
        curve = sorted(states, key=lambda s: (s[0], -s[1]))
        kept, top = [], -1.0
        for state in curve:
            if state[1] > top + 1e-12:
                kept.append(state)
                top = state[1]
        result["frontier"] = [_figures(model, s, fx) for s in kept]
        # against p95: the worst user request path end to end (as `check` sums its hops), cheapest first
        measured = [(s, worst_request_p95(model.latency, s[7])) for s in states]
        measured = sorted(((s, v) for s, v in measured if v is not None), key=lambda sv: (sv[0][0], sv[1]))
        kept, lowest = [], math.inf
        for state, value in measured:
            if value < lowest - 1e-9:
                kept.append(state)
                lowest = value
        result["frontier_p95"] = [_figures(model, s, fx) for s in kept]
    if best is None:
        reasons = [f"{', '.join(group)}: every option fails: " + "; ".join(problems)
                   for group, problems in searched.infeasible_groups]
        reasons += _bound(model, targets, budget_usd if objective == "available" else None, fx)
        if not reasons:
            reasons = ["no configuration meets every target together"]
        result["infeasible"] = reasons
    else:
        figures = _figures(model, best, fx)
        figures["verified"] = _verify(path, environment, figures["changes"], figures["cost_usd"])
        result["best"] = figures
    return result
