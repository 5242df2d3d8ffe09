"""`archplan diff`: parse the two sides, assess both, render, apply the --fail-if gates."""
from __future__ import annotations

import sys
from decimal import Decimal, InvalidOperation

from archplan.errors import UsageError

DEFAULT_ENVIRONMENT = "default"  # --env/--to default: the plan's default environment (or as written)


def _environment(name: str | None) -> str | None:
    return None if name in (None, DEFAULT_ENVIRONMENT) else name


def _label(path: str, environment: str | None, revision: str | None = None) -> str:
    label = f"{path}@{revision}" if revision else path
    return f"{label} [{environment}]" if environment else label


def sides(args):
    """(before spec, after spec, before label, after label) from the command line."""
    from archplan import assess

    if args.rev and args.other:
        raise UsageError("give either a second plan or --rev, not both")
    before_env = _environment(args.env)
    after_env = _environment(args.to) if args.to is not None else before_env
    if args.rev:
        before = assess.load_revision(args.plan, args.rev, before_env)
        return (before, assess.load(args.plan, after_env),
                _label(args.plan, before.environment, args.rev), _label(args.plan, None)
                if after_env is None else _label(args.plan, after_env))
    if args.other is None and args.to is None:  # one side only; a plan named twice is compared with itself
        raise UsageError("nothing to compare: give a second plan, --to ENV (with --env ENV) or --rev REV")
    other = args.other or args.plan
    before = assess.load(args.plan, before_env)
    after = assess.load(other, after_env)
    return before, after, _label(args.plan, before.environment), _label(other, after.environment)


def run(args) -> int:
    from archplan import assess
    from archplan.diff import compare, gates, parse_gate
    from archplan.diff import render
    from archplan.render.shown_money import check_currency

    try:
        threshold = Decimal(args.threshold)
    except InvalidOperation:
        raise UsageError(f"--threshold {args.threshold[:40]!r} is not a number") from None
    if not threshold.is_finite() or not 0 <= threshold <= 100_000:
        raise UsageError(f"--threshold {args.threshold[:40]!r}: a percent from 0 to 100000")
    try:
        for text in args.fail_if or []:
            parse_gate(text)
    except ValueError as error:
        raise UsageError(str(error)) from None
    check_currency(args.currency)
    before, after, before_label, after_label = sides(args)
    before, after = assess.assess(before), assess.assess(after)
    result = compare(before, after, before_label, after_label, args.currency)
    failed = gates(result, args.fail_if or [], (before.plan.rate, after.plan.rate))
    if args.format == "json":
        result["gates"] = {"expressions": list(args.fail_if or []), "failed": failed}
        text = render.render_json(result)
    elif args.format == "md":
        text = render.render_markdown(result, threshold)
    else:
        text = render.render_table(result)
    from archplan.cli import _write

    _write(text, args.output)
    for message in failed:
        print(f"fail-if: {message}", file=sys.stderr)
    return 1 if failed else 0


def add_parser(commands):
    diff = commands.add_parser("diff", help="what changes between two plans, two environments or a plan and "
                                            "its git revision: components, cost, availability, capacity, findings")
    diff.add_argument("plan", help="the plan YAML file (the 'before' side)")
    diff.add_argument("other", nargs="?", help="a second plan file (the 'after' side)")
    diff.add_argument("--env", help="environment of the 'before' side ('default': the plan as priced by default)")
    diff.add_argument("--to", help="environment of the 'after' side (default: the same as --env)")
    diff.add_argument("--rev", help="compare the plan at this git revision (before) with the file as it is")
    diff.add_argument("--format", choices=("table", "json", "md"), default="table")
    diff.add_argument("--currency", type=str.upper, metavar="CODE",
                      help="currency to show next to USD, as `cost` does (default: the 'after' plan's)")
    diff.add_argument("--threshold", default="5", help="md: list components whose cost moved this percent or more")
    diff.add_argument("--fail-if", action="append", metavar="GATE",
                      help="exit 1 if the change crosses it: cost+10%%, cost+500INR, cost+50EUR, availability-0.01 "
                           "(repeatable)")
    diff.add_argument("-o", "--output", help="write to this file instead of standard output")
    return diff
