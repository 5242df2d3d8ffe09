"""The document's availability, capacity and findings sections, laid out from `archplan check`'s report
(archplan.check.run_checks). Without that analysis the document says so in one line."""
from __future__ import annotations

import math
from typing import Any

from archplan.check import minutes_text
from archplan.doc.blocks import Block, Bullets, KeyFacts, Paragraph, Section, Subheading, Table
from archplan.doc.checks import CheckOutcome

MINUTES_PER_MONTH = 730 * 60
FINDING_SECTIONS = ("security", "reliability", "availability", "capacity", "claims")
FINDING_TITLES = {"security": "Security", "reliability": "Reliability", "availability": "Availability",
                  "capacity": "Capacity", "claims": "The plan's own claims"}
SEVERITIES = ("error", "warning", "info")
BASIS = {"sla": "published SLA", "assumed": "assumed (no SLA)", "stated": "stated in the plan"}


def _number(value: float | int | None, places: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, float) and math.isinf(value):
        return "unbounded"
    return f"{value:,.{places}f}" if isinstance(value, float) and value < 100 else f"{value:,.0f}"


def _rate(value: float) -> str:
    """Requests a second: two decimals, or two significant digits below 0.01."""
    if 0 < value < 0.01:
        return f"{value:.2g}"
    return f"{value:,.2f}"


def _duration(minutes: float | None) -> str:
    if minutes is None:
        return "-"
    if math.isinf(minutes):
        return "unbounded"
    if minutes < 1:
        return f"{minutes * 60:.0f} s"
    if minutes >= 120:
        return f"{minutes / 60:,.1f} h"
    return f"{minutes:.1f} min"


def _share(fraction: float) -> str:
    if fraction <= 0:
        return "0%"
    if fraction < 0.001:
        return "<0.1%"
    return f"{fraction * 100:.1f}%"


def sections(outcome: CheckOutcome) -> list[Section]:
    if outcome.report is None:
        return [Section("availability", "Availability, capacity and findings", [Paragraph(
            f"Not computed: {outcome.missing_reason}. With it, this part of the document shows the composite "
            "availability and downtime, capacity per service, and the security and reliability findings.",
            "note")])]
    report = outcome.report
    return [_availability(getattr(report, "availability", None)), _capacity(getattr(report, "capacity", None)),
            _findings(report)]


def _availability(result: Any) -> Section:
    if result is None:
        return Section("availability", "Availability and downtime",
                       [Paragraph("`check` computed no availability for this plan.", "note")])
    path = list(getattr(result, "path", []) or [])
    slo = getattr(result, "slo_percent", None)
    composite = result.composite_percent
    rows = [("Composite availability", f"**{composite:.3f}%** along the {len(path)} components of the weakest "
                                       f"request path ({getattr(result, 'weakest_path', None) or 'none'}; a "
                                       "request succeeds when all of them are up)"),
            ("Target (SLO)", "not stated" if slo is None else
             f"{slo:g}%: " + ("met" if composite >= slo else "**not met**")),
            ("Expected downtime", f"{_duration(result.downtime_minutes_per_month)} a month, "
                                  f"{_duration(result.downtime_minutes_per_year)} a year")]
    budget = getattr(result, "error_budget_minutes_per_month", None)
    if budget is not None:
        rows.append(("Error budget (SLO)", f"{_duration(budget)} a month"))
    if getattr(result, "dominant", None):
        rows.append(("Weakest component", result.dominant))
    blocks: list[Block] = [KeyFacts(rows)]
    components = getattr(result, "components", {}) or {}
    if path:
        table = []
        for name in path:
            c = components[name]
            downtime = (1 - c.percent / 100) * MINUTES_PER_MONTH
            table.append([name, c.kind, f"{c.percent:.3f}%", _duration(downtime), c.configuration,
                          BASIS.get(c.basis, c.basis)])
        blocks += [Subheading("Weakest request path"),
                   Table(["Component", "Kind", "Availability", "Downtime a month alone", "Configuration", "Basis"],
                         table, numeric=frozenset({2, 3}))]
    entries = getattr(result, "entries", []) or []
    if entries:
        kinds = {"request": "user request", "async": "background (queue or schedule)", "flow": "declared flow"}
        blocks += [Subheading("Availability per path"),
                   Table(["Path", "Kind", "Availability", "Downtime a month", "Downtime a year", "Target",
                          "Error budget a month", "Weakest"],
                         [[e.name, kinds.get(e.kind, e.kind), f"{e.percent:.3f}%",
                           _duration(e.downtime_minutes_per_month), _duration(e.downtime_minutes_per_year),
                           "none" if e.slo_percent is None else f"{e.slo_percent:g}%: "
                           + ("met" if e.met else "**not met**"),
                           "-" if e.error_budget_minutes_per_month is None else
                           _duration(e.error_budget_minutes_per_month), e.dominant or "-"] for e in entries],
                         numeric=frozenset({2, 3, 4, 6}))]
    recovery = getattr(result, "recovery", []) or []
    if recovery:
        blocks += [Subheading("Recovery (RTO and RPO)"),
                   Table(["Component", "Failure", "Back in (RTO)", "Data lost (RPO)", "How"],
                         [[r.component, r.scenario, minutes_text(r.rto_minutes), minutes_text(r.rpo_minutes), r.basis]
                          for r in recovery], numeric=frozenset({2, 3}))]
    formulas = [(e.name, e.expression) for e in entries if getattr(e, "expression", None)]
    if formulas:
        blocks += [Subheading("Regions in parallel"),
                   Paragraph("Behind a load balancer with failover, each region's own components form one block; "
                             "the service is down only when every region's block is (shared components, such as "
                             "one database, stay in series). Active-passive adds the failover time once per "
                             "failure of the serving region."),
                   Bullets([f"{name}: {expression}" for name, expression in formulas])]
    scenarios = getattr(result, "scenarios", []) or []
    if scenarios:
        blocks += [Subheading("Failure scenarios"),
                   Paragraph("What the plan supports in each failure: the slowest recovery (RTO) and the largest "
                             "data loss (RPO) among the components it affects, from HA, cross-region replicas "
                             "(promotion and replication lag), backups and point-in-time recovery, dual-region "
                             "buckets and load-balancer failover."),
                   Table(["Failure", "Back in (RTO)", "Set by", "Data lost (RPO)", "Set by", "From"],
                         [[r.scenario, minutes_text(r.rto_minutes), r.worst_rto or "-", minutes_text(r.rpo_minutes),
                           r.worst_rpo or "-", r.basis] for r in scenarios], numeric=frozenset({1, 3}))]
    assumptions = getattr(result, "assumptions", []) or []
    if assumptions:
        blocks += [Subheading("Availability assumptions"), Bullets(list(assumptions))]
    return Section("availability", "Availability and downtime", blocks)


def _capacity(result: Any) -> Section:
    services = list(getattr(result, "services", []) or []) if result is not None else []
    connections = list(getattr(result, "connections", []) or []) if result is not None else []
    if not services and not connections:
        return Section("capacity", "Capacity", [Paragraph("`check` computed no capacity figures for this plan "
                                                          "(no request-driven services).", "note")])
    peak = f"{result.peak_to_average:g}x the average" + (" (assumed: the plan states no peak)"
                                                          if result.peak_assumed else "")
    blocks: list[Block] = [Paragraph(f"At peak: {peak}. Instances needed at that peak, with the share of "
                                     "requests that queue and the p95 response time from an M/M/c or M/G/c "
                                     "(Erlang C) queueing model over the slots the autoscaler can reach; "
                                     "long-lived connections (WebSocket, SSE, streaming) are counted as open "
                                     "connections instead.")]
    if services:
        rows = [[s.name, s.kind, _rate(s.avg_rps), _rate(s.peak_rps), _number(s.service_time_ms, 0),
                 str(s.per_instance), str(s.instances_needed), f"{s.min_instances}-{s.max_instances}",
                 _share(s.utilization), _share(s.wait_probability),
                 f"{_number(s.concurrent_connections, 0)} open ({s.long_lived})" if getattr(s, "long_lived", None)
                 else _number(s.p95_ms, 0)]
                for s in services]
        blocks += [Subheading("Services at peak"),
                   Table(["Service", "Kind", "Avg req/s", "Peak req/s", "Service ms", "Per instance", "Needed",
                          "Min-max", "Utilisation", "Queued", "p95 ms"], rows, numeric=frozenset(range(2, 11)))]
    if connections:
        rows = []
        for budget in connections:
            clients = ", ".join(f"{name} {count}" for name, count, _formula in budget.clients)
            if budget.unknown_clients:
                clients += ("; " if clients else "") + "unknown: " + ", ".join(budget.unknown_clients)
            if budget.total > budget.max_connections:
                verdict = "**exceeds**"
            elif budget.unknown_clients:
                verdict = f"unknown: {len(budget.unknown_clients)} client(s) not counted (no pool size)"
            else:
                verdict = "fits"
            rows.append([budget.database, clients or "-", _count(budget.total), _count(budget.max_connections),
                         f"{verdict} ({budget.max_connections_source})"])
        blocks += [Subheading("Database connections at full scale"),
                   Table(["Database", "Clients (connections)", "Total", "max_connections", "Verdict"], rows,
                         numeric=frozenset({2, 3}))]
    notes = list(getattr(result, "notes", []) or [])
    if notes:
        blocks.append(Bullets(notes))
    return Section("capacity", "Capacity", blocks)


def _count(value: int) -> str:
    return f"{value:,}"


def _findings(report: Any) -> Section:
    findings = list(getattr(report, "findings", []) or [])
    counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES}
    blocks: list[Block] = [Paragraph(
        f"{len(findings)} finding{'s' if len(findings) != 1 else ''} from `archplan check`: "
        + ", ".join(f"{counts[s]} {s}{'s' if counts[s] != 1 and s != 'info' else ''}" for s in SEVERITIES) + ".")]
    present = sorted({f.section for f in findings},
                     key=lambda s: (FINDING_SECTIONS.index(s) if s in FINDING_SECTIONS else len(FINDING_SECTIONS), s))
    for section in present:
        members = sorted((f for f in findings if f.section == section),
                         key=lambda f: SEVERITIES.index(f.severity) if f.severity in SEVERITIES else len(SEVERITIES))
        rows = []
        for finding in members:
            where = finding.component or "plan"
            if finding.line:
                where += f" (line {finding.line})"
            title = finding.title[:1].upper() + finding.title[1:]
            text = f"**{title}**. {' '.join(str(finding.detail).split())}" if finding.detail else f"**{title}**"
            rows.append([finding.severity, finding.id, where, text, " ".join(str(finding.fix or "-").split())])
        blocks += [Subheading(FINDING_TITLES.get(section, section.capitalize())),
                   Table(["Severity", "Rule", "Where", "Finding", "Fix"], rows, style="findings")]
    verdicts = list(getattr(report, "claims", []) or [])
    if verdicts:
        tally = {v: sum(1 for c in verdicts if c.verdict == v) for v in ("held", "off", "not checkable")}
        blocks += [Subheading("Claims audit"),
                   Paragraph(f"Every figure the plan's document states, recomputed: {tally['held']} held, "
                             f"{tally['off']} off, {tally['not checkable']} not checkable. Notes are the "
                             "author's commentary, not computed.", "note"),
                   Table(["Claim", "Verdict", "Stated", "archplan", "Arithmetic or reason", "Author's note"],
                         [[c.id + (f" ({c.environment})" if c.environment else ""), c.verdict,
                           f"{c.stated} for {c.about}", c.computed or "-", " ".join(c.explanation.split()),
                           " ".join((c.note or "-").split())] for c in verdicts], style="findings")]
    skipped = list(getattr(report, "skipped", []) or [])
    if skipped:
        blocks += [Subheading("Rules the plan skips"),
                   Bullets([f"{s.id}: {s.reason}" + (f" (for {', '.join(s.components)})" if s.components else "")
                            for s in skipped])]
    return Section("findings", "Security and reliability findings", blocks)

