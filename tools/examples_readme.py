"""Rewrite the computed tables of examples/README.md from the examples (or --check that they are current).

The tables sit between `<!-- archplan:NAME -->` and `<!-- /archplan:NAME -->` markers: `summary` (each
example's total against its document's), `claims EXAMPLE` (every cost claim more than 10% off) and
`command ARGS...` (the output of `archplan ARGS...`, for the decisions `diff`, `scale` and `optimize` answer)
and `by-hand EXAMPLE` (what a user supplies by hand to deploy its generated files).
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
    if claim.kind == "annual_cost":  # the month as shown, x 12, as check's claim and cost's tables give the year
        from archplan.render.numbers import round_money

        usd_value = round_money(usd_value) * 12
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


# --- Simulations (archplan simulate): small runs, the same on every machine for their seeds ---------------

SIM_SEEDS = 3
EVENT_DAYS = (("a normal day", ()), ("a 10x event day", ("10x@d1-00:00/24h",)),
              ("a 100x event day", ("100x@d1-00:00/24h",)))
P95_TARGET_MS = 500  # the event platform's seed states no latency target; this one is assumed


def _simulate(plan, spikes=(), days=1.0, services=()):
    from archplan.simulate import build_options, simulate_plan

    return simulate_plan(plan, build_options(plan.file, days=days, spikes=spikes, seeds=SIM_SEEDS,
                                             services=services))


def _list_price(plan):
    """The plan with free tiers off, so a day or an hour is priced at list price."""
    import copy

    clone, spec = copy.copy(plan), copy.copy(plan.spec)
    spec.project = spec.project.model_copy(update={"free_tiers": False})
    clone.spec = spec
    return clone


def simulate_event_days() -> str:
    spec, _report = report_for("event-platform")
    plan = _list_price(resolve(spec))
    rows = ["| day | gateway requests | entry p95 | entry p99 | cold starts | rejected or timed out | "
            "max instances (gateway / all) | Cloud Run and Functions that day, list price |",
            "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for label, spikes in EVENT_DAYS:
        result = _simulate(plan, spikes)
        services = {s["service"]: s for s in result["services"]}
        entry = next(e for e in result["entry_points"] if e["first_service"] == "api_gateway")
        day_usd = sum(Decimal(repr(c["p50_usd"])) for c in result["costs"]) / Decimal(repr(result["month_scale"]))
        rows.append(f"| {label} | {services['api_gateway']['requests']:,.0f} | {entry['latency_ms']['p95']:,.0f} ms | "
                    f"{entry['latency_ms']['p99']:,.0f} ms | {sum(s['cold_starts'] for s in services.values()):,.0f} | "
                    f"{sum(s['rejected_429'] + s['timeouts'] for s in services.values()):,.0f} | "
                    f"{services['api_gateway']['instances']['max']:.0f} / "
                    f"{sum(s['instances']['max'] for s in services.values()):.0f} | "
                    f"{usd(day_usd)} / {inr(day_usd * plan.usd_inr)} |")
    return "\n".join(rows)


def simulate_event_min_instances() -> str:
    from archplan.simulate import min_instances_for_p95

    spec, _report = report_for("event-platform")
    plan = resolve(spec)
    rows = [f"| service | p95, normal day, min 0 | p95, 100x day, min 0 | smallest min_instances for p95 <= "
            f"{P95_TARGET_MS} ms on a 100x day |", "|---|---:|---:|---|"]
    for name in ("api_gateway", "auth", "event", "booking", "user"):
        normal = _simulate(plan, (), services=(name,))["services"][0]["latency_ms"]["p95"]
        found, tried = min_instances_for_p95(plan, name, P95_TARGET_MS, seeds=SIM_SEEDS,
                                             spikes=EVENT_DAYS[2][1], largest=2)
        if found is None:
            answer = (f"none of 0-2 (p95 {tried[max(tried)]:,.0f} ms at 2): the service time alone, exponential "
                      f"with mean {spec.components[name].request_duration_ms} ms, has p95 "
                      f"{float(spec.components[name].request_duration_ms) * 2.996:,.0f} ms")
        else:
            answer = f"{found} (p95 {tried[found]:,.0f} ms)"
        rows.append(f"| {name} | {normal:,.0f} ms | {tried[0]:,.0f} ms | {answer} |")
    return "\n".join(rows)


ANWESHA_BANDS = (("Low (1-2 users)", 2, "1 instance, ~$0.01/h, <100 ms"),
                 ("Medium (10-100 users)", 10, "3-5 instances, ~$0.05-0.10/h, <100 ms"),
                 ("Medium (10-100 users)", 100, "3-5 instances, ~$0.05-0.10/h, <100 ms"),
                 ("High (100+ concurrent)", 300, "max 10 instances, ~$0.20-0.50/h, <200 ms"))
SECONDS_BETWEEN_REQUESTS = 5  # the plan's own peak-fest assumption: each user sends a request every ~5 s


def simulate_anwesha_bands() -> str:
    import dataclasses

    from archplan.components.base import SECONDS_PER_MONTH
    from archplan.simulate import plan_with

    spec, _report = report_for("anwesha")
    base = _list_price(resolve(spec))
    rows = ["| band (seed L236-257) | users | requests/s | concurrency | instances min / mean / max | p95 | "
            "cost an hour, list price | seed says |", "|---|---:|---:|---:|---:|---:|---:|---|"]
    for band, users, seed_says in ANWESHA_BANDS:
        rps = Decimal(users) / SECONDS_BETWEEN_REQUESTS
        for concurrency in (80, 4):
            plan = plan_with(base, "backend", concurrency=concurrency)
            plan.components = [dataclasses.replace(c, usage=dataclasses.replace(
                c.usage, quantities={**c.usage.quantities, "requests": rps * SECONDS_PER_MONTH}))
                if c.name == "backend" else c for c in plan.components]
            result = _simulate(plan, days=1 / 24, services=("backend",))
            backend = result["services"][0]
            hour_usd = Decimal(repr(next(c["p50_usd"] for c in result["costs"] if c["component"] == "backend"))) \
                / Decimal(730)
            instances = backend["instances"]
            rows.append(f"| {band} | {users} | {rps:g} | {concurrency} | {instances['min']:.0f} / "
                        f"{instances['mean']:.2f} / {instances['max']:.0f} | {backend['latency_ms']['p95']:,.0f} ms | "
                        f"{usd(hour_usd)} | {seed_says} |")
    return "\n".join(rows)


SIMULATIONS = {"simulate-event-days": simulate_event_days, "simulate-event-min-instances": simulate_event_min_instances,
               "simulate-anwesha-bands": simulate_anwesha_bands}


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


def by_hand(name: str) -> str:
    """What the generated Terraform leaves to the user: the values only they know and the settings without
    a default (the generated README gives the commands)."""
    from archplan.generate import terraform
    from archplan.generate.context import Context

    tf = terraform.build(Context(resolve(load_spec(ROOT / "examples" / f"{name}.yaml"))))
    lines = ["What you supply by hand to deploy `archplan generate` output (its README.md gives each command):", "",
             "- the Terraform state bucket, and a project with billing linked"]
    for variable, block in sorted(tf.variables.items()):
        if block.body.get("sensitive"):
            lines.append(f"- `TF_VAR_{variable}`: {block.body['description']}")
        elif "default" not in block.body:
            lines.append(f"- `{variable}` in terraform.tfvars: {block.body['description']}")
    if "billing_account" in tf.variables:
        lines.append("- `billing_account` (optional) for the budget")
    for secret, version in tf.user_supplied:
        lines.append(f"- version {version} of secret `{secret}` (the plan pins it)")
    if tf.ctx.has("load_balancer"):
        lines.append("- DNS for the load balancer's domains" + (" (delegate to the Cloud DNS zone)"
                                                               if tf.ctx.has("cloud_dns") else " (A records)"))
    return "\n".join(lines)


def render(text: str) -> str:
    def replace(match: re.Match) -> str:
        what = match.group(1).split()
        if what[0] in SIMULATIONS:
            return f"<!-- archplan:{match.group(1)} -->\n{SIMULATIONS[what[0]]()}\n<!-- /archplan:{what[0]} -->"
        if what[0] == "command":
            body = command_output(what[1:])
        elif what[0] == "by-hand":
            body = by_hand(what[1])
        else:
            body = summary() if what[0] == "summary" else claims_table(what[1])
        return f"<!-- archplan:{match.group(1)} -->\n{body}\n<!-- /archplan:{what[0]} -->"

    return re.sub(r"<!-- archplan:([^>]+?) -->\n.*?\n<!-- /archplan:[\w-]+ -->", replace, text, flags=re.S)


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
