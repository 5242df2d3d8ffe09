"""`archplan check`: availability, capacity, security and reliability rules, and the plan's own claims.

Each analysis takes a Plan and returns plain data; `run_checks` gathers them into a CheckReport.
Renderers (text, JSON) live in archplan.render.
"""
from __future__ import annotations

from dataclasses import dataclass, field

SECTIONS = ("availability", "capacity", "security", "reliability", "claims")
SEVERITIES = ("error", "warning", "info")


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

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    def counts(self) -> dict[str, int]:
        return {severity: sum(1 for f in self.findings if f.severity == severity) for severity in SEVERITIES}


def run_checks(plan, sections: list[str] | None = None) -> CheckReport:
    from archplan.check import availability, capacity, claims, rules

    chosen = list(sections or SECTIONS)
    findings: list[Finding] = []
    avail = availability.analyse(plan)
    cap = capacity.analyse(plan)
    if "availability" in chosen:
        findings += availability.findings(plan, avail)
    if "capacity" in chosen:
        findings += capacity.findings(plan, cap)
    rule_findings, skipped = rules.evaluate(plan, [s for s in ("security", "reliability") if s in chosen])
    findings += rule_findings
    if "claims" in chosen:
        findings += claims.audit(plan, avail, cap)
    order = {severity: index for index, severity in enumerate(SEVERITIES)}
    findings.sort(key=lambda f: (order[f.severity], SECTIONS.index(f.section), f.id, f.component or ""))
    return CheckReport(project=plan.spec.project.name, file=plan.file, environment=plan.environment,
                       sections=chosen, findings=findings, skipped=skipped,
                       availability=avail if "availability" in chosen else None,
                       capacity=cap if "capacity" in chosen else None,
                       recovery=avail.recovery if "availability" in chosen else [])
