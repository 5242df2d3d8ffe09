"""Text and JSON for a simulation summary. Formatting only: every figure comes from report.summarise."""
from __future__ import annotations

import json
import math


def _ms(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def _count(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 or value == 0 else f"{value:,.1f}"


def _share(value: float) -> str:
    if value == 0:
        return "0%"
    return f"{value:.2%}" if value < 0.1 else f"{value:.1%}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]
    line = lambda cells: "  ".join(c.ljust(w) if i == 0 else c.rjust(w)  # noqa: E731
                                   for i, (c, w) in enumerate(zip(cells, widths)))
    return [line(header), line(["-" * w for w in widths])] + [line(r) for r in rows]


def render_table(summary: dict) -> str:
    spikes = ", ".join(summary["spikes"]) or "none"
    out = [f"Simulation of {summary['file']}: {summary['days']:g} day(s) at {summary['resolution_s']:g} s "
           f"resolution, {summary['seeds']} seed(s) from --seed {summary['seed']}; spikes: {spikes}", ""]
    services = summary["services"]
    if not services and not summary["quotas"]:
        out += ["Nothing to simulate: the plan has no Cloud Run service, Cloud Function, GKE deployment with "
                "request_duration_ms and traffic_share, or LLM with chats_per_day (see below).", ""]
    if services:
        out.append("Per service (mean over seeds; latency percentiles of all served requests):")
        rows = []
        for s in services:
            lat = s["latency_ms"]
            rows.append([s["service"], _count(s["requests"]), _ms(lat["p50"]), _ms(lat["p95"]), _ms(lat["p99"]),
                         f"{_count(s['cold_starts'])} ({_share(s['cold_start_share'])})",
                         _count(s["queued"]), f"{_count(s['rejected_429'])} / {_count(s['timeouts'])}",
                         f"{s['instances']['min']:.0f}/{s['instances']['mean']:.2f}/{s['instances']['max']:.0f}",
                         _count(s["instance_seconds"]), _count(s["busy_instance_seconds"])])
        out += _table(["service", "requests", "p50 ms", "p95 ms", "p99 ms", "cold starts", "queued",
                       "429 / timeout", "inst min/mean/max", "instance-s", "busy-s"], rows)
        backlog = [s for s in services if s["max_backlog"] > 0]
        for s in backlog:
            out.append(f"  {s['service']}: pending queue (Pub/Sub backlog or max-instances queue) peaked at "
                       f"{s['max_backlog']:,.0f} requests")
        out.append("")
    for s in services:
        if s.get("refused_by_redis"):
            out.append(f"  {s['service']}: {_count(s['refused_by_redis'])} of its 429s "
                       f"({_share(s['refused_by_redis_share'])} of requests) were commands a full Memorystore refused")
    if summary.get("caches"):
        out.append("Memorystore (M/M/1/K per primary, minute by minute; K = max clients a node):")
        rows = [[c["cache"], str(c["primaries"]), f"{c['ops_per_second_per_primary']:,.0f}",
                 f"{c['max_clients_per_node']:,}", f"{c['peak_ops_per_second_per_primary']:,.1f}",
                 _share(c["peak_utilisation"]), str(c["minutes_over_capacity"]), _share(c["max_refused_share"]),
                 f"{c['max_sojourn_ms']:.3g} ms"] for c in summary["caches"]]
        out += _table(["cache", "primaries", "commands/s a primary", "K", "peak demand/s a primary", "peak use",
                       "minutes over", "max refused", "max wait a command"], rows)
        out.append("")
    if summary["quotas"]:
        out.append("LLM quotas (calls limited per minute):")
        rows = [[q["service"], _count(q["requests"]), _count(q["peak_calls_per_minute"]),
                 "-" if q["rpm_quota"] is None else f"{q['rpm_quota']:,.0f}",
                 "-" if q["tpm_quota"] is None else f"{q['tpm_quota']:,.0f}",
                 f"{_count(q['rejected_429'])} ({_share(q['rejected_share'])})",
                 _ms(q["latency_ms"].get("p95"))] for q in summary["quotas"]]
        out += _table(["model", "calls", "peak/min", "RPM quota", "TPM quota", "429", "p95 ms"], rows)
        out.append("")
    if summary["entry_points"]:
        out.append("Per entry point (first simulated service, plus the waits and cold starts of the services it calls):")
        rows = [[e["entry"], e["first_service"], _count(e["requests"]), _ms(e["latency_ms"]["p50"]),
                 _ms(e["latency_ms"]["p95"]), _ms(e["latency_ms"]["p99"]), _share(e["failed_share"])]
                for e in summary["entry_points"]]
        out += _table(["entry", "via", "requests", "p50 ms", "p95 ms", "p99 ms", "failed"], rows)
        out.append("")
    if summary["costs"]:
        scale = summary["month_scale"]
        how = "" if abs(scale - 1) < 1e-9 else f" (simulated days x {scale:.4g} = a month)"
        out.append(f"Month's cost of each usage-priced component, USD, over the seeds{how}:")
        code = summary["costs"][0]["currency"]
        rate = summary["costs"][0]["per_usd"]
        rows = [[c["component"], f"{c['cost_usd']:,.2f}",
                 f"{c['profile_usd']:,.2f}" if c.get("profile_usd") is not None else "-",
                 f"{c['p5_usd']:,.2f}", f"{c['p50_usd']:,.2f}", f"{c['p95_usd']:,.2f}",
                 f"{c['p50_' + code.lower()]:,.2f}"] for c in summary["costs"]]
        out += _table(["component", "cost (point)", "shaped", "P5", "P50", "P95", f"P50 {code}"], rows)
        out.append("  cost (point) is `archplan cost`: the month's average load, M/G/inf busy time. shaped: the "
                   "same formula minute by minute over the simulated day's shape, priced the same way. P5-P95 "
                   "price each seed's simulated requests and busy (or instance) seconds with the same pricer. "
                   f"P50 {code}: at {rate:g} {code} per USD, as `cost` converts.")
        out += [f"  - {c['explanation']}" for c in summary["costs"] if c.get("explanation")]
        out.append("")
    if summary["assumptions"]:
        out.append("Assumptions:")
        out += [f"  - {a}" for a in summary["assumptions"]]
    return "\n".join(out).rstrip() + "\n"


def _clean(value):
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else round(value, 6)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def render_json(summary: dict) -> str:
    return json.dumps(_clean(summary), indent=2, sort_keys=False) + "\n"
