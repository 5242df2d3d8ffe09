"""The cost report laid out as rows of text, shared by the table and Markdown renderers."""
from __future__ import annotations

from dataclasses import dataclass

from archplan.analysis.cost import CATEGORIES, CostReport
from archplan.render.numbers import amount, money, quantity, unit_price_in, usd
from archplan.render.once import per_report


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


def columns(currency: str) -> tuple[str, str]:
    """USD and INR, or the chosen currency first and USD next to it."""
    return ("USD", "INR") if currency in ("USD", "INR") else (currency, "USD")


def report_columns(report: CostReport, currency: str) -> tuple[str, ...]:
    """The currencies `cost` shows a report in: those of `columns`, less INR for a report in USD of a plan
    that writes no rupees (a USD plan's reader did not ask for them)."""
    if currency == "USD" and not report.plan_names_inr:
        return ("USD",)
    return columns(currency)


def _in_columns(report: CostReport, codes: tuple[str, ...]):
    """value in USD -> [in each of `codes`]."""
    rates = {code: report.rate_for(code) for code in codes}
    return lambda value_usd: [amount(value_usd * rates[code], code) for code in codes]


def totals(report: CostReport, codes: tuple[str, ...]) -> list[list[str]]:
    """The totals rows, in each of `codes`: subtotal, contingency (if any), per month, per year."""
    both = _in_columns(report, codes)
    rows = [["Subtotal", *both(report.subtotal_usd)]]
    if report.contingency_percent:
        rows.append([f"Contingency ({report.contingency_percent}%)", *both(report.contingency_usd)])
    rows.append(["Total per month", *both(report.total_usd)])
    rows.append(["Total per year", *both(report.total_usd * 12)])
    return rows


def build(report: CostReport, currency: str) -> CostView:
    """The report laid out in `currency` (once per report and currency; the renderers only read it)."""
    views = per_report(report, "_views", dict)
    if currency not in views:
        views[currency] = _build(report, currency)
    return views[currency]


def _build(report: CostReport, currency: str) -> CostView:
    fx = report.rate_for(currency)
    codes = report_columns(report, currency)
    both = _in_columns(report, codes)
    by_component = report.by_component()
    blocks = []
    items_of: dict[str, list] = {}
    for item in report.line_items:  # grouped once: scanning every item per component is quadratic
        items_of.setdefault(item.component, []).append(item)
    for name, kind in report.component_order:
        rows = []
        for item in items_of.get(name, []):
            price = f"{unit_price_in(item.unit_price_usd, currency, fx)}/{item.unit}" + (" (tiered)" if item.tiered else "")
            if item.discount:
                price += f" (-{item.discount * 100:.0f}%)"
            rows.append([f"{item.service}: {item.description}", f"{quantity(item.quantity)} {item.unit}",
                         quantity(item.free_quantity) if item.free_quantity else "",
                         price, money(item.monthly_usd, currency, fx)])
        category = items_of[name][0].category if items_of.get(name) else ""
        blocks.append(ComponentBlock(f"{name} ({kind}, {category})", money(by_component[name], currency, fx), rows))
    total = report.total_usd
    by_category = report.by_category()
    categories = [[category, *both(value), f"{value / total * 100:.1f}%" if total else "-"]
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
    return CostView(heading, currency, blocks, categories, totals(report, codes), budget_line, report.assumptions, free_tiers,
                    report.warnings, codes)
