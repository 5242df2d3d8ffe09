"""Memorystore (Redis, Redis Cluster, Valkey) as a capacity limit on the services that depend on it.

Each primary node is an M/M/1/K queue, minute by minute: commands arrive at the clients' expected rate
(every client service's arrivals that minute x its `redis_ops_per_request`, spread evenly over the
shards' primaries), are served at `primary_ops_per_second`, and at most K are in the node at once, K being
the connections Google lets a node hold (its published max clients: with no pipelining, each connection
has at most one command outstanding). A command that finds K in the node is refused; one that gets in
waits the queue's mean sojourn. A request sending n commands one after another is refused with
probability 1 - (1 - P_K)^n and otherwise takes n x the sojourn longer, holding its instance's slot.
See docs/simulation.md ("Memorystore") for the formulas, sources and assumptions.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# archplan's assumption, not a Google figure: Google publishes no command rate for Memorystore. Plans
# override it with `primary_ops_per_second` on the Memorystore component.
DEFAULT_PRIMARY_OPS_PER_SECOND = 100_000.0
KINDS = ("memorystore_redis", "memorystore_redis_cluster", "memorystore_valkey")


@dataclass
class CacheModel:
    name: str
    kind: str
    primaries: int
    ops_per_second: float        # per primary
    max_clients: int             # K, per primary
    clients: list[tuple[str, float]]  # (service, commands per request)
    demand_ops_per_second: np.ndarray  # per primary, per minute
    refused_share: np.ndarray    # P_K per minute
    sojourn_s: np.ndarray        # mean time in the node of an admitted command, per minute
    notes: list[str] = field(default_factory=list)


def mm1k(arrival_rate: np.ndarray, service_rate: float, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Blocking probability P_K and mean sojourn W of an M/M/1/K queue, for each arrival rate.

    rho = λ/μ. P_K = (1 - rho) rho^K / (1 - rho^(K+1)); L = rho/(1 - rho) - (K+1) rho^(K+1) / (1 - rho^(K+1));
    W = L / (λ (1 - P_K)) (Little). At rho = 1: P_K = 1/(K+1), L = K/2. For rho > 1 the same formulas are
    evaluated with sigma = 1/rho (P_K = (1 - sigma) / (1 - sigma^(K+1)), L = rho/(1 - rho) + (K+1) /
    (1 - sigma^(K+1))) so that rho^K never overflows.
    """
    lam = np.asarray(arrival_rate, dtype=float)
    rho = lam / service_rate
    blocking = np.zeros_like(rho)
    in_node = np.zeros_like(rho)
    below = rho < 1 - 1e-9
    above = rho > 1 + 1e-9
    at = ~below & ~above
    r = rho[below]
    top = np.exp((k + 1) * np.log(np.where(r > 0, r, 1.0))) * (r > 0)  # rho^(K+1), 0 at rho = 0
    blocking[below] = np.where(r > 0, (1 - r) * top / np.where(r > 0, r, 1.0) / (1 - top), 0.0)
    in_node[below] = r / (1 - r) - (k + 1) * top / (1 - top)
    s = 1 / rho[above]
    low = np.exp((k + 1) * np.log(s))  # sigma^(K+1)
    blocking[above] = (1 - s) / (1 - low)
    in_node[above] = rho[above] / (1 - rho[above]) + (k + 1) / (1 - low)
    blocking[at] = 1 / (k + 1)
    in_node[at] = k / 2
    admitted = lam * (1 - blocking)
    sojourn = np.where(admitted > 0, in_node / np.where(admitted > 0, admitted, 1.0), 1 / service_rate)
    return blocking, sojourn


def _primaries_and_clients(component) -> tuple[int, int, str]:
    """(primary nodes, max clients per node, where the max clients figure comes from)."""
    from archplan import catalog

    spec = component.spec
    if component.kind == "memorystore_redis":
        fact = catalog.service("limits").fact("memorystore_redis_max_clients")
        return 1, int(fact.decimal), f"{fact.source}, read 2026-12-02"
    fact = catalog.service(spec.service).fact(f"max_clients/{spec.node_type}")
    return spec.shards, int(fact.decimal), f"{fact.source}, read 2026-12-02"


def _dependencies(plan, service) -> list[str]:
    component = plan.component(service.component)
    names = [d.name for d in component.spec.depends_on]
    if component.kind == "gke":
        deployment = next(d for d in component.spec.deployments if f"{component.name}/{d.name}" == service.name)
        if deployment.depends_on is not None:
            names = [d.name for d in deployment.depends_on]
    return names


def _ops_per_request(plan, service) -> float | None:
    component = plan.component(service.component)
    spec = component.spec
    if component.kind == "gke":
        spec = next(d for d in spec.deployments if f"{component.name}/{d.name}" == service.name)
    value = getattr(spec, "redis_ops_per_request", None)
    return None if value is None else float(value)


def build(plan, services, rates: list[np.ndarray]) -> tuple[list[CacheModel], list[tuple[np.ndarray, np.ndarray]], list[str]]:
    """The caches the simulated services depend on, and for each service (refused share, extra seconds)
    per minute; empty arrays for a service that depends on none."""
    notes: list[str] = []
    caches = {c.name: c for c in plan.components if c.kind in KINDS}
    minutes = len(rates[0]) if rates else 0
    users: dict[str, list[tuple[int, float]]] = {}
    unstated: dict[str, list[str]] = {}
    for index, service in enumerate(services):
        for name in _dependencies(plan, service):
            if name in caches:
                ops = _ops_per_request(plan, service)
                if ops is None:
                    ops = 1.0
                    unstated.setdefault(name, []).append(service.name)
                users.setdefault(name, []).append((index, ops))
    for name, who in unstated.items():
        notes.append(f"{', '.join(who)}: redis_ops_per_request not in the plan; one command per request to "
                     f"{name} is assumed")
    models = []
    effects = [(np.zeros(minutes), np.zeros(minutes)) for _ in services]
    touched = set()
    for name, clients in users.items():
        component = caches[name]
        primaries, max_clients, clients_source = _primaries_and_clients(component)
        stated = component.spec.primary_ops_per_second
        ops_per_second = float(stated) if stated is not None else DEFAULT_PRIMARY_OPS_PER_SECOND
        if stated is None:
            notes.append(f"{name}: primary_ops_per_second not in the plan; {DEFAULT_PRIMARY_OPS_PER_SECOND:,.0f} "
                         "commands a second per primary is assumed (archplan's assumption: Google publishes "
                         "no command rate for Memorystore)")
        demand = sum(rates[i] * ops for i, ops in clients) / primaries
        refused, sojourn = mm1k(demand, ops_per_second, max_clients)
        model = CacheModel(name, component.kind, primaries, ops_per_second, max_clients,
                           [(services[i].name, ops) for i, ops in clients], demand, refused, sojourn)
        model.notes.append(f"{name}: {primaries} primar{'y' if primaries == 1 else 'ies'} x {ops_per_second:,.0f} "
                           f"commands/s, at most {max_clients:,} connections a node ({clients_source}); commands "
                           "spread evenly over the primaries")
        models.append(model)
        for i, ops in clients:
            passed, extra = effects[i]
            # Several caches: a request must get every command through, and waits on each in turn.
            effects[i] = (1 - (1 - passed) * (1 - refused) ** ops, extra + ops * sojourn)
            touched.add(i)
    out = [(effects[i][0], effects[i][1]) if i in touched else (np.zeros(0), np.zeros(0))
           for i in range(len(services))]
    return models, out, notes


def summary(model: CacheModel) -> dict:
    peak = float(model.demand_ops_per_second.max()) if len(model.demand_ops_per_second) else 0.0
    return {"cache": model.name, "kind": model.kind, "primaries": model.primaries,
            "ops_per_second_per_primary": model.ops_per_second, "max_clients_per_node": model.max_clients,
            "clients": [{"service": s, "commands_per_request": ops} for s, ops in model.clients],
            "peak_ops_per_second_per_primary": peak,
            "peak_utilisation": peak / model.ops_per_second,
            "minutes_over_capacity": int((model.demand_ops_per_second > model.ops_per_second).sum()),
            "max_refused_share": float(model.refused_share.max()) if len(model.refused_share) else 0.0,
            "max_sojourn_ms": float(model.sojourn_s.max()) * 1000 if len(model.sojourn_s) else 0.0,
            "formula": "M/M/1/K per primary per minute: rho = demand / capacity, P_K = (1 - rho) rho^K / "
                       "(1 - rho^(K+1)), W = L / (demand (1 - P_K))"}


