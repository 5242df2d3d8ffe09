"""Quotas the whole project shares in a region, as limits `scale` follows with load.

Each quota's capacity is the project's own figure when the plan states it (`project.quotas`, per region
under `regions`), else the default Google publishes, with its source; where Google publishes none (the
Compute Engine CPUS quota: "Not all projects have the same quotas"), the quota is not checked and the
result says so, with what the plan uses of it, so the user can compare it with the console's figure.

- Cloud Run CPU and memory allocation: every instance's vCPU and memory together, each service up to
  its max instances (baseline: the max-instances page's example, 1,000 vCPU and 2,000 GiB).
- Compute Engine CPUS: every VM's vCPUs, and the nodes of each GKE Standard cluster at the load (each pool
  that grows, limits.growing_pools, runs the nodes the cluster autoscaler would, limits.autoscaled_nodes,
  as `scale` prices them; the other pools keep the nodes they are created with).
- Pub/Sub publisher throughput: every topic's publish rate at the peak, summed per region, against
  the region's default (large regions 200 MB/s, the others 50 MB/s).
- Cloud SQL instances per project (read replicas count) and GKE regional clusters per region: counts
  that do not grow with load.
"""
from __future__ import annotations

from decimal import Decimal

from archplan.components.base import SECONDS_PER_MONTH


def _own(plan, region: str, key: str):
    """(the project's stated quota or None, where it is stated)."""
    quotas = plan.spec.project.quotas
    value = quotas.regional(region, key)
    if value is None:
        return None, None
    own = quotas.regions.get(region)
    where = f"project.quotas.regions.{region}.{key}" if own is not None and getattr(own, key) is not None \
        else f"project.quotas.{key}"
    return float(value), where


def _region(plan, component) -> str:
    return getattr(component, "region", None) or plan.region


def regional(plan, capacity, target: float, load: float) -> tuple[list, list]:
    """(limits, quotas not checked) at `load` (the plan is already set to it)."""
    from archplan import catalog
    from archplan.scale.limits import Limit, Term, instances

    book = catalog.service("limits")
    by_name = {c.name: c for c in plan.components}
    out: list[Limit] = []
    unchecked: list[dict] = []

    def quota(region, key, fact_key, kind="a published default"):
        """(capacity, its source in words) or (None, None) when neither the plan nor Google gives one."""
        value, where = _own(plan, region, key)
        if value is not None:
            return value, f"the project's own quota, {where}"
        if fact_key is None:
            return None, None
        fact = book.fact(fact_key)
        if fact.value is None:
            return None, None
        return float(fact.decimal), f"{fact.source}, {kind}; state project.quotas.{key} for the project's own"

    runs: dict[str, list] = {}
    for row in capacity.services:
        if row.kind == "cloud_run":
            runs.setdefault(_region(plan, by_name[row.name]), []).append(row)
    for region, rows in runs.items():
        where = f"region {region} (project)"
        for key, fact_key, what, unit, size in (
                ("cloud_run_cpu", "cloud_run_regional_cpu_quota_vcpu", "Cloud Run regional CPU quota", "vCPU",
                 lambda spec: float(spec.cpu)),
                ("cloud_run_memory_gib", "cloud_run_regional_memory_quota_gib", "Cloud Run regional memory quota",
                 "GiB", lambda spec: float(spec.memory))):
            limit, source = quota(region, key, fact_key, "the page's example of a baseline quota; the project's "
                                                         "own is on the console's Quotas page")
            if limit is None:
                continue
            terms = [Term(instances(row, target), row.min_instances, True, size(by_name[row.name].spec),
                          row.max_instances) for row in rows]
            parts = " + ".join(f"{row.name} instances x {size(by_name[row.name].spec):g} {unit}" for row in rows)
            out.append(Limit(where, what, limit, unit, f"{parts} (instances at the load, each up to its max "
                                                       f"instances) against {limit:g} {unit} ({source})", terms, load))
    out += _compute_cpus(plan, capacity, target, load, quota, unchecked)
    out += _pubsub(plan, capacity, load)
    databases = [c for c in plan.components if c.kind == "cloud_sql"]
    if databases:
        own = plan.spec.project.quotas.cloud_sql_instances
        fact = book.fact("cloud_sql_instances_per_project")
        limit, source = (float(own), "the project's own quota, project.quotas.cloud_sql_instances") \
            if own is not None else (float(fact.decimal), fact.source)
        count = sum(1 + c.spec.read_replicas for c in databases)
        out.append(Limit(f"project {plan.spec.project.name}", "Cloud SQL instances per project", limit, "instances",
                         " + ".join(f"{c.name} 1 + {c.spec.read_replicas} replica(s)" for c in databases)
                         + f" = {count} against {limit:g} ({source}); it does not grow with load",
                         [Term(0.0, count)], load))
    clusters: dict[str, list[str]] = {}
    for component in plan.components:
        if component.kind == "gke" and (component.spec.mode == "autopilot" or
                                        component.spec.location_type == "regional"):
            clusters.setdefault(_region(plan, component), []).append(component.name)
    fact = book.fact("gke_regional_clusters_per_region")
    for region, names in clusters.items():
        out.append(Limit(f"region {region} (project)", "GKE regional clusters per region", float(fact.decimal),
                         "clusters", f"{', '.join(names)} = {len(names)} regional cluster(s) against "
                                     f"{fact.decimal} ({fact.source}, a system limit); it does not grow with load",
                         [Term(0.0, len(names))], load))
    return out, unchecked


def _compute_cpus(plan, capacity, target, load, quota, unchecked) -> list:
    from archplan import catalog
    from archplan.components.gke import created_nodes, largest_nodes
    from archplan.scale.limits import Limit, Term, autoscaled_nodes, growing_pools, instances, nodes_needed, pool_shape

    machine_types = catalog.service("compute_engine").machine_types
    rows = {row.name: row for row in capacity.services}
    regions: dict[str, tuple[list, list]] = {}
    for component in plan.components:
        spec = component.spec
        terms, parts = regions.setdefault(_region(plan, component), ([], []))
        if component.kind == "compute_engine" and spec.count:
            vcpu = float(machine_types[spec.machine_type]["vcpu"])
            terms.append(Term(0.0, spec.count, weight=vcpu))
            parts.append(f"{component.name} {spec.count} VM(s) x {vcpu:g} vCPU")
        elif component.kind == "gke" and spec.mode == "standard" and spec.node_pools:
            growing = growing_pools(spec)
            for pool, deployments, spill in growing:
                vcpu, cpu_node, memory_node = pool_shape(pool)
                floor, top = created_nodes(spec, pool), largest_nodes(spec, pool)
                pods = [(instances(rows[f"{component.name}/{d.name}"], target) if f"{component.name}/{d.name}" in
                         rows else 0.0, d) for d in deployments]

                def nodes(at: float, pods=pods, point=load, spill=spill, floor=floor, top=top, cpu_node=cpu_node,
                          memory_node=memory_node) -> float:
                    return autoscaled_nodes(nodes_needed(pods, at, point, cpu_node, memory_node), spill, floor, top)

                terms.append(Term(0.0, weight=vcpu, function=nodes))
                parts.append(f"{component.name} {pool.name} nodes at the load ({pool.machine_type}, {vcpu:g} vCPU; "
                             f"the pods' requests, each deployment's pods at most its max_replicas, over "
                             f"{cpu_node:.2f} vCPU / {memory_node:.2f} GiB allocatable a node, from {floor} up to "
                             f"{top})")
            for pool in spec.node_pools:
                if any(pool is grows for grows, _d, _s in growing):
                    continue
                pool_vcpu = float(machine_types[pool.machine_type]["vcpu"])
                created = created_nodes(spec, pool)
                terms.append(Term(0.0, created, weight=pool_vcpu))
                parts.append(f"{component.name} {pool.name} {created} node(s) x {pool_vcpu:g} vCPU")
    out = []
    for region, (terms, parts) in regions.items():
        if not terms:
            continue
        limit, source = quota(region, "compute_engine_cpus", None)
        formula = " + ".join(parts)
        if limit is None:
            fact = catalog.service("limits").fact("compute_engine_cpus_per_region")
            used = Limit("", "", 0.0, "", "", terms, load).used(load)
            unchecked.append({"region": region, "quota": "Compute Engine CPUS", "unit": "vCPU", "used": used,
                              "formula": formula, "reason": (
                                  f"Google publishes no default for this quota ({fact.source}, {fact.date}: \"Not all "
                                  "projects have the same quotas\"), so it is not checked; state the project's "
                                  "figure from the console's Quotas page as project.quotas.compute_engine_cpus "
                                  "(or under project.quotas.regions)")})
            continue
        out.append(Limit(f"region {region} (project)", "Compute Engine CPUS quota", limit, "vCPU",
                         f"{formula} against {limit:g} vCPU ({source})", terms, load))
    return out


def _pubsub(plan, capacity, load) -> list:
    from archplan.scale.limits import Limit, Term

    peak = capacity.peak_to_average
    regions: dict[str, tuple[list, list]] = {}
    for component in plan.components:
        if component.kind != "pubsub":
            continue
        spec = component.spec
        messages = float(component.usage.get("messages"))
        size = float(max(spec.avg_message_kib * 1024, Decimal(1000)))  # billed at 1,000 bytes at least
        mb_per_s = messages * size / float(SECONDS_PER_MONTH) / 1e6 * peak
        terms, parts = regions.setdefault(_region(plan, component), ([], []))
        terms.append(Term(mb_per_s))
        parts.append(f"{component.name} {messages:,.0f} messages x {size:g} B / month x peak {peak:g} = "
                     f"{mb_per_s:.4f} MB/s")
    out = []
    for region, (terms, parts) in regions.items():
        limit, source = _own(plan, region, "pubsub_publish_mb_per_s")
        if limit is not None:
            source = f"the project's own quota, {source}"
        else:
            from archplan.components.pubsub import publish_quota

            default, where = publish_quota(region)
            limit = float(default)
            source = (f"{where}, the default of the page version read (the current page may differ); state "
                      "project.quotas.pubsub_publish_mb_per_s for the project's own")
        out.append(Limit(f"region {region} (project)" if len(terms) > 1 else
                         next(c.name for c in plan.components if c.kind == "pubsub" and _region(plan, c) == region),
                         "Pub/Sub regional publish quota", limit, "MB/s",
                         " + ".join(parts) + f" against {limit:g} MB/s ({source})", terms, load))
    return out
