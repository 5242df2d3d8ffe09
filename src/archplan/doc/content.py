"""The architecture document as data: sections of paragraphs, key facts, tables, lists and a checklist,
every figure already formatted. markdown.py and html.py lay out the same content; neither computes."""
from __future__ import annotations

from collections import Counter
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, NamedTuple

from archplan.analysis.cost import CATEGORIES, CostReport, cost_report
from archplan.doc import check_sections, checks
from archplan.doc.blocks import (Block, Bullets, Checklist, Diagram, Document, KeyFacts, Paragraph, Picture, Section,
                                 Subheading, Table)
from archplan.doc.checklist import GROUPS, checklist
from archplan.doc.describe import facts
from archplan.doc.graph import ArchitectureGraph
from archplan.doc.layers import LAYER_BY_KEY
from archplan.errors import CatalogError, SpecError
from archplan.plan import Plan, resolve
from archplan.render import cost_view
from archplan.render.numbers import amount, per_unit_amount, quantity, unit_price_in


def _pct(part: Decimal, whole: Decimal | None) -> str:
    if not whole:
        return "-"
    return f"{part / whole * 100:.1f}%"


def _pair(report: CostReport, lead: bool = False):
    """(first code, second code, value in USD -> [in the first, in the second]): the two columns `archplan cost`
    shows (USD and INR for a USD or INR plan, else the plan's currency and USD); `lead` puts the plan's own
    currency first, as running text does."""
    first, second = cost_view.columns(report.currency)
    if lead and second == report.currency:
        first, second = second, first
    rates = {code: report.rate_for(code) for code in (first, second)}
    return first, second, lambda value_usd: [amount(value_usd * rates[first], first),
                                             amount(value_usd * rates[second], second)]


def _both(value_usd: Decimal, report: CostReport) -> str:
    """Both currencies, the plan's own first."""
    first, second = _pair(report, lead=True)[2](value_usd)
    return f"{first} ({second})"


def build(plan: Plan, graph: ArchitectureGraph, file_label: str,
          environments: Mapping[str | None, Plan] | None = None) -> Document:
    """The document of `plan`, which is its file loaded in its environment as `archplan cost --env` loads it.
    `environments` (environment name -> plan, loaded the same way) are plans the caller has resolved already:
    the scaling phases price each environment, and one already priced is not loaded and priced again."""
    spec = plan.spec
    report = cost_report(plan)
    outcome = checks.run(plan)
    charts = _charts(report, outcome)
    sections = [
        _overview(plan, graph, report, file_label),
        _architecture(graph),
        _components(plan, graph, report),
        _cost(plan, report, charts),
    ]
    sections += _with_availability_chart(check_sections.sections(outcome), charts)
    sections += [_phases(plan, {**(environments or {}), plan.environment: plan}), _checklist(plan, graph), _assumptions(report)]
    env = f" (environment {plan.environment})" if plan.environment else ""
    title = f"{spec.project.name}: architecture{env}"
    subtitle = f"{_placement(plan, graph)}, computed by archplan from {file_label}"
    total_line = f"Total per month: {_both(report.total_usd, report)}"
    return Document(title, subtitle, total_line, sections)


def _placement(plan: Plan, graph: ArchitectureGraph) -> str:
    """How many components, and where: every region used with how many run there (a cross-region replica is
    counted where it runs), then those that are global or in a multi-region location."""
    total = f"{len(plan.components)} component{'s' if len(plan.components) != 1 else ''}"
    placed = Counter(node.region for node in graph.nodes if node.region)
    replicas = Counter(replica.region for component in plan.components
                       for replica in getattr(component.spec, "cross_region_replicas", None) or [])
    regions = list(dict.fromkeys([node.region for node in graph.nodes if node.region] + list(replicas)))
    if len(regions) <= 1:
        return f"{total} in {regions[0] if regions else plan.region}"
    parts = []
    for region in regions:
        counted = [str(placed[region])] if placed[region] else []
        if replicas[region]:
            counted.append(f"{replicas[region]} cross-region replica{'s' if replicas[region] != 1 else ''}")
        parts.append(f"{region} ({' + '.join(counted)})")
    unplaced = len(plan.components) - sum(placed.values())
    rest = f"; {unplaced} global or multi-region" if unplaced else ""
    return f"{total} across {len(regions)} regions: {', '.join(parts)}{rest}"


CHART_FILES = {"cost_by_category": ("chart-cost-by-category.svg", "Monthly cost by category"),
               "cost_by_component": ("chart-cost-by-component.svg", "Monthly cost by component"),
               "availability": ("chart-availability.svg", "Availability per entry point")}


def _charts(report: CostReport, outcome) -> dict[str, Picture]:
    """The document's charts, drawn from the same JSON documents `cost` and `check` print."""
    from archplan.render import charts, check_json, cost_json

    check = check_json.as_data(outcome.report) if outcome.report is not None else {}
    drawn = charts.all_charts(cost_json.as_data(report), check)
    return {name: Picture(CHART_FILES[name][0], CHART_FILES[name][1], svg) for name, svg in drawn.items()}


def _with_availability_chart(sections: list[Section], charts: dict[str, Picture]) -> list[Section]:
    """The availability-per-entry-point chart, right after the availability section's key facts."""
    for section in sections:
        if section.key == "availability" and section.blocks and isinstance(section.blocks[0], KeyFacts) \
                and "availability" in charts:
            section.blocks.insert(1, charts["availability"])
    return sections


# --- Overview -------------------------------------------------------------------------------------------

def _users(plan: Plan) -> list[tuple[str, Decimal]]:
    traffic = plan.spec.traffic
    if traffic is None:
        return []
    found = []
    if traffic.monthly_active_users:
        found.append(("monthly active user", traffic.monthly_active_users))
    if traffic.daily_active_users:
        found.append(("daily active user", traffic.daily_active_users))
    return found


def _cost_per_user(plan: Plan, report: CostReport) -> str | None:
    users = _users(plan)
    if not users:
        return None
    return "; ".join(f"{_per_user(report.total_usd / count, report)} per {who} a month" for who, count in users)


def _per_user(value_usd: Decimal, report: CostReport) -> str:
    """Small amounts keep three significant digits: $0.0326, not $0.03."""
    def show(code: str) -> str:
        return per_unit_amount(value_usd * report.rate_for(code), code)
    first, second, _ = _pair(report, lead=True)
    return f"{show(first)} ({show(second)})"


def _traffic_line(plan: Plan) -> str:
    traffic = plan.spec.traffic
    if traffic is None:
        return "not stated (usage is given per component)"
    parts = []
    if traffic.daily_active_users is not None:
        parts.append(f"{quantity(traffic.daily_active_users)} daily active users")
    if traffic.monthly_active_users is not None:
        parts.append(f"{quantity(traffic.monthly_active_users)} monthly active users")
    if traffic.concurrent_users is not None:
        parts.append(f"{quantity(traffic.concurrent_users)} concurrent")
    if traffic.requests_per_user_per_day is not None:
        parts.append(f"{quantity(traffic.requests_per_user_per_day)} requests per user a day")
    if plan.traffic.requests_per_month is not None:
        parts.append(f"{quantity(plan.traffic.requests_per_month)} requests a month")
    if traffic.peak_to_average is not None:
        parts.append(f"peak {quantity(traffic.peak_to_average)}x the average")
    return ", ".join(parts) or "not stated"


def _slo_line(plan: Plan) -> str:
    slo = plan.spec.slo
    if slo is None:
        return "not stated"
    parts = []
    if slo.availability_percent is not None:
        parts.append(f"availability {slo.availability_percent}%")
    if slo.latency_p95_ms is not None:
        parts.append(f"p95 latency {quantity(slo.latency_p95_ms)} ms")
    if slo.rto_minutes is not None:
        parts.append(f"RTO {quantity(slo.rto_minutes)} min")
    if slo.rpo_minutes is not None:
        parts.append(f"RPO {quantity(slo.rpo_minutes)} min")
    return ", ".join(parts) or "not stated"


def budget_line(report: CostReport) -> str:
    if report.budget_usd is None:
        return "not set"
    stated = amount(report.budget_amount, report.budget_currency)
    verdict = "within budget" if report.total_usd <= report.budget_usd else "**over budget**"
    return f"{stated} a month: {_pct(report.total_usd, report.budget_usd)} used, {verdict}"


def _overview(plan: Plan, graph: ArchitectureGraph, report: CostReport, file_label: str) -> Section:
    project = plan.spec.project
    environments = project.environments
    rows = [("Project", project.name + (f" (modelled on {project.seed})" if project.seed else "")),
            ("Plan", f"`{file_label}`"),
            ("Region", plan.region)]
    if plan.environment:
        rows.append(("Environment", f"{plan.environment}: the components as changed by this environment"))
    rows.append(("Environments", ", ".join(environments) + (f" (default: {project.default_environment})"
                                                           if project.default_environment else "")
                 if environments else "one (as written)"))
    rows.append(("Monthly cost", f"**{_both(report.total_usd, report)}**"))
    first, second, _ = _pair(report, lead=True)
    years = [amount(cost_view.shown(report, code).year, code) for code in (first, second)]
    rows.append(("Yearly cost", f"{years[0]} ({years[1]})"))  # twelve months as shown
    rows.append(("Budget", budget_line(report)))
    per_user = _cost_per_user(plan, report)
    if per_user:
        rows.append(("Cost per user", per_user))
    rows.append(("Traffic", _traffic_line(plan)))
    rows.append(("Targets (SLO)", _slo_line(plan)))
    if project.data_residency:
        rows.append(("Data residency", project.data_residency))
    layers = len(graph.layers)
    calls = [e for e in graph.edges if e.style != "users"]
    rows.append(("Components", f"{len(plan.components)} in {layers} layer{'s' if layers != 1 else ''}, "
                               f"{len(calls)} connection{'s' if len(calls) != 1 else ''}"))
    lead = (f"This document is computed from the plan `{file_label}`: the diagram, sizes, costs, checks and "
            "checklist below all come from it and from archplan's dated catalog of GCP prices. Change the plan "
            "and run `archplan doc` again rather than editing this page.")
    return Section("overview", "Overview", [Paragraph(lead, "lead"), KeyFacts(rows)])


# --- Architecture ---------------------------------------------------------------------------------------

def _architecture(graph: ArchitectureGraph) -> Section:
    layers = "; ".join(f"**{layer.title}** ({', '.join(n.name for n in members)})" for layer, members in graph.layers)
    legend = (f"Layers, top to bottom: {layers}. Solid arrows are calls, labelled with the protocol where the plan "
              "gives one; where several components call one target over the same protocol, their lines meet at one "
              "label. Dashed arrows go to operations services or are soft dependencies (`critical: false`); dotted "
              "ones stand for a component naming another (a policy's load balancer, a function's trigger).")
    rows = []
    for edge in graph.edges:
        if edge.style == "users":
            continue
        kind = {"call": "calls", "soft": "calls (soft: survives without it)", "observe": "uses (operations)",
                "reference": "attached to"}[edge.style]
        rows.append([edge.source_label, edge.target_label, edge.label or "-", kind])
    blocks: list[Block] = [Diagram(), Paragraph(legend, "note")]
    if graph.entries:
        blocks.append(Paragraph(f"Users reach the system through {', '.join(graph.entries)}.", "note"))
    blocks += [Subheading("Connections"), Table(["From", "To", "Protocol", "Relation"], rows)
               if rows else Paragraph("The plan declares no connections (`depends_on`).")]
    return Section("architecture", "Architecture", blocks)


# --- Components -----------------------------------------------------------------------------------------

def _components(plan: Plan, graph: ArchitectureGraph, report: CostReport) -> Section:
    shown = cost_view.shown(report, report.currency)
    rows, notes = [], []
    for component in plan.components:
        described = facts(component, plan.components)
        node = graph.node(component.name)
        rows.append([f"**{component.name}**", node.kind_label, LAYER_BY_KEY[node.layer].title, described.size,
                     described.scaling, described.ha, amount(shown.components[component.name], report.currency)])
        if component.spec.description:
            notes.append(f"**{component.name}** ({node.kind_label}): {' '.join(component.spec.description.split())}")
        if described.workloads:
            notes.append(f"**{component.name}** workloads: {', '.join(described.workloads)}")
    blocks: list[Block] = [Table(["Component", "Service", "Layer", "Size", "Scaling", "High availability",
                                  f"Monthly {report.currency}"], rows, numeric=frozenset({6}), style="components")]
    if notes:
        blocks += [Subheading("What each component does"), Bullets(notes)]
    return Section("components", "Components", blocks)


# --- Cost -----------------------------------------------------------------------------------------------

def _cost(plan: Plan, report: CostReport, charts: dict[str, Picture]) -> Section:
    first, second, both = _pair(report)
    total = report.total_usd
    budget = report.budget_usd
    # the figures as `cost` shows them: each level adds up to the one above (cost_view.shown)
    figures = {code: cost_view.shown(report, code) for code in (first, second)}

    def pair(pick) -> list[str]:
        return [amount(pick(figures[first]), first), amount(pick(figures[second]), second)]

    lead, other = (second, first) if second == report.currency else (first, second)
    blocks: list[Block] = [Paragraph(
        f"**Total per month: {amount(figures[lead].total, lead)} ({amount(figures[other].total, other)})**; per year "
        f"{amount(figures[lead].year, lead)} ({amount(figures[other].year, other)}). Budget: {budget_line(report)}.",
        "total")]
    per_user = _cost_per_user(plan, report)
    if per_user:
        blocks.append(Paragraph(f"Cost per user: {per_user}."))
    by_category = report.by_category()
    category_rows = [[category, *pair(lambda f, c=category: f.categories[c]), _pct(value, total), _pct(value, budget)]
                     for category, value in ((c, by_category[c]) for c in CATEGORIES) if value]
    blocks += [Subheading("By category"),
               Table(["Category", first, second, "Share of total", "Share of budget"], category_rows,
                     numeric=frozenset({1, 2, 3, 4})),
               *([charts["cost_by_category"]] if "cost_by_category" in charts else [])]

    by_component = report.by_component()
    component_rows = [[name, kind, *pair(lambda f, n=name: f.components[n]), _pct(by_component[name], total)]
                      for name, kind in report.component_order]
    blocks += [Subheading("By component"),
               Table(["Component", "Kind", first, second, "Share of total"], component_rows,
                     numeric=frozenset({2, 3, 4})),
               *([charts["cost_by_component"]] if "cost_by_component" in charts else [])]

    item_rows = []
    for index, item in enumerate(report.line_items):
        price = f"{unit_price_in(item.unit_price_usd, first, report.rate_for(first))}/{item.unit}" + \
            (" (tiered)" if item.tiered else "")
        if item.discount:
            price += f" (-{item.discount * 100:.0f}%)"
        item_rows.append([item.component, f"{item.service}: {item.description}",
                          f"{quantity(item.quantity)} {item.unit}",
                          quantity(item.free_quantity) if item.free_quantity else "", price,
                          *pair(lambda f, i=index: f.lines[i])])
    blocks += [Subheading("Line items"),
               Table(["Component", "Line item", "Quantity", "Free", "Unit price", first, second], item_rows,
                     numeric=frozenset({2, 3, 5, 6}), style="line-items")]

    totals = cost_view.totals(report, (first, second))  # subtotal, contingency, per month, per year
    strong = frozenset({len(totals) - 2})
    if budget is not None:
        totals.append(["Budget per month", *both(budget)])
    blocks += [Subheading("Totals"), Table(["", first, second], totals, numeric=frozenset({1, 2}), strong=strong)]
    if report.free_tiers_applied:
        blocks += [Subheading("Free tiers applied"),
                   Bullets([f"{use.description}: {quantity(use.used)} {use.unit} used"
                            for use in report.free_tiers_applied])]
    rounding = [note for code in (first, second) if (note := figures[code].note(code))]
    if rounding:
        blocks.append(Paragraph(" ".join(rounding), "note"))
    rates = "; ".join(f"USD to {code} at {report.rate_for(code)}" for code in (first, second) if code != "USD")
    blocks.append(Paragraph(f"{rates}. Prices are list prices from archplan's catalog "
                            "(each with its source and date: `archplan catalog`).", "note"))
    return Section("cost", "Cost", blocks)


# --- Scaling phases -------------------------------------------------------------------------------------

def _changes(overrides: dict[str, Any]) -> str:
    """`min_instances 2, tier db-n1-standard-2, items changed`: values shown when they are plain."""
    parts = []
    for key, value in overrides.items():
        if isinstance(value, bool):
            shown = str(value).lower()
        elif isinstance(value, (int, float, Decimal)):
            shown = quantity(Decimal(str(value)))
        elif isinstance(value, str):
            shown = value
        else:
            shown = "changed"
        parts.append(f"{key} {shown}")
    return ", ".join(parts)


class _Priced(NamedTuple):
    plan: Plan | None
    first_text: str  # in the plan's currency (or USD), as _pair orders them
    second_text: str
    total_usd: Decimal | None


def _what_changes(overrides) -> list[str]:
    """What an environment or a phase changes: its traffic, each component's keys, what it leaves out."""
    changed = [f"{component}: {_changes(values)}" for component, values in overrides.components.items()]
    if overrides.traffic:
        changed.insert(0, f"traffic: {_changes(overrides.traffic)}")
    if overrides.exclude:
        changed.append(f"without {', '.join(overrides.exclude)}")
    return changed


def _growth_phases(plan: Plan) -> list[Block]:
    """The plan's `phases:`, each with its range of users and what it changes; they are priced by load under
    Growth (the scale run), not here."""
    from archplan.scale.render import load_text

    phases = plan.spec.phases
    if not phases:
        return []
    rows = [[f"**{phase.name}**", f"{load_text(phase.min_users)}-{load_text(phase.max_users)}"
             if phase.max_users is not None else f"{load_text(phase.min_users)}+",
             "; ".join(_what_changes(phase)) or "-"] for phase in phases]
    blocks: list[Block] = [Paragraph("The growth phases the plan declares (`phases:`), each applied to the loads in "
                                     "its range of users; they are priced across their ranges under "
                                     "Growth, below."),
                           Table(["Phase", "Users", "What changes"], rows)]
    notes = [f"**{phase.name}**: {' '.join(phase.description.split())}" for phase in phases if phase.description]
    return blocks + ([Bullets(notes)] if notes else [])


def _phases(plan: Plan, known: Mapping[str | None, Plan]) -> Section:
    project = plan.spec.project
    if not project.environments:
        if plan.spec.phases:
            return Section("phases", "Scaling phases", [Paragraph(
                "The plan declares no other environments (`project.environments`).", "note"),
                *_growth_phases(plan)])
        return Section("phases", "Scaling phases", [Paragraph(
            "The plan declares no other environments or phases (`project.environments`).", "note")])
    default = project.default_environment  # what a plan loaded without --env is
    first, second = cost_view.columns(cost_report(plan).currency)
    base = _price_environment(plan.spec.file, default, known)
    rows = [[f"**{default}** (default)" if default else "as written", "-",
             _users_text(base.plan) if base.plan else "-", base.first_text, base.second_text, "-"]]
    notes = []
    for name, environment in project.environments.items():
        if environment.description:
            notes.append(f"**{name}**: {' '.join(environment.description.split())}")
        if name == default:
            continue
        priced = _price_environment(plan.spec.file, name, known)
        changed = _what_changes(environment)
        difference = "-"
        if priced.total_usd is not None and base.total_usd:
            difference = f"{(priced.total_usd - base.total_usd) / base.total_usd * 100:+.0f}%"
        rows.append([f"**{name}**" + (" (shown)" if name == plan.environment else ""), "; ".join(changed) or "-",
                     _users_text(priced.plan) if priced.plan else "-", priced.first_text, priced.second_text, difference])
    blocks: list[Block] = [Paragraph("The phases and environments the plan declares, each priced as "
                                     "`archplan cost --env NAME` prices it."),
                           Table(["Environment", "What changes", "Users", f"{first} a month", f"{second} a month",
                                  "vs " + ("default" if default else "as written")],
                                 rows, numeric=frozenset({3, 4, 5}), style="phases")]
    if notes:
        blocks.append(Bullets(notes))
    return Section("phases", "Scaling phases", blocks + _growth_phases(plan))


def _price_environment(file: str, environment: str | None, known: Mapping[str | None, Plan]) -> _Priced:
    """The plan in one environment (None: as written), priced as `archplan cost --env` prices it: the plan in
    `known` if the caller has it (its cost report is remembered on it), else loaded once per file content
    (`validate` builds the document once per environment, and each lists every environment's price)."""
    try:
        plan = known[environment] if environment in known else _environment_plan(file, environment)
        report = cost_report(plan)
    except (SpecError, CatalogError) as problem:
        return _Priced(None, f"cannot be priced: {problem}", "-", None)
    return _Priced(plan, *_pair(report)[2](report.total_usd), report.total_usd)


def _environment_plan(file: str, environment: str | None) -> Plan:
    try:
        with open(file, "rb") as handle:
            content = handle.read()
    except OSError:
        return _load_environment(file, environment)
    return _environment_plan_of(file, environment, content)


@lru_cache(maxsize=16)
def _environment_plan_of(file: str, environment: str | None, _content: bytes) -> Plan:
    return _load_environment(file, environment)


def _load_environment(file: str, environment: str | None) -> Plan:
    from archplan import catalog
    from archplan.spec.load import load_environment

    # The command has loaded the file (every environment validated): this one is built alone.
    return resolve(load_environment(file, environment, catalog.supported_regions()))


def _users_text(plan: Plan) -> str:
    users = _users(plan)
    if not users:
        return "-"
    return ", ".join(f"{quantity(count)} {'MAU' if who.startswith('monthly') else 'DAU'}" for who, count in users)


# --- Checklist, assumptions -----------------------------------------------------------------------------

def _checklist(plan: Plan, graph: ArchitectureGraph) -> Section:
    items = checklist(plan, graph)
    done = sum(1 for i in items if i.status == "done")
    todo = sum(1 for i in items if i.status == "todo")
    tasks = sum(1 for i in items if i.status == "task")
    blocks: list[Block] = [Paragraph(f"Derived from the plan: {done} already true of it (ticked), {todo} still to "
                                     f"change in it (marked **change**), {tasks} to do when deploying.")]
    for group in GROUPS:
        members = [(i.status, i.text) for i in items if i.group == group]
        if members:
            blocks += [Subheading(group), Checklist(members)]
    return Section("checklist", "Pre-deployment checklist", blocks)


def _assumptions(report: CostReport) -> Section:
    return Section("assumptions", "Assumptions", [Bullets(list(report.assumptions))])


def file_label(path: str) -> str:
    """The plan's path as given, with `/` separators (the same document on every system)."""
    return Path(path).as_posix()
