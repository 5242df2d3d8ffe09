"""The search: an exact frontier over pricing groups, and brute force to check it against.

Groups are taken one at a time. A partial plan (a *state*) carries its cost, the products of the
availabilities chosen so far along the request path and along each entry path (one product per part of
the path's shape: regions behind a failover load balancer are parts of their own), the worst p95, and the
connections its clients open per database (and that database's max_connections once chosen). A state
is dropped only when another is at least as good in every one of those figures (cheaper or equal,
at least as available everywhere, p95 and connections no worse, and on each path with a p95 target the
same hops so far, or once every group on the path is chosen, an end-to-end p95 no worse: the p95 of a
sum is not monotone in its variance, so partial paths are only merged when equal), or when it can no longer meet a hard
target whatever the remaining groups choose (availability bound: the product of the best remaining
factors; budget bound: the cheapest remaining cost). Both rules keep every optimum, so the answer equals
brute force; tests compare the two on small spaces.
"""
from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass, field
from decimal import Decimal

from archplan.optimize.model import Candidate, Model, evaluate, over, path_p95

EPS = 1e-12


@dataclass
class Searched:
    states: list  # final non-dominated feasible states
    candidates: int  # partial and whole plans evaluated
    seconds: float
    cpu_seconds: float = 0.0  # this process's CPU time (what the machine's other load does not inflate)
    infeasible_groups: list = field(default_factory=list)  # (group, problems of its least-bad option)


def _group_nodes(model: Model, group: list[str]) -> tuple[list, list, list]:
    """The path nodes a group's components stand for, per part of each path's shape: on the request path,
    on each entry path, and on each latency path."""
    members = set(group)

    def parts(shape):
        return [[(model.owner(n), n) for n in part if model.owner(n) in members] for part in shape.parts]

    path = parts(model.path_shape)
    entries = [parts(shape) for shape in model.shapes]
    latency = [[(owner, n) for owner, n in p.nodes if owner in members] for p in model.latency]
    return path, entries, latency


def _factors(model: Model, group: list[str], option, nodes: tuple[list, list]) -> tuple:
    chosen = {name: model.members[name][index] for name, index in zip(group, option.choice)}
    path_nodes, entry_nodes, latency_nodes = nodes
    def products(parts):
        return tuple(math.prod(chosen[owner].percent(n) / 100 for owner, n in part) for part in parts)

    composite = products(path_nodes)
    entries = tuple(products(parts) for parts in entry_nodes)
    p95 = max((o.p95_ms for o in chosen.values() if o.p95_ms is not None), default=0.0)
    databases = list(model.databases)
    used = tuple(sum(chosen[n].connections for n in group if n in model.databases[db]) for db in databases)
    caps = tuple(chosen[db].max_connections if db in chosen and chosen[db].max_connections is not None else None
                 for db in databases)
    hops = tuple(tuple(hop for owner, n in on_path for hop in chosen[owner].timed.get(n, ()))
                 for on_path in latency_nodes)
    return option.cost_usd, composite, entries, p95, used, caps, hops


def _dominates(a, b) -> bool:
    """a at least as good as b in every figure (a, b: (cost, composite, entries, p95, used, caps, choice,
    latency), the availabilities as products per part of their path's shape, each of which the figure grows
    with); a latency path still open must hold the same hops, a closed one an end-to-end p95 no worse."""
    if a[0] > b[0] or a[3] > b[3] + EPS or not _at_least(a[1], b[1]):
        return False
    if not all(_at_least(x, y) for x, y in zip(a[2], b[2])):
        return False
    if any(x > y for x, y in zip(a[4], b[4])):
        return False
    if not all((x if x is not None else math.inf) >= (y if y is not None else math.inf) for x, y in zip(a[5], b[5])):
        return False
    for x, y in zip(a[7], b[7]):
        if isinstance(x, tuple):
            if x != y:
                return False
        elif x is not None and y is not None and x > y + EPS:
            return False
    return True


def _at_least(a: tuple, b: tuple) -> bool:
    return all(x >= y - EPS for x, y in zip(a, b))


def _prune(states: list) -> list:
    states.sort(key=lambda s: (s[0], tuple(-x for x in s[1])))
    kept: list = []
    for state in states:
        if not any(_dominates(other, state) for other in kept):
            kept.append(state)
    return kept


def frontier(model: Model, availability_target: float | None = None, entry_targets: dict | None = None,
             budget_usd: Decimal | None = None) -> Searched:
    """Every non-dominated whole plan that meets the hard targets (problems, availability, budget)."""
    started, cpu = time.perf_counter(), time.process_time()
    entry_targets = entry_targets or {}
    entry_index = {entry: i for i, (entry, _names) in enumerate(model.entries)}
    tables = []
    infeasible = []
    for group, rows in zip(model.groups, model.group_options):
        usable = [row for row in rows if not row.problems]
        if not usable:
            least = min(rows, key=lambda r: (len(r.problems), r.cost_usd))
            infeasible.append((group, least.problems))
            usable = []
        nodes = _group_nodes(model, group)
        tables.append([(row, _factors(model, group, row, nodes)) for row in usable])
    # a latency path closes after the last group with a node on it: its p95 is then final
    closes = [max((k for k, group in enumerate(model.groups) if any(owner in group for owner, _n in p.nodes)),
                  default=-1) for p in model.latency]
    if infeasible:
        return Searched([], 0, time.perf_counter() - started, cpu_seconds=time.process_time() - cpu,
                        infeasible_groups=infeasible)
    # Best the remaining groups can do: availability factors (max) and cost (min), from the end.
    count = len(tables)
    # (per part of each path's shape: the parts' bests multiply into a bound, as the figure grows with each)
    def ones(shape):
        return tuple([1.0] * len(shape.parts))

    best_composite = [ones(model.path_shape)] * (count + 1)
    best_entries = [[ones(shape) for shape in model.shapes] for _ in range(count + 1)]
    cheapest = [Decimal(0)] * (count + 1)
    for k in range(count - 1, -1, -1):
        best_composite[k] = tuple(b * max(f[1][j] for _row, f in tables[k])
                                  for j, b in enumerate(best_composite[k + 1]))
        best_entries[k] = [tuple(b * max(f[2][i][j] for _row, f in tables[k]) for j, b in enumerate(bests))
                           for i, bests in enumerate(best_entries[k + 1])]
        cheapest[k] = cheapest[k + 1] + min(f[0] for _row, f in tables[k])
    contingency = 1 + model.contingency / 100
    databases = len(model.databases)
    opened = tuple(() if close >= 0 else None for close in closes)
    states = [(Decimal(0), ones(model.path_shape), tuple(ones(shape) for shape in model.shapes), 0.0,
               tuple([0] * databases), tuple([None] * databases), (), opened)]

    def times(a: tuple, b: tuple) -> tuple:
        return tuple(x * y for x, y in zip(a, b))
    evaluated = 0
    target = availability_target / 100 if availability_target is not None else None
    for k, table in enumerate(tables):
        grown = []
        for state in states:
            for row, (cost, composite, entries, p95, used, caps, hops) in table:
                evaluated += 1
                new_cost = state[0] + cost
                if budget_usd is not None and (new_cost + cheapest[k + 1]) * contingency > budget_usd:
                    continue
                new_composite = times(state[1], composite)
                if target is not None and \
                        model.path_shape.value(times(new_composite, best_composite[k + 1])) < target - EPS:
                    continue
                new_entries = tuple(times(a, b) for a, b in zip(state[2], entries))
                if any(model.shapes[entry_index[e]].value(times(new_entries[entry_index[e]],
                                                               best_entries[k + 1][entry_index[e]])) < t / 100 - EPS
                       for e, t in entry_targets.items()):
                    continue
                new_used = tuple(a + b for a, b in zip(state[4], used))
                new_caps = tuple(b if b is not None else a for a, b in zip(state[5], caps))
                # Connections only grow: once the database is chosen, a pool over its limit is final.
                if any(cap is not None and u > cap for u, cap in zip(new_used, new_caps)):
                    continue
                latency, late = [], False
                for i, (so_far, more) in enumerate(zip(state[7], hops)):
                    if closes[i] == k:
                        value = path_p95(so_far + more)
                        if over(value, model.latency[i].target_ms):
                            late = True
                            break
                        latency.append(value)
                    else:
                        latency.append(so_far + more if isinstance(so_far, tuple) else so_far)
                if late:
                    continue
                grown.append((new_cost, new_composite, new_entries, max(state[3], p95), new_used, new_caps,
                              state[6] + (row.choice,), tuple(latency)))
        states = _prune(grown) if len(table) > 1 or k == count - 1 else grown
        if not states:
            break
    # whole plans: each availability from its parts
    states = [(s[0], model.path_shape.value(s[1]), tuple(shape.value(p) for shape, p in zip(model.shapes, s[2])))
              + s[3:] for s in states]
    return Searched(states, evaluated, time.perf_counter() - started, cpu_seconds=time.process_time() - cpu)


def state_choice(model: Model, state) -> dict[str, int]:
    choice = {}
    for group, picked in zip(model.groups, state[6]):
        for name, index in zip(group, picked):
            choice[name] = index
    return choice


def state_total(model: Model, state) -> Decimal:
    return state[0] * (1 + model.contingency / 100)


def brute_force(model: Model) -> list[Candidate]:
    """Every whole plan, evaluated from the tables one by one (for tests and tiny spaces)."""
    names = model.names
    ranges = [range(len(model.members[name])) for name in names]
    return [evaluate(model, dict(zip(names, picked))) for picked in itertools.product(*ranges)]
