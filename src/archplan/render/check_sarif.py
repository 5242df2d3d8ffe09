"""The check report as SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format), the format GitHub code
scanning and most CI dashboards read. One result per finding, located at its line in the plan file."""
from __future__ import annotations

import json

from archplan import __version__

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _rules(findings) -> list[dict]:
    """One reportingDescriptor per rule id, in id order; the first finding of an id gives its text."""
    first = {}
    for finding in findings:
        first.setdefault(finding.id, finding)
    return [{"id": rule_id, "name": rule_id.replace("-", ""),
             "shortDescription": {"text": finding.title},
             "help": {"text": finding.fix},
             "defaultConfiguration": {"level": LEVEL[finding.severity]},
             "properties": {"section": finding.section}}
            for rule_id, finding in sorted(first.items())]


def render(report, line_of_finding) -> str:
    """`line_of_finding(finding) -> int`: the plan line a finding is reported at (its own, else the line of
    its component, else the line of the plan's first section)."""
    rules = _rules(report.findings)
    index = {rule["id"]: position for position, rule in enumerate(rules)}
    results = []
    for finding in report.findings:
        message = f"{finding.title}: {finding.detail}"
        if finding.fix:
            message += f" Fix: {finding.fix}"
        results.append({
            "ruleId": finding.id, "ruleIndex": index[finding.id], "level": LEVEL[finding.severity],
            "message": {"text": message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": report.file.replace("\\", "/")},
                "region": {"startLine": line_of_finding(finding)}},
                **({"logicalLocations": [{"name": finding.component, "kind": "object",
                                          "fullyQualifiedName": f"components.{finding.component}"}]}
                   if finding.component else {})}],
            "properties": {"section": finding.section, "severity": finding.severity},
        })
    log = {
        "$schema": SCHEMA_URI, "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "archplan", "version": __version__, "rules": rules}},
            "automationDetails": {"id": f"archplan-check/{report.project}/{report.environment or 'default'}"},
            "results": results,
            "properties": {"skipped": [{"id": s.id, "reason": s.reason, "components": s.components}
                                       for s in report.skipped]},
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
