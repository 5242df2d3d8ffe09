"""`archplan init`: flags, or questions when a terminal is attached and the template is not given."""
from __future__ import annotations

import re
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

from archplan.errors import UsageError


def add_parser(commands):
    parser = commands.add_parser("init", help="write a starter plan from a template (web-app, gke-microservices, "
                                              "event-workers, rag-chatbot, static-site)")
    parser.add_argument("template_name", nargs="?", metavar="TEMPLATE",
                        help="the template, as --template (`archplan init rag-chatbot`)")
    parser.add_argument("--template", help="the template; asked for when omitted on a terminal")
    parser.add_argument("--region", help="GCP region (default us-central1)")
    parser.add_argument("--users", type=int, help="daily active users the plan is sized for (default 1000)")
    parser.add_argument("--budget", help="monthly budget, in --currency")
    parser.add_argument("--currency", type=str.upper, default="USD",
                        help="the plan's currency: USD or any with a dated rate in the catalog (default USD)")
    parser.add_argument("--name", help="project name (default: the output file's name)")
    parser.add_argument("-o", "--output", default="plan.yaml", help="the plan file to write (default plan.yaml)")
    parser.add_argument("--force", action="store_true", help="replace the output file if it exists")
    parser.add_argument("--list", action="store_true", help="list the templates and exit")
    return parser


def _ask(question: str, default: str | None) -> str:
    shown = f" [{default}]" if default else ""
    sys.stderr.write(f"{question}{shown}: ")
    sys.stderr.flush()
    answer = sys.stdin.readline()
    if not answer:
        raise UsageError("no answer (end of input)")
    return answer.strip() or (default or "")


def run(args) -> int:
    from archplan.init import render, templates
    from archplan.planfile import write_checked

    available = templates()
    if not args.list:
        from archplan import catalog
        if args.currency not in catalog.currencies():
            raise UsageError(f"--currency: no dated exchange rate for {args.currency!r}; currencies with a rate: "
                             + ", ".join(catalog.currencies()))
    if args.list:
        width = max(len(n) for n in available)
        sys.stdout.write("".join(f"{name:<{width}}  {what}\n" for name, what in available.items()))
        return 0
    if args.template_name is not None:
        if args.template is not None and args.template != args.template_name:
            raise UsageError(f"two templates: {args.template_name} and --template {args.template}; give one")
        args.template = args.template_name
    interactive = args.template is None
    if interactive:
        if not sys.stdin.isatty():
            raise UsageError("--template is needed when not on a terminal; templates: " + ", ".join(available))
        names = list(available)
        sys.stderr.write("".join(f"  {i}. {n}: {available[n]}\n" for i, n in enumerate(names, 1)))
        choice = _ask("Template (number or name)", names[0])
        args.template = names[int(choice) - 1] if choice.isdigit() and 1 <= int(choice) <= len(names) else choice
        args.region = args.region or _ask("Region", "us-central1")
        if args.users is None:
            answer = _ask("Daily active users", "1000")
            if not answer.isdigit():
                raise UsageError(f"users: expected a whole number, got {answer!r}")
            args.users = int(answer)
        if args.budget is None:
            args.budget = _ask(f"Monthly budget in {args.currency} (empty for none)", "") or None
    budget = None
    if args.budget is not None:
        try:
            budget = Decimal(str(args.budget).replace(",", ""))
        except InvalidOperation:
            raise UsageError(f"--budget: expected an amount, got {args.budget!r}") from None
        if not budget.is_finite() or budget <= 0:
            raise UsageError(f"--budget: expected a positive amount, got {args.budget!r}")
    target = Path(args.output)
    from archplan.output import path_exists

    if path_exists(target) and not args.force:
        raise UsageError(f"{args.output} exists: pass --force to replace it, or -o another file")
    stem = re.sub(r"[^a-z0-9-]", "-", target.stem.lower()).strip("-")
    name = args.name or (stem if re.fullmatch(r"[a-z][a-z0-9-]{0,62}", stem) and stem != "plan" else args.template)
    text = render(args.template, name, args.region or "us-central1", 1000 if args.users is None else args.users,
                  args.currency, budget)
    report = write_checked(text, args.output, "starter")
    if report.budget_usd is not None and report.total_usd > report.budget_usd:
        _say_over_budget(args.output, report)
    sys.stdout.write(f"{args.output}: {args.template} plan for {args.users or 1000:,} daily users in "
                     f"{args.region or 'us-central1'}. Next: archplan validate {args.output}; archplan cost "
                     f"{args.output}; archplan check {args.output}; archplan generate {args.output} -o out/\n")
    return 0


def _say_over_budget(output: str, report) -> None:
    """The plan as written costs more than --budget: said, with both figures, and the plan is still written (it is
    a starting point to cut down, and `cost --fail-if-over-budget` is the gate)."""
    from archplan.render.numbers import amount, money

    total = money(report.total_usd, report.currency, report.rate)
    budget = amount(report.budget_amount, report.budget_currency)
    share = report.total_usd / report.budget_usd * 100
    sys.stderr.write(f"warning: {output}: over budget: the plan costs {total} a month, {share:.1f}% of the --budget "
                     f"of {budget}; archplan cost {output} lists each line\n")
