"""The check report as JSON (schema `archplan.check/v1`) for CI."""
from __future__ import annotations

import math
from dataclasses import asdict, fields

from archplan.render import json_text
from archplan.render.once import per_report


def _number(value: float, places: int = 4):
    if value is None:
        return None
    if math.isinf(value):
        return None
    return round(value, places)


def _finding(finding) -> dict:
    """A finding's fields in order, but its `fact` (as dataclasses.asdict gives them: its fields are text,
    numbers and lists of text, so a shallow copy is the same data, without asdict's deep walk per value)."""
    out = {}
    for name in (f.name for f in fields(finding)):
        if name != "fact":
            value = getattr(finding, name)
            out[name] = list(value) if isinstance(value, list) else value
    return out


def as_data(report) -> dict:
    """The report as the JSON document's data (built once per report; only read)."""
    return per_report(report, "_json_data", lambda: _as_data(report))


def _as_data(report) -> dict:
    data = {
        "schema": "archplan.check/v1",
        "project": report.project, "file": report.file, "environment": report.environment,
        "sections": report.sections, "counts": report.counts(),
        "findings": [_finding(f) for f in report.findings],
        "claims": [{**asdict(v), "computed_value": _number(v.computed_value, 6)} for v in report.claims],
        "skipped": [asdict(s) for s in report.skipped],
    }
    a = report.availability
    if a is not None:
        data["availability"] = {
            "composite_percent": _number(a.composite_percent, 5), "path": a.path,
            "downtime_minutes_per_month": _number(a.downtime_minutes_per_month, 2),
            "downtime_minutes_per_year": _number(a.downtime_minutes_per_year, 2),
            "slo_percent": a.slo_percent, "error_budget_minutes_per_month": _number(a.error_budget_minutes_per_month, 2),
            "dominant": a.dominant,
            "components": [{"name": c.name, "kind": c.kind, "percent": _number(c.percent, 5),
                            "configuration": c.configuration, "basis": c.basis, "source": c.source}
                           for c in a.components.values()],
            "weakest_path": a.weakest_path, "entry_points": a.entry_points,
            "entries": [{"name": e.name, "kind": e.kind, "entry": e.entry, "components": e.components,
                       "percent": _number(e.percent, 5),
                       "downtime_minutes_per_month": _number(e.downtime_minutes_per_month, 2),
                       "downtime_minutes_per_year": _number(e.downtime_minutes_per_year, 2),
                       "slo_percent": e.slo_percent,
                       "error_budget_minutes_per_month": _number(e.error_budget_minutes_per_month, 2),
                       "met": e.met, "dominant": e.dominant,
                       **({"formula": e.expression} if e.expression else {})} for e in a.entries],  # every path (v1 name)
            "recovery": [{"component": r.component, "scenario": r.scenario, "rto_minutes": _number(r.rto_minutes, 2),
                          "rpo_minutes": _number(r.rpo_minutes, 2), "basis": r.basis} for r in a.recovery],
            "assumptions": a.assumptions,
            "off_path": [{"caller": caller, "component": name} for caller, name in a.off_path],
        }
        if a.scenarios:  # multi-region plans only
            data["availability"]["failure_scenarios"] = [
                {"scenario": r.scenario, "rto_minutes": _number(r.rto_minutes, 2), "rpo_minutes": _number(r.rpo_minutes, 2),
                 "rto_unbounded": math.isinf(r.rto_minutes), "rpo_unbounded": math.isinf(r.rpo_minutes),
                 "rto_set_by": r.worst_rto, "rpo_set_by": r.worst_rpo, "basis": r.basis,
                 **({"peak_served_percent": _number(r.peak_served_percent, 1)}
                    if r.peak_served_percent is not None else {})} for r in a.scenarios]
    c = report.capacity
    if c is not None:
        data["capacity"] = {
            "peak_to_average": c.peak_to_average, "peak_assumed": c.peak_assumed,
            "services": [{"name": s.name, "kind": s.kind, "avg_rps": _number(s.avg_rps, 3),
                          "peak_rps": _number(s.peak_rps, 3), "service_time_ms": _number(s.service_time_ms, 2),
                          "per_instance": s.per_instance, "instances_needed": s.instances_needed,
                          "max_instances": s.max_instances, "wait_probability": _number(s.wait_probability, 4),
                          "mean_wait_ms": _number(s.mean_wait_ms, 3), "p95_ms": _number(s.p95_ms, 2),
                          "utilization": _number(s.utilization, 4), "queue_servers": s.queue_servers,
                          "concurrency": s.concurrency, "service_cv": s.service_cv,
                          "long_lived": s.long_lived, "concurrent_connections": _number(s.concurrent_connections, 2),
                          "background": s.background, "latency_target_ms": s.latency_target_ms,
                          "assumptions": s.assumptions, "model": s.model} for s in c.services],
            "paths": [{"name": p.name, "kind": p.kind, "services": p.services, "mean_ms": _number(p.mean_ms, 2),
                       "p95_ms": _number(p.p95_ms, 2), "target_ms": p.target_ms, "target_source": p.target_source,
                       "long_lived": p.held_open} for p in c.paths],
            "connections": [{"database": b.database, "total": b.total, "max_connections": b.max_connections,
                             "max_connections_source": b.max_connections_source,
                             "clients": [{"client": n, "connections": k, "formula": f} for n, k, f in b.clients],
                             "unknown_clients": b.unknown_clients} for b in c.connections],
        }
    return data


def render(report) -> str:
    return json_text.dumps(as_data(report)) + "\n"
