"""The document's "Simulated day" section: what `archplan simulate` found for one day, with its pictures."""
from __future__ import annotations

import re

from archplan.doc.blocks import Bullets, Paragraph, Picture, Section, Table

DOC_DAYS = 1
DOC_SEEDS = 3
DOC_SERVICES = 8  # past this many, the document simulates the busiest: a readable picture, seconds not minutes
# Requests the document follows one by one (all its services and seeds). The engine ran about 6 million
# requests per CPU second on a 2-core machine (event-platform, one day, 3 seeds), so this is about 2 s;
# a plan past it (the fuzzer's 2^31 requests per user per day ran past 20 s of CPU) gets a note instead.
DOC_MAX_REQUESTS = 10_000_000
CAPTIONS = {"load": "Requests per second over the simulated day", "instances": "Instances over the day",
            "latency": "Latency percentiles over the day (p95; p50 and p99 too for one or two services)",
            "rejections": "Requests rejected (429) or timed out per minute"}


def _ms(value) -> str:
    return "-" if value is None or value != value else f"{value:,.0f} ms"


def _own_ids(svg: str, prefix: str) -> str:
    """Prefix every id and internal reference, so several charts can share one page."""
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = re.sub(r'url\(#([^)]+)\)', lambda m: f"url(#{prefix}-{m.group(1)})", svg)
    return re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}-{m.group(1)}"', svg)


def section(summary: dict, pictures: dict[str, bytes], total_services: int | None = None) -> Section:
    from archplan.doc.dot import inline_svg

    if not summary["services"]:
        return Section("simulation", "Simulated day", [Paragraph(
            "The plan has no request-serving service (Cloud Run, Cloud Functions or a GKE deployment with "
            "traffic) to simulate.", "note")])
    blocks = [Paragraph(
        f"One day of the plan's traffic, request by request, through each service's autoscaler and limits "
        f"(`archplan simulate --days {DOC_DAYS} --seeds {DOC_SEEDS}`; means over {DOC_SEEDS} seeds). "
        "Run `archplan simulate` for a month, spikes and cost ranges.")]
    if total_services is not None and total_services > len(summary["services"]):
        blocks.append(Paragraph(
            f"The plan has {total_services:,} request-serving services; the document simulates the "
            f"{len(summary['services'])} busiest by requests a month, so the pictures stay readable. "
            "`archplan simulate --service NAME` runs any of the others.", "note"))
    rows = []
    for s in summary["services"]:
        rows.append([s["service"], f"{s['requests']:,.0f}", _ms(s["latency_ms"]["p50"]), _ms(s["latency_ms"]["p95"]),
                     _ms(s["latency_ms"]["p99"]), f"{s['cold_starts']:,.0f} ({s['cold_start_share']:.2%})",
                     f"{s['rejected_429'] + s['timeouts']:,.0f}",
                     f"{s['instances']['min']:.0f} / {s['instances']['mean']:.2f} / {s['instances']['max']:.0f}"])
    blocks.append(Table(["service", "requests", "p50", "p95", "p99", "cold starts", "rejected or timed out",
                         "instances min / mean / max"], rows, numeric=frozenset(range(1, 8))))
    for what, caption in CAPTIONS.items():
        svg = pictures[f"simulate-{what}.svg"].decode("utf-8")
        blocks.append(Picture(f"simulate-{what}.svg", caption, _own_ids(inline_svg(svg), f"chart-{what}")))
    if summary["assumptions"]:
        blocks.append(Bullets(list(summary["assumptions"])))
    return Section("simulation", "Simulated day", blocks)


def build(plan, png: bool = False) -> tuple[Section, dict[str, bytes]]:
    """The section and the picture files to write next to the document: SVG drawn as the document's other
    charts are (archplan.render.charts, no plotting library to start), and with `png` the PNG copies
    `archplan simulate` draws."""
    from archplan.simulate import build_options, run_simulation
    from archplan.simulate.report import summarise

    options = build_options(plan.file, days=DOC_DAYS, seeds=DOC_SEEDS)
    chosen, total, requests = _busiest(plan, options)
    if not requests <= DOC_MAX_REQUESTS:  # NaN too: no figure to bound the run by
        return Section("simulation", "Simulated day", [Paragraph(
            f"A simulated day of this plan is {requests / DOC_SEEDS:,.0f} requests ({DOC_SEEDS} seeds: "
            f"{requests:,.0f}), more than the {DOC_MAX_REQUESTS:,} the document follows one by one, so it "
            "leaves the day out. `archplan simulate --days 1 --seeds 1 --service NAME` runs it for one "
            "service.", "note")]), {}
    if chosen is not None:
        options = build_options(plan.file, days=DOC_DAYS, seeds=DOC_SEEDS, services=chosen)
    simulation = run_simulation(plan, options)
    files = pictures(simulation, png) if simulation.services else {}
    return section(summarise(simulation, costs=False), files, total), files


def pictures(simulation, png: bool = False) -> dict[str, bytes]:
    """simulate-<picture>.svg for each picture `archplan simulate` draws, the same lines over the same hours;
    simulate-<picture>.png too (matplotlib's) with `png`."""
    from archplan.render.charts import time_series
    from archplan.simulate import pictures as drawing

    hours, hours_label = drawing.axis_hours(simulation)
    x = [float(value) for value in hours]
    files = {}
    for what in drawing.PICTURES:
        title, y_label, log_scale, drawn = drawing.lines(simulation, what)
        svg = time_series(title, x, hours_label, y_label,
                          [(label, [float(v) for v in values], style) for label, values, style in drawn], log_scale)
        files[f"simulate-{what}.svg"] = ('<?xml version="1.0" encoding="UTF-8"?>\n' + svg + "\n").encode("utf-8")
    if png:
        files.update(drawing.render(simulation, extensions=("png",)))
    return files


def _busiest(plan, options) -> tuple[tuple[str, ...] | None, int, float]:
    """(the names to simulate, or None for all; how many services the plan has; the requests the run would
    follow, over its seeds): at most DOC_SERVICES services, the busiest by requests a month (ties by name),
    and every LLM quota."""
    from archplan.simulate.load import RATE_STEP_S, shape
    from archplan.simulate.model import build, rate_per_second

    services, quotas, _notes = build(plan, options, shape(plan.spec.traffic, options.days, options.spikes)[0])
    total, chosen = len(services), None
    if total > DOC_SERVICES:
        services = sorted(services, key=lambda s: (-s.requests_per_month, s.name))[:DOC_SERVICES]
        chosen = tuple(s.name for s in services) + tuple(q.name for q in quotas)
    requests = sum(float(rate_per_second(s).sum()) * RATE_STEP_S for s in services) * options.seeds
    return chosen, total, requests
