"""The check report as GitHub Actions workflow commands: each finding becomes an annotation on its line of
the plan file in the pull request (`::error file=...,line=...,title=...::message`)."""
from __future__ import annotations

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def _escape_data(text: str) -> str:
    # GitHub's escaping for the message part of a workflow command (actions/toolkit, command.ts).
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report, line_of_finding) -> str:
    lines = []
    for finding in report.findings:
        where = f" ({finding.component})" if finding.component else ""
        properties = ",".join([f"file={_escape_property(report.file)}",
                               f"line={line_of_finding(finding)}",
                               f"title={_escape_property(f'{finding.id} {finding.title}{where}')}"])
        message = finding.detail + (f" Fix: {finding.fix}" if finding.fix else "")
        lines.append(f"::{COMMAND[finding.severity]} {properties}::{_escape_data(message)}")
    counts = report.counts()
    lines.append(f"{report.project}: {counts.get('error', 0)} error(s), {counts.get('warning', 0)} warning(s), "
                 f"{counts.get('info', 0)} info")
    return "\n".join(lines) + "\n"
