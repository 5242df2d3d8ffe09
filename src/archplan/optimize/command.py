"""`archplan optimize`: run the search, render the answer (table, JSON, YAML, patch, diff), the frontier picture."""
from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

from archplan.errors import UsageError

FORMATS = ("table", "json", "yaml", "patch", "diff")


def _fx(result: dict):
    from archplan.render.shown_money import from_data

    return from_data(result["exchange_rate"], result["currency"])


def _money(result: dict, usd) -> str:
    """'$240.00 / ₹23,000.00' or '€207.00 / $240.00': the currencies `cost` shows for the plan's."""
    return _fx(result).text(Decimal(str(usd)))


def _changes_lines(changes: dict) -> list[str]:
    if not changes:
        return ["  (none: the plan as written is the answer)"]
    return [f"  {name}: " + ", ".join(f"{setting} -> {json.dumps(value)}" for setting, value in settings.items())
            for name, settings in changes.items()]


def _p95_words(figures: dict) -> str:
    """The slowest single service's p95, and the worst request path's end to end when it is measured."""
    if not figures["worst_p95_ms"] and figures.get("worst_path_p95_ms") is None:
        return "no service latency modelled (no service with request_duration_ms)"  # VMs only, say: not 0 ms
    words = f"slowest service p95 {figures['worst_p95_ms']:.0f} ms"
    if figures.get("worst_path_p95_ms") is not None:
        words += f", worst request path p95 {figures['worst_path_p95_ms']:.0f} ms end to end"
    return words


def render_table(result: dict) -> str:
    targets = result["targets"]
    wanted = []
    if result["objective"] == "cheapest":
        if targets["availability_percent"] is not None:
            wanted.append(f"availability >= {targets['availability_percent']:g}%")
        wanted += [f"availability of {e} >= {t:g}%" for e, t in targets["entry_availability"].items()]
    if targets["p95_ms"] is not None:
        wanted.append(f"p95 <= {targets['p95_ms']:g} ms at peak on every request path, end to end")
    wanted += [f"p95 of flow {f} <= {t:g} ms at peak, end to end" for f, t in targets.get("flow_p95_ms", {}).items()]
    if targets["rto_minutes"] is not None:
        wanted.append(f"RTO <= {targets['rto_minutes']:g} min")
    if targets["rpo_minutes"] is not None:
        wanted.append(f"RPO <= {targets['rpo_minutes']:g} min")
    wanted.append("peak capacity within max_instances and max_connections")
    goal = {"cheapest": "the cheapest plan meeting", "available": "the most available plan within "
            + (_money(result, targets["budget_usd"]) if targets["budget_usd"] is not None else "") + " meeting",
            "pareto": "the cost/availability frontier of plans meeting"}[result["objective"]]
    lines = [f"archplan optimize: {result['file']}" + (f" [{result['environment']}]" if result["environment"] else ""),
             f"goal: {goal} " + "; ".join(wanted),
             f"searched {result['space']:,} configurations ({result['candidates_evaluated']:,} candidates evaluated; "
             f"{result['priced_group_options']:,} group options priced; timings in --format json)",
             ""]
    current = result["current"]
    lines.append(f"current: {_money(result, current['cost_usd'])} a month, availability "
                 f"{current['composite_percent']:.4f}%, {_p95_words(current)}"
                 + (f"; fails: {'; '.join(current['problems'])}" if current["problems"] else ""))
    lines += [f"  note: {note}" for note in result.get("availability_notes", [])]
    best = result["best"]
    if best is None:
        lines += ["", "No configuration meets the targets:"] + [f"  - {reason}" for reason in result["infeasible"]]
    else:
        lines.append(f"best:    {_money(result, best['cost_usd'])} a month, availability "
                     f"{best['composite_percent']:.4f}%, {_p95_words(best)}")
        for entry, value in best["entries"].items():
            lines.append(f"         entry {entry}: {value:.4f}%")
        for name, value in best.get("paths_p95", {}).items():
            if value is not None:
                lines.append(f"         p95 {name}: {value:.0f} ms")
        lines += ["", "changes:"] + _changes_lines(best["changes"])
        verified = best["verified"]
        lines += ["", f"re-checked with cost and check: {_money(result, verified['cost_usd'])} "
                      f"({'the same as the search' if verified['matches_search'] else 'DIFFERS from the search'}), "
                      f"availability {verified['composite_percent']:.4f}%, {verified['errors']} error-level findings "
                      "remain" + (f": {', '.join(verified['error_ids'])}" if verified["error_ids"] else "")]
    by_path = any(p.get("worst_path_p95_ms") is not None for p in result["frontier"])
    frontiers = [("frontier (cheapest plan at each availability):", result["frontier"],
                  "worst_path_p95_ms" if by_path else "worst_p95_ms", "path p95" if by_path else "svc p95")]
    if result["objective"] == "pareto" and not result["frontier_p95"]:
        lines += ["", "frontier against p95: none drawn: " + result["frontier_p95_measure"]]
    elif result["objective"] == "pareto":
        frontiers.append(("frontier (cheapest plan at each end-to-end p95 at peak): p95 is "
                          + result["frontier_p95_measure"], result["frontier_p95"], "worst_path_p95_ms", "path p95"))
    for title, points, p95_key, p95_header in frontiers:
        if result["objective"] != "pareto" and len(points) <= 1:
            continue
        lines += ["", title, f"  {'cost a month':<30} {'availability':>12} {p95_header:>10}  changes"]
        for point in points:
            changed = "; ".join(f"{n}: " + ", ".join(f"{k}={json.dumps(v)}" for k, v in s.items())
                                for n, s in point["changes"].items()) or "(as written)"
            lines.append(f"  {_money(result, point['cost_usd']):<30} {point['composite_percent']:>11.4f}% "
                         + (f"{point[p95_key]:>8.0f}ms" if point[p95_key] is not None else f"{'-':>10}")
                         + f"  {changed}")
    return "\n".join(lines) + "\n"


def _chart(result: dict) -> dict[str, bytes]:
    from archplan.render.figure import files, pyplot as load_pyplot

    pyplot = load_pyplot("archplan-optimize")

    from archplan.render.numbers import SYMBOLS

    fx = _fx(result)
    code = fx.currency  # the axis is in the chosen currency (the plan's, or --currency)
    rate = fx.in_(code, Decimal(1))
    symbol = SYMBOLS.get(code, code + " ")
    figure, (axis, p95_axis) = pyplot.subplots(1, 2, figsize=(12, 5), dpi=100)
    costs = [float(Decimal(str(p["cost_usd"])) * rate) for p in result["frontier"]]
    percents = [p["composite_percent"] for p in result["frontier"]]
    axis.step(costs, percents, where="post", color="#1a73e8", marker="o", label="frontier")
    current = result["current"]
    axis.plot([float(Decimal(str(current["cost_usd"])) * rate)], [current["composite_percent"]], "s",
              color="#e37400", label="the plan as written")
    axis.set_xlabel(f"monthly cost ({symbol.strip()})")
    axis.set_ylabel("availability of the request path (%)")
    axis.set_title(f"{result['file']}: cheapest plan at each availability", fontsize=10)
    axis.legend(fontsize=8)
    p95_points = [p for p in result["frontier_p95"] if p["worst_path_p95_ms"] is not None]
    p95_costs = [float(Decimal(str(p["cost_usd"])) * rate) for p in p95_points]
    p95_axis.step(p95_costs, [p["worst_path_p95_ms"] for p in p95_points], where="post", color="#188038",
                  marker="o", label="frontier")
    if current.get("worst_path_p95_ms") is not None:
        p95_axis.plot([float(Decimal(str(current["cost_usd"])) * rate)], [current["worst_path_p95_ms"]], "s",
                      color="#e37400", label="the plan as written")
    p95_axis.set_xlabel(f"monthly cost ({symbol.strip()})")
    p95_axis.set_ylabel("worst user request path's p95 at peak,\nend to end (ms, hops summed as check)")
    p95_axis.set_title("cheapest plan at each end-to-end p95 (worst request path)", fontsize=10)
    p95_axis.legend(fontsize=8)
    figure.tight_layout()
    return files(figure, pyplot)


def run(args) -> int:
    from archplan import assess
    from archplan.optimize import optimize, patch

    # Options that ask for two different answers: one is refused rather than the other dropped without a word
    if args.pareto and args.budget:
        raise UsageError("--pareto maps the whole cost/availability frontier and --budget asks for its most "
                         "available point within a budget: give one of them (the frontier's table shows each "
                         "point's cost)")
    if args.budget and args.slo and any(part.split("=")[0].split(":")[0].strip() == "availability"
                                        for part in args.slo.split(",")):
        raise UsageError("--budget finds the most available plan within it and --slo availability=... the cheapest "
                         "plan meeting an availability: give one of them (--slo p95, rto or rpo go with --budget)")
    chart = Path(args.chart) if args.chart else None
    if chart is not None and chart.suffix.lower() not in (".svg", ".png"):
        raise UsageError(f"cannot tell the picture's format from {args.chart!r}: end the name with .svg or .png")
    from archplan.render.shown_money import check_currency

    check_currency(args.currency)
    result = optimize(args.plan, args.env, args.slo, args.budget, args.pareto, args.currency)
    best = result["best"]
    from archplan.cli import _write

    if chart is not None:
        from archplan.doc.command import write_atomically

        write_atomically({chart: _chart(result)[chart.suffix.lower()]})
    changes = best["changes"] if best else {}
    environment = result["environment"]
    if args.format == "json":
        # the search's own timings are the one thing two runs differ in: for the benchmark, not the output
        data = {key: value for key, value in result.items() if key not in ("search_seconds", "search_cpu_seconds")}
        if best:
            data["best"] = {**best, "verified": {k: v for k, v in best["verified"].items() if not k.startswith("_")},
                            "yaml_patch": patch.merge_patch(changes, environment)}
        text = json.dumps(assess.plain_data(data), indent=2, ensure_ascii=False) + "\n"
    elif args.format in ("yaml", "patch", "diff") and best is None:
        # no plan to write: the reasons go to stderr and nothing is written where the plan was to go
        sys.stderr.write(render_table(result))
        return 1
    elif args.format == "yaml":
        text = patch.patched_text(args.plan, changes, environment)
    elif args.format == "patch":
        text = patch.unified_diff(args.plan, patch.patched_text(args.plan, changes, environment))
    elif args.format == "diff":
        from archplan.diff import compare
        from archplan.diff.render import render_table as diff_table

        before = assess.assess(assess.load(args.plan, args.env))
        text = diff_table(compare(before, best["verified"]["_assessment"], args.plan, f"{args.plan} (optimized)"))
    else:
        text = render_table(result)
        if best and changes:
            text += "\nYAML patch (merge into the plan; `--format yaml` writes the whole file, comments kept):\n"
            text += "".join(f"  {line}\n" for line in patch.merge_patch(changes, environment).splitlines())
    _write(text, args.output)
    return 0 if best is not None else 1


def add_parser(commands):
    optimize = commands.add_parser("optimize", help="the cheapest plan meeting the SLOs, the most available "
                                                    "within a budget, or the cost/availability frontier")
    optimize.add_argument("plan", help="the plan YAML file")
    optimize.add_argument("--slo", help="targets, each in place of the plan's slo of that name (the others "
                                        "still bind): availability=99.9,p95=300ms,rto=5m,rpo=0; "
                                        "availability:ENTRY=99.99 for one entry point")
    optimize.add_argument("--budget", help="the most available plan within this monthly budget: 20000INR, 240USD")
    optimize.add_argument("--pareto", action="store_true", help="the frontier of cost against availability")
    optimize.add_argument("--currency", type=str.upper, metavar="CODE",
                          help="currency to show next to USD, as `cost` does (default: the plan's)")
    optimize.add_argument("--env", help="environment to optimize (project.environments); the patch goes there")
    optimize.add_argument("--format", choices=FORMATS, default="table",
                          help="table, json, yaml (the plan with the changes, comments kept), patch (unified "
                               "diff of the file), diff (archplan diff against the plan as written)")
    optimize.add_argument("--chart", help="write the frontier picture: .svg or .png")
    optimize.add_argument("-o", "--output", help="write to this file instead of standard output")
    return optimize
