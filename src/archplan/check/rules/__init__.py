"""Security and reliability rules, one per module (like checkov's checks). Each module defines RULE and
`check(plan) -> list[Finding]`; this package discovers them. A plan switches a rule off under
`checks.skip` with a reason, for all components or some, and the report lists what was skipped."""
from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from functools import cache

from archplan.check import Finding, Skipped
from archplan.components import module_names


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    section: str  # security | reliability
    title: str
    rationale: str
    fix: str

    def finding(self, plan, detail: str, component: str | None = None, key: tuple = (),
                severity: str | None = None, fix: str | None = None, fact: tuple | None = None) -> Finding:
        path = ("components", component) + key if component else key
        return Finding(self.id, severity or self.severity, self.section, self.title, detail, fix or self.fix,
                       component=component, line=plan.spec.line_of(path) if path else None, fact=fact)


@cache
def modules() -> list:
    found = [importlib.import_module(f"archplan.check.rules.{name}") for name in module_names(os.path.dirname(__file__))]
    return sorted(found, key=lambda module: module.RULE.id)


def evaluate(plan, sections: list[str]) -> tuple[list[Finding], list[Skipped]]:
    findings, skipped = [], []
    skips = plan.spec.checks.skip
    for module in modules():
        rule = module.RULE
        if rule.section not in sections:
            continue
        rule_skips = [s for s in skips if s.id == rule.id]
        skipped += [Skipped(s.id, s.reason, s.components) for s in rule_skips]
        whole = any(s.components is None for s in rule_skips)
        if whole:
            continue
        exempt = {name for s in rule_skips for name in (s.components or [])}
        findings += [f for f in module.check(plan) if f.component not in exempt]
    return findings, skipped


def components_of(plan, *kinds: str):
    return [c for c in plan.components if c.kind in kinds]
