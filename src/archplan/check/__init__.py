"""`archplan check`: availability, capacity, security and reliability rules, and the plan's own claims.

Each analysis takes a Plan and returns plain data; `run_checks` gathers them into a CheckReport.
Renderers (text, JSON) live in archplan.render.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

SECTIONS = ("availability", "capacity", "security", "reliability", "claims")
SEVERITIES = ("error", "warning", "info")


def minutes_text(minutes: float, unbounded: str = "unbounded", hours_from: float | None = 120) -> str:
    """A recovery time or data-loss window in words, the one way every report writes one: seconds under a
    minute, hours from `hours_from` minutes (two hours; None: minutes however long), `unbounded` for no bound."""
    if minutes == math.inf:
        return unbounded
    if minutes < 1:
        return f"{minutes * 60:.0f} s"
    if hours_from is not None and minutes >= hours_from:
        return f"{minutes / 60:g} h"
    return f"{minutes:g} min"


@dataclass
class Finding:
    id: str  # stable, e.g. AVAIL-001
    severity: str  # error | warning | info
    section: str  # one of SECTIONS
    title: str
    detail: str  # what is wrong, with the numbers that show it
    fix: str
    component: str | None = None
    line: int | None = None
    fact: tuple | None = None  # findings with the same fact are one finding (the others are named in it)
    same_as: list[str] = field(default_factory=list)  # what else reports this fact (e.g. a claim)
    claim: str | None = None  # the claim id, for claim findings


@dataclass
class Skipped:
    id: str
    reason: str
    components: list[str] | None


@dataclass
class CheckReport:
    project: str
    file: str
    environment: str | None
    sections: list[str]
    findings: list[Finding]
    skipped: list[Skipped]
    availability: object | None = None  # archplan.check.availability.AvailabilityResult
    capacity: object | None = None  # archplan.check.capacity.CapacityResult
    recovery: list = field(default_factory=list)  # archplan.check.availability.Recovery rows
    claims: list = field(default_factory=list)  # archplan.check.claims.ClaimVerdict, one per claim

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    def to_dict(self) -> dict:
        from archplan.render.check_json import as_data

        return as_data(self)

    def counts(self) -> dict[str, int]:
        return {severity: sum(1 for f in self.findings if f.severity == severity) for severity in SEVERITIES}


def run(plan, sections: list[str] | None = None, environment: str | None = None) -> CheckReport:
    """The in-process API (for `optimize`, `serve` and scripts): a resolved Plan, or a plan file's path (then
    `environment` picks one of its environments), in; a CheckReport of plain dataclasses out. Pure: it
    prints nothing and writes nothing. `report.to_dict()` is the JSON report (schema archplan.check/v1)."""
    if not hasattr(plan, "components"):
        from archplan import catalog
        from archplan.plan import resolve
        from archplan.spec.load import load_spec

        plan = resolve(load_spec(plan, environment, catalog.supported_regions()))
    return run_checks(plan, sections)


def plan_cost(plan):
    """The plan's cost report, computed once per plan for every analysis that needs it."""
    cached = plan.__dict__.get("_check_cost_report")
    if cached is None:
        from archplan.analysis.cost import cost_report

        cached = plan.__dict__["_check_cost_report"] = cost_report(plan)
    return cached


def run_checks(plan, sections: list[str] | None = None) -> CheckReport:
    """Every section's findings (or those of `sections`). Every section's report is remembered on the plan:
    `validate` checks a plan and then builds its document, which shows the same report."""
    if not sections or list(sections) == list(SECTIONS):
        from archplan.plan import remembered

        return remembered(plan, "_check_report", lambda same: _run_checks(same, list(SECTIONS)))
    return _run_checks(plan, list(sections))


def _run_checks(plan, chosen: list[str]) -> CheckReport:
    from archplan.check import availability, capacity, claims, rules

    findings: list[Finding] = []
    avail = availability.analyse(plan)
    cap = capacity.analyse(plan, avail)
    if "availability" in chosen:
        findings += availability.findings(plan, avail)
    if "capacity" in chosen:
        findings += capacity.findings(plan, cap)
    rule_findings, skipped = rules.evaluate(plan, [s for s in ("security", "reliability") if s in chosen])
    findings += rule_findings
    verdicts = []
    if "claims" in chosen:
        verdicts, claim_findings = claims.audit(plan, avail, cap)
        findings += claim_findings
    findings = _one_finding_per_fact(findings, verdicts)
    order = {severity: index for index, severity in enumerate(SEVERITIES)}
    findings.sort(key=lambda f: (order[f.severity], SECTIONS.index(f.section), f.id, f.component or ""))
    return CheckReport(project=plan.spec.project.name, file=plan.file, environment=plan.environment,
                       sections=chosen, findings=findings, skipped=skipped,
                       availability=avail if "availability" in chosen else None,
                       capacity=cap if "capacity" in chosen else None,
                       recovery=avail.recovery if "availability" in chosen else [], claims=verdicts)


def _one_finding_per_fact(findings: list[Finding], verdicts: list) -> list[Finding]:
    """The same fact reported twice (REL-007 and the budget claim, AVAIL-001 and the SLO claim) is one finding:
    the plan's own finding stays and names the claims that state the same thing."""
    kept: dict[tuple, Finding] = {}
    out: list[Finding] = []
    for finding in sorted(findings, key=lambda f: f.section == "claims"):  # the plan's findings first
        if finding.fact is None:
            out.append(finding)
            continue
        first = kept.get(finding.fact)
        if first is None:
            kept[finding.fact] = finding
            out.append(finding)
            continue
        first.same_as.append(f"{finding.id} claim {finding.claim}")
        first.detail += f" The document's claim {finding.claim} states the same figure ({finding.id})."
        for verdict in verdicts:
            if verdict.id == finding.claim and verdict.finding == finding.id:
                verdict.finding = first.id
    return out
