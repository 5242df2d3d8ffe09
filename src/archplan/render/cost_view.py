"""The cost report laid out as rows of text, shared by the table and Markdown renderers."""
from __future__ import annotations

from dataclasses import dataclass

from archplan.analysis.cost import CATEGORIES, CostReport
from archplan.render.numbers import amount, money, quantity, unit_price_in, usd


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
    categories: list[list[str]]  # category, first currency, second currency, share
    totals: list[list[str]]  # label, first currency, second currency
    budget_line: str | None
    assumptions: list[str]
    free_tiers: list[str]
    warnings: list[str]
    columns: tuple[str, str]  # the two currencies of categories and totals


def columns(currency: str) -> tuple[str, str]:
    """USD and INR, or the chosen currency first and USD next to it."""
    return ("USD", "INR") if currency in ("USD", "INR") else (currency, "USD")


def build(report: CostReport, currency: str) -> CostView:
    fx = report.rate_for(currency)
    first, second = columns(currency)
    rates = {code: report.rate_for(code) for code in (first, second)}

    def both(value_usd):
        return [amount(value_usd * rates[first], first), amount(value_usd * rates[second], second)]

    by_component = report.by_component()
    blocks = []
    for name, kind in report.component_order:
        rows = []
        for item in (i for i in report.line_items if i.component == name):
            price = f"{unit_price_in(item.unit_price_usd, currency, fx)}/{item.unit}" + (" (tiered)" if item.tiered else "")
            if item.discount:
                price += f" (-{item.discount * 100:.0f}%)"
            rows.append([f"{item.service}: {item.description}", f"{quantity(item.quantity)} {item.unit}",
                         quantity(item.free_quantity) if item.free_quantity else "",
                         price, money(item.monthly_usd, currency, fx)])
        category = next((i.category for i in report.line_items if i.component == name), "")
        blocks.append(ComponentBlock(f"{name} ({kind}, {category})", money(by_component[name], currency, fx), rows))
    total = report.total_usd
    by_category = report.by_category()
    categories = [[category, *both(value), f"{value / total * 100:.1f}%" if total else "-"]
                  for category, value in ((c, by_category[c]) for c in CATEGORIES) if value]
    totals = [["Subtotal", *both(report.subtotal_usd)]]
    if report.contingency_percent:
        totals.append([f"Contingency ({report.contingency_percent}%)", *both(report.contingency_usd)])
    totals.append(["Total per month", *both(total)])
    totals.append(["Total per year", *both(total * 12)])
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
    return CostView(heading, currency, blocks, categories, totals, budget_line, report.assumptions, free_tiers,
                    report.warnings, (first, second))
