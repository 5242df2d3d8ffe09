"""The cost report laid out as rows of text, shared by the table and Markdown renderers."""
from __future__ import annotations

from dataclasses import dataclass

from archplan.analysis.cost import CATEGORIES, CostReport
from archplan.render.numbers import inr, money, quantity, unit_price, usd


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
    categories: list[list[str]]  # category, USD, INR, share
    totals: list[list[str]]  # label, USD, INR
    budget_line: str | None
    assumptions: list[str]
    free_tiers: list[str]


def build(report: CostReport, currency: str) -> CostView:
    fx = report.usd_inr
    by_component = report.by_component()
    blocks = []
    items_of: dict[str, list] = {}
    for item in report.line_items:  # grouped once: scanning every item per component is quadratic
        items_of.setdefault(item.component, []).append(item)
    for name, kind in report.component_order:
        rows = []
        for item in items_of.get(name, []):
            price = f"${unit_price(item.unit_price_usd)}/{item.unit}" + (" (tiered)" if item.tiered else "")
            if item.discount:
                price += f" (-{item.discount * 100:.0f}%)"
            rows.append([f"{item.service}: {item.description}", f"{quantity(item.quantity)} {item.unit}",
                         quantity(item.free_quantity) if item.free_quantity else "",
                         price, money(item.monthly_usd, currency, fx)])
        category = items_of[name][0].category if items_of.get(name) else ""
        blocks.append(ComponentBlock(f"{name} ({kind}, {category})", money(by_component[name], currency, fx), rows))
    total = report.total_usd
    by_category = report.by_category()
    categories = [[category, usd(value), inr(value * fx), f"{value / total * 100:.1f}%" if total else "-"]
                  for category, value in ((c, by_category[c]) for c in CATEGORIES) if value]
    totals = [["Subtotal", usd(report.subtotal_usd), inr(report.subtotal_usd * fx)]]
    if report.contingency_percent:
        totals.append([f"Contingency ({report.contingency_percent}%)", usd(report.contingency_usd),
                       inr(report.contingency_usd * fx)])
    totals.append(["Total per month", usd(total), inr(total * fx)])
    totals.append(["Total per year", usd(total * 12), inr(total * 12 * fx)])
    budget_line = None
    if report.budget_usd is not None:
        stated = usd(report.budget_usd) if report.budget_currency == "USD" else inr(report.budget_amount)
        share = total / report.budget_usd * 100
        verdict = "within budget" if total <= report.budget_usd else "OVER BUDGET"
        budget_line = f"Budget {stated} a month: {share:.1f}% used, {verdict}"
    env = f", environment {report.environment}" if report.environment else ""
    heading = f"{report.project}: monthly cost in {report.region}{env} ({report.file})"
    free_tiers = [f"{use.description}: {quantity(use.used)} {use.unit} used" for use in report.free_tiers_applied]
    return CostView(heading, currency, blocks, categories, totals, budget_line, report.assumptions, free_tiers)
