"""`archplan check`: run the analyses, render, exit 1 when any finding is an error."""
from __future__ import annotations

from archplan.check import SECTIONS, run_checks
from archplan.errors import UsageError


def run(args, spec) -> int:
    from archplan.cli import _write
    from archplan.plan import resolve

    sections = None
    if args.only:
        sections = [s.strip() for s in args.only.split(",") if s.strip()]
        unknown = [s for s in sections if s not in SECTIONS]
        if unknown:
            raise UsageError(f"--only: unknown section {unknown[0]!r}; valid: {', '.join(SECTIONS)}")
    report = run_checks(resolve(spec), sections)
    if args.format == "json":
        from archplan.render import check_json

        text = check_json.render(report)
    elif args.format in ("sarif", "github"):
        from archplan.render import check_github, check_sarif

        renderer = check_sarif if args.format == "sarif" else check_github
        text = renderer.render(report, lambda finding: _line_of_finding(spec, finding))
    else:
        from archplan.render import check_text

        text = check_text.render(report)
    _write(text, args.output)
    return 1 if failing(report.findings, getattr(args, "fail_on", "error")) else 0


FAIL_ON = ("error", "warning", "never")


def failing(findings, fail_on: str) -> list:
    """The findings that fail the gate: errors for `error`, errors and warnings for `warning`, none for `never`."""
    levels = {"error": {"error"}, "warning": {"error", "warning"}, "never": set()}[fail_on]
    return [f for f in findings if f.severity in levels]


def _line_of_finding(spec, finding) -> int:
    """A finding's own line, else its component's, else the line the components section starts at."""
    for line in (finding.line, spec.line_of(("components", finding.component)) if finding.component else None,
                 spec.line_of(("components",)), spec.line_of(("project",))):
        if line:
            return line
    return 1
