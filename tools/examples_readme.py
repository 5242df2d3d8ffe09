"""Rewrite the computed tables of examples/README.md from the examples (or --check that they are current).

The tables sit between `<!-- archplan:NAME -->` and `<!-- /archplan:NAME -->` markers: `summary` (each
example's total against its document's), `claims EXAMPLE` (every cost claim more than 10% off) and
`command ARGS...` (the output of `archplan ARGS...`, for the decisions `diff`, `scale` and `optimize` answer).
The prose around them is written by hand.
"""
from __future__ import annotations

import argparse
import re
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from archplan import catalog  # noqa: E402
from archplan.analysis.cost import cost_report  # noqa: E402
from archplan.plan import resolve  # noqa: E402
from archplan.render.numbers import inr, usd  # noqa: E402
from archplan.spec.load import load_spec  # noqa: E402

README = ROOT / "examples" / "README.md"
SEEDS = {
    "anwesha": "000_4b963fb83c4c3b51.txt",
    "cotton-erp": "001_42a64872cf6b7b20.txt",
    "ecommerce-chatbot": "002_b0d894b41d44ed0c.txt",
    "event-platform": "003_232ddccd270cfe66.txt",
    "drivopay": "004_f20211ad3eb49ebf.txt",
}


def report_for(name: str, environment: str | None = None):
    spec = load_spec(ROOT / "examples" / f"{name}.yaml", environment, catalog.supported_regions())
    return spec, cost_report(resolve(spec))


def claimed_vs_computed(report, claim) -> tuple[Decimal, Decimal]:
    usd_value = report.total_usd if claim.components is None else report.components_usd(claim.components)
    if claim.kind == "annual_cost":
        usd_value *= 12
    return claim.value, usd_value if claim.currency == "USD" else usd_value * report.usd_inr


def summary() -> str:
    rows = ["| example | seed | document's total | archplan's total |", "|---|---|---|---|"]
    for name, seed in sorted(SEEDS.items()):
        spec, report = report_for(name)
        total = next(c for c in spec.claims
                     if c.kind == "monthly_cost" and c.components is None and c.environment is None)
        stated = usd(total.value) if total.currency == "USD" else inr(total.value)
        ours = f"{usd(report.total_usd)} / {inr(report.total_usd * report.usd_inr)}"
        rows.append(f"| `{name}.yaml` | `{seed}` | {stated} a month | {ours} a month |")
    return "\n".join(rows)


def claims_table(name: str) -> str:
    spec, report = report_for(name)
    rows = ["| claim | covers | where | document | archplan | difference |", "|---|---|---|---:|---:|---:|"]
    for claim in spec.claims:
        if claim.kind not in ("monthly_cost", "annual_cost"):
            continue
        claim_report = report if claim.environment is None else report_for(name, claim.environment)[1]
        stated, computed = claimed_vs_computed(claim_report, claim)
        off = (computed - stated) / stated if stated else Decimal(1)
        if abs(off) > Decimal("0.10"):
            money = usd if claim.currency == "USD" else inr
            scope = "whole plan" if claim.components is None else ", ".join(claim.components)
            env = f" (`--env {claim.environment}`)" if claim.environment else ""
            rows.append(f"| `{claim.id}`{env} | {scope} | {claim.source or ''} | {money(stated)} | "
                        f"{money(computed)} | {off * 100:+.0f}% |")
    return "\n".join(rows)


def command_output(argv: list[str]) -> str:
    """`archplan ARGS` run in-process from the repository root: Markdown output as it is, anything else
    in a code block under the command line."""
    import contextlib
    import io
    import os

    from archplan.cli import main as archplan

    buffer = io.StringIO()
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(buffer):
            code = archplan(argv)
    finally:
        os.chdir(here)
    if "--format" in argv and argv[argv.index("--format") + 1] == "md":
        return f"`archplan {' '.join(argv)}` (exit {code}):\n\n{buffer.getvalue().rstrip()}"
    return f"```\n$ archplan {' '.join(argv)}    # exit {code}\n{buffer.getvalue().rstrip()}\n```"


def render(text: str) -> str:
    def replace(match: re.Match) -> str:
        what = match.group(1).split()
        if what[0] == "command":
            body = command_output(what[1:])
        else:
            body = summary() if what[0] == "summary" else claims_table(what[1])
        return f"<!-- archplan:{match.group(1)} -->\n{body}\n<!-- /archplan:{what[0]} -->"

    return re.sub(r"<!-- archplan:([^>]+?) -->\n.*?\n<!-- /archplan:\w+ -->", replace, text, flags=re.S)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the README's tables are not current")
    args = parser.parse_args()
    current = README.read_text()
    fresh = render(current)
    if args.check:
        return 0 if fresh == current else 1
    README.write_text(fresh)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
