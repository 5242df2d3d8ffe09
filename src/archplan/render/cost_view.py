"""The cost report laid out as rows of text, shared by the table and Markdown renderers."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from archplan.analysis.cost import CATEGORIES, CostReport
from archplan.render.numbers import NO_MINOR_UNIT, amount, quantity, round_money, shown_parts, unit_price_in, usd
from archplan.render.once import per_report_and


@dataclass
class ComponentBlock:
    title: str
    subtotal: str
    rows: list[list[str]]  # description, quantity + unit, free, unit price, monthly


@dataclass
class CostView:
    heading: str
    currency: str
    blocks: list[ComponentBlock]
    categories: list[list[str]]  # category, the amount in each of `columns`, share
    totals: list[list[str]]  # label, the amount in each of `columns`
    budget_line: str | None
    assumptions: list[str]
    free_tiers: list[str]
    warnings: list[str]
    columns: tuple[str, ...]  # the currencies of categories and totals, one or two
    rounding: list[str] = field(default_factory=list)  # Shown.note of the lines' currency, when it moved one


def columns(currency: str) -> tuple[str, str]:
    """USD and INR, or the chosen currency first and USD next to it."""
    return ("USD", "INR") if currency in ("USD", "INR") else (currency, "USD")


def report_columns(report: CostReport, currency: str) -> tuple[str, ...]:
    """The currencies `cost` shows a report in: those of `columns`, less INR for a report in USD of a plan
    that writes no rupees (a USD plan's reader did not ask for them)."""
    if currency == "USD" and not report.plan_names_inr:
        return ("USD",)
    return columns(currency)


@dataclass
class Shown:
    """A report's figures in one currency as shown, rounded so that each level adds up to the one above, as a
    bill does: the total per month is the exact total rounded; the subtotal and contingency, the components
    and each component's lines are shared out of it (numbers.shown_parts: at most one cent from their own
    rounding). A reader who adds the lines gets the component, and the components the total."""

    lines: list[Decimal]  # aligned with report.line_items
    components: dict[str, Decimal]
    categories: dict[str, Decimal]
    subtotal: Decimal
    contingency: Decimal
    total: Decimal
    moved: int = 0  # lines shown a unit away from their own rounding, so that they add up

    @property
    def year(self) -> Decimal:
        return self.total * 12

    def note(self, code: str) -> str | None:
        """What the reader adding the lines should know, when any line was moved."""
        if not self.moved:
            return None
        unit = "unit" if code in NO_MINOR_UNIT else "cent"
        return (f"Figures in {code} are rounded so that lines add up to their component and components to the "
                f"total, the exact total rounded: {self.moved} line(s) are shown a {unit} from their own rounding.")


def shown(report: CostReport, code: str) -> Shown:
    """The figures of `report` in `code` as every table shows them (once per report and currency)."""
    return per_report_and(report, "_shown", code, lambda key: _shown(report, key))


def _shown(report: CostReport, code: str) -> Shown:
    rate = report.rate_for(code)
    total = round_money(report.total_usd * rate, "1" if code in NO_MINOR_UNIT else "0.01")
    subtotal, contingency = shown_parts([report.subtotal_usd * rate, report.contingency_usd * rate], code, total)
    names = [name for name, _kind in report.component_order]
    by_component = report.by_component()
    parts = shown_parts([by_component[name] * rate for name in names], code, subtotal)
    components = dict(zip(names, parts))
    indexes: dict[str, list[int]] = {}
    for index, item in enumerate(report.line_items):
        indexes.setdefault(item.component, []).append(index)
    lines = [Decimal(0)] * len(report.line_items)
    for name, members in indexes.items():
        for index, value in zip(members, shown_parts([report.line_items[i].monthly_usd * rate for i in members],
                                                     code, components[name])):
            lines[index] = value
    categories: dict[str, Decimal] = {category: Decimal(0) for category in CATEGORIES}
    for item, value in zip(report.line_items, lines):
        categories[item.category] += value
    places = "1" if code in NO_MINOR_UNIT else "0.01"
    moved = sum(1 for item, value in zip(report.line_items, lines)
                if value != round_money(item.monthly_usd * rate, places))
    return Shown(lines, components, categories, subtotal, contingency, total, moved)


def totals(report: CostReport, codes: tuple[str, ...]) -> list[list[str]]:
    """The totals rows, in each of `codes`: subtotal, contingency (if any), per month, per year, as shown."""
    figures = [shown(report, code) for code in codes]

    def row(label: str, pick) -> list[str]:
        return [label, *(amount(pick(f), code) for f, code in zip(figures, codes))]

    rows = [row("Subtotal", lambda f: f.subtotal)]
    if report.contingency_percent:
        rows.append(row(f"Contingency ({report.contingency_percent}%)", lambda f: f.contingency))
    rows.append(row("Total per month", lambda f: f.total))
    rows.append(row("Total per year", lambda f: f.year))
    return rows


def build(report: CostReport, currency: str) -> CostView:
    """The report laid out in `currency` (once per report and currency; the renderers only read it)."""
    return per_report_and(report, "_views", currency, lambda key: _build(report, key))


def _build(report: CostReport, currency: str) -> CostView:
    fx = report.rate_for(currency)
    codes = report_columns(report, currency)
    figures = shown(report, currency)
    blocks = []
    items_of: dict[str, list] = {}
    for item, value in zip(report.line_items, figures.lines):  # grouped once, not scanned per component
        items_of.setdefault(item.component, []).append((item, value))
    for name, kind in report.component_order:
        rows = []
        for item, value in items_of.get(name, []):
            price = f"{unit_price_in(item.unit_price_usd, currency, fx)}/{item.unit}" + (" (tiered)" if item.tiered else "")
            if item.discount:
                price += f" (-{item.discount * 100:.0f}%)"
            rows.append([f"{item.service}: {item.description}", f"{quantity(item.quantity)} {item.unit}",
                         quantity(item.free_quantity) if item.free_quantity else "",
                         price, amount(value, currency)])
        category = items_of[name][0][0].category if items_of.get(name) else ""
        blocks.append(ComponentBlock(f"{name} ({kind}, {category})", amount(figures.components[name], currency), rows))
    total = report.total_usd
    by_category = report.by_category()
    columns_shown = [shown(report, code) for code in codes]
    categories = [[category, *(amount(f.categories[category], code) for f, code in zip(columns_shown, codes)),
                   f"{value / total * 100:.1f}%" if total else "-"]
                  for category, value in ((c, by_category[c]) for c in CATEGORIES) if value]
    budget_line = None
    if report.budget_usd is not None:
        stated = usd(report.budget_usd) if report.budget_currency == "USD" else \
            amount(report.budget_amount, report.budget_currency)
        share = total / report.budget_usd * 100
        verdict = "within budget" if total <= report.budget_usd else "OVER BUDGET"
        budget_line = f"Budget {stated} a month: {share:.1f}% used, {verdict}"
    env = f", environment {report.environment}" if report.environment else ""
    heading = f"{report.project}: monthly cost in {report.region}{env} ({report.file})"
    free_tiers = [f"{use.description}: {quantity(use.used)} {use.unit} used" for use in report.free_tiers_applied]
    rounding = [note] if (note := figures.note(currency)) else []  # the lines are shown in `currency` only
    return CostView(heading, currency, blocks, categories, totals(report, codes), budget_line, report.assumptions, free_tiers,
                    report.warnings, codes, rounding)
