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
    else:
        from archplan.render import check_text

        text = check_text.render(report)
    _write(text, args.output)
    return 1 if report.errors else 0
