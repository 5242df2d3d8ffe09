"""The check report for the terminal: summary figures, then findings by severity."""
from __future__ import annotations

import textwrap

from archplan.check import minutes_text

MARK = {"error": "ERROR", "warning": "WARN ", "info": "INFO "}


def render(report) -> str:
    env = f", environment {report.environment}" if report.environment else ""
    out = [f"{report.project}: check of {report.file}{env}", ""]
    a = report.availability
    if a is not None:
        slo = f"; SLO {a.slo_percent:g}% (error budget {a.error_budget_minutes_per_month:.1f} min/month)" \
            if a.slo_percent is not None else "; no availability SLO"
        out.append(f"Availability per path (entry points: {', '.join(a.entry_points) or 'none'}{slo}):")
        for p in a.entries:
            target = "no target" if p.slo_percent is None else \
                f"target {p.slo_percent:g}% {'met' if p.met else 'NOT MET'} (budget {p.error_budget_minutes_per_month:.1f} min)"
            out.append(f"  {p.kind:<7} {p.name:<40} {p.percent:>8.3f}%  down {p.downtime_minutes_per_month:>6.1f} min/month "
                       f"{p.downtime_minutes_per_year / 60:>5.1f} h/year  {target}; weakest {p.dominant}")
        on_any = {n for p in a.entries for n in p.components}
        for name in (n for n in a.components if n in on_any):
            c = a.components[name]
            out.append(f"  {c.percent:>8.3f}%  {name:<22} {c.configuration}" + (" (assumed)" if c.basis == "assumed" else ""))
        callers: dict[str, list[str]] = {}
        for caller, name in a.off_path:
            callers.setdefault(name, []).append(caller)
        for name, who in callers.items():
            verb = "depends" if len(who) == 1 else "depend"
            out.append(f"  off path  {name:<22} {', '.join(who)} {verb} on it, but a request does not wait on an "
                       "operations service (secrets read at start, tokens checked locally): `critical: true` on the "
                       "edge counts it")
        for r in a.recovery:
            out.append(f"  recovery  {r.component:<22} {r.scenario}: RTO {minutes_text(r.rto_minutes)}, RPO {minutes_text(r.rpo_minutes)}")
        for p in a.entries:
            if p.expression:
                out.append(f"  {p.name}: {p.expression}")
        if a.scenarios:
            out.append("")
            out.append("Failure scenarios (what the plan supports; the slowest and lossiest stateful component):")
            for r in a.scenarios:
                served = getattr(r, "peak_served_percent", None)
                out.append(f"  {r.scenario:<16} RTO {minutes_text(r.rto_minutes):>10} ({r.worst_rto or '-'})  "
                           f"RPO {minutes_text(r.rpo_minutes):>10} ({r.worst_rpo or '-'})"
                           + (f"  peak served {served:.0f}%" if served is not None and served < 100 else ""))
        out.append("")
    c = report.capacity
    if c is not None and (c.services or c.connections):
        out.append(f"Capacity at peak (x{c.peak_to_average:g} average{', assumed' if c.peak_assumed else ''}):")
        for s in c.services:
            role = "background" if s.background else "request"
            if s.long_lived:
                tail = f"{s.concurrent_connections:>8.1f} {s.long_lived} connections open of {s.queue_servers} slots"
            else:
                target = f" (target {s.latency_target_ms:g})" if s.latency_target_ms is not None else ""
                tail = f"p95 {s.p95_ms:>8.0f} ms{target}  wait {s.wait_probability:.0%}"
            out.append(f"  {s.name:<26} {role:<10} {s.peak_rps:>9.2f} req/s  needs {s.instances_needed:>4} of max "
                       f"{s.max_instances:<5} {tail}")
        for p in c.paths:
            target = f" (target {p.target_ms:g} ms)" if p.target_ms is not None else ""
            out.append(f"  path {p.name:<36} end to end: {len(p.services)} hop(s), p95 {p.p95_ms:>6.0f} ms{target}")
        for b in c.connections:
            unknown = f" (+ unknown: {', '.join(b.unknown_clients)})" if b.unknown_clients else ""
            out.append(f"  {b.database:<26} connections {b.total} of max {b.max_connections}{unknown}")
        out.append("")
    if report.claims:
        tally = {v: sum(1 for c in report.claims if c.verdict == v) for v in ("held", "off", "not checkable")}
        out.append(f"Claims: {tally['held']} held, {tally['off']} off, {tally['not checkable']} not checkable")
        for v in report.claims:
            env = f" [{v.environment}]" if v.environment else ""
            computed = f"; archplan: {v.computed}" if v.computed is not None else ""
            finding = f"  -> {v.finding}" if v.finding else ""
            out.append(f"  {v.verdict.upper():<13} {v.id}{env}: {v.stated} for {v.about}{computed}{finding}")
            if v.verdict != "off":  # an off claim's arithmetic is in its finding below
                out += textwrap.wrap(v.explanation, width=110, initial_indent="      ", subsequent_indent="      ")
            if v.note:
                out += textwrap.wrap(f"note (the author's, not computed): {v.note}", width=110,
                                     initial_indent="      ", subsequent_indent="      ")
        out.append("")
    counts = report.counts()
    out.append(f"Findings: {counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info")
    for f in report.findings:
        where = f"{report.file}:{f.line}" if f.line else report.file
        subject = f" [{f.component}]" if f.component else ""
        out.append(f"{MARK[f.severity]} {f.id}{subject} {f.title}  ({where})")
        out += textwrap.wrap(f.detail, width=110, initial_indent="      ", subsequent_indent="      ")
        out += textwrap.wrap(f"fix: {f.fix}", width=110, initial_indent="      ", subsequent_indent="           ")
    if report.skipped:
        out += ["", "Skipped rules:"]
        for s in report.skipped:
            scope = f" for {', '.join(s.components)}" if s.components else ""
            out.append(f"  {s.id}{scope}: {s.reason}")
    return "\n".join(out) + "\n"
