"""Size, scaling and zone-failure facts for the kinds added for production plans (queues, API management,
Memorystore clusters, keys, builds, identity, jobs, AI APIs), in the style of describe.py."""
from __future__ import annotations

from typing import Callable

from archplan.components.base import Component
from archplan.doc.describe import Facts, _memory, _num, _plural


def _cloud_run_job(c: Component) -> Facts:
    s = c.spec
    size = f"{_num(s.cpu)} vCPU, {_memory(s.memory)} per task"
    runs = f"{_plural(s.tasks, 'task')} per execution, {_num(s.executions_per_month)} executions a month"
    return Facts(size, runs + (f", {s.parallelism} at once" if s.parallelism else ""),
                 f"regional; a failed task is retried up to {s.max_retries} times", f"{size}, {runs}")


def _cloud_tasks(c: Component) -> Facts:
    s = c.spec
    queues = s.queues if isinstance(s.queues, int) else len(s.queues)
    return Facts(f"{_plural(queues, 'queue')}, {_num(c.usage['operations'])} operations a month",
                 "managed; dispatch rate per queue up to 500/s", "regional, managed by Google",
                 _plural(queues, "queue"))


def _eventarc(c: Component) -> Facts:
    s = c.spec
    return Facts(f"{_plural(len(s.triggers), 'trigger')}, {_num(c.usage['events'])} events a month", "automatic",
                 "regional; delivery through Pub/Sub", _plural(len(s.triggers), "trigger"))


def _api(c: Component) -> Facts:
    calls = _num(c.usage["calls"])
    routes = _plural(len(c.spec.routes), "route")
    return Facts(f"{routes}, {calls} calls a month", "managed", "managed by Google", f"{routes}, {calls} calls/month")


def _cluster(c: Component) -> Facts:
    s = c.spec
    size = f"{_plural(s.shards, 'shard')} x (1 + {_plural(s.replicas_per_shard, 'replica')}) of {s.node_type}, " \
           f"{_num(c.usage['keyspace_gb'])} GB keyspace"
    ha = ("no replica: a node failure loses its shard until it is replaced" if s.replicas_per_shard == 0 else
          f"replicas in other zones, automatic failover ({s.zone_distribution.replace('_', '-')})")
    return Facts(size, "add shards or replicas", ha, f"{_plural(s.shards, 'shard')}, {s.node_type}")


def _kms(c: Component) -> Facts:
    keys = c.spec.keys
    levels = ", ".join(sorted({k.protection_level for k in keys}))
    return Facts(f"{_plural(len(keys), 'key')} ({levels})", "managed", "regional key ring, managed by Google",
                 _plural(len(keys), "key"))


def _build(c: Component, components) -> Facts:
    """Where the builds run is where cost prices them: private GKE clusters' pipelines in the private pool."""
    from archplan.pricing.cloud_build import pipelines

    s = c.spec
    minutes = _num(c.usage["build_minutes"])
    private, total = pipelines(components)
    pools = "default pool" if not private else "private pool" if private == total else \
        f"private pool ({private} of {total} pipelines), default pool (the rest)"
    return Facts(f"{s.machine_type}, {minutes} build minutes a month", pools, "-",
                 f"{s.machine_type}, {minutes} min/month")


_build.reads_components = True


def _identity(c: Component) -> Facts:
    mau = _num(c.usage["tier1_mau"])
    return Facts(f"{mau} monthly active users ({', '.join(c.spec.providers)})", "managed", "global, managed by Google",
                 f"{mau} MAU")


def _vision(c: Component) -> Facts:
    features = ", ".join(f"{f.feature} {_num(f.units_per_month)}" for f in c.spec.features)
    return Facts(f"units a month: {features}", "managed", "managed by Google", features)


def _alloydb(c: Component) -> Facts:
    s = c.spec
    primary = f"primary {s.machine_type} ({'HA: active + standby node' if s.ha else 'basic: one node'})"
    pools = ", ".join(f"read pool {p.name}: {_plural(p.nodes, 'node')} of {p.machine_type}" for p in s.read_pools)
    size = primary + (f"; {pools}" if pools else "") + (f"; {_num(s.storage_gb)} GB stored" if s.storage_gb else "")
    zones = "HA primary: fails over to its standby node in another zone" if s.ha else \
        "basic primary: one zone, no failover"
    return Facts(size, "vertical: change the machine shape; reads: add read pool nodes", zones, primary)


def _spanner(c: Component) -> Facts:
    from archplan.components.spanner import multi_region

    s = c.spec
    where = f"multi-region {s.config}" if multi_region(s.config) else f"regional-{s.config or c.region}"
    size = f"{s.units:,} processing units ({s.units / 1000:g} node(s)), {s.edition}, {where}" + (
        f"; {_num(s.storage_gib)} GiB stored" if s.storage_gib else "")
    zones = ("replicas in several regions: survives the loss of a region" if multi_region(s.config) else
             "three zone replicas in one region: survives the loss of a zone")
    return Facts(size, "horizontal: add processing units (100-unit steps below a node, whole nodes above)", zones,
                 f"{s.units:,} PU")


def _vector_search(c: Component) -> Facts:
    from archplan.components.vector_search import shards

    s = c.spec
    size = (f"{_num(s.index_gib)} GiB index ({_plural(shards(s), 'shard')} of {s.shard_size}), "
            f"{_plural(s.nodes, 'node')} of {s.serving_machine}")
    return Facts(size, "horizontal: add serving nodes (replicas)", "managed by Google in the region",
                 f"{s.nodes} x {s.serving_machine}")


def _translation(c: Component) -> Facts:
    chars = _num(c.usage["characters"])
    return Facts(f"{chars} characters a month", "managed", "managed by Google", f"{chars} chars/month")


def _speech(c: Component) -> Facts:
    minutes = _num(c.usage["minutes"])
    return Facts(f"{minutes} audio minutes a month ({c.spec.api.upper()} {c.spec.model})", "managed",
                 "managed by Google", f"{minutes} min/month")


def _document_ai(c: Component) -> Facts:
    pages = _num(c.usage["pages"])
    return Facts(f"{pages} pages a month ({c.spec.processor})", "managed", "managed by Google",
                 f"{pages} pages/month")


DESCRIBERS: dict[str, Callable[[Component], Facts]] = {
    "cloud_run_job": _cloud_run_job, "cloud_tasks": _cloud_tasks, "eventarc": _eventarc, "api_gateway": _api,
    "cloud_endpoints": _api, "memorystore_valkey": _cluster, "memorystore_redis_cluster": _cluster,
    "cloud_kms": _kms, "cloud_build": _build, "identity_platform": _identity, "cloud_vision": _vision,
    "cloud_translation": _translation, "alloydb": _alloydb, "spanner": _spanner,
    "vector_search": _vector_search, "speech_to_text": _speech, "document_ai": _document_ai,
}
