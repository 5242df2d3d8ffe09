"""The cost report as JSON (schema `archplan.cost/v1`), for CI and other tools."""
from __future__ import annotations

import re
from decimal import Decimal

from archplan.analysis.cost import CATEGORIES, CostReport
from archplan.render import json_text
from archplan.render.once import per_report
from archplan.render.numbers import to_number


def _money(report: CostReport, usd: Decimal) -> dict:
    out = {"usd": to_number(usd, "0.01"), "inr": to_number(usd * report.usd_inr, "0.01")}
    if report.currency not in ("USD", "INR"):
        out[report.currency.lower()] = to_number(usd * report.rate, "0.01")
    return out


def as_data(report: CostReport) -> dict:
    """The report as the JSON document's data (built once per report; only read)."""
    return per_report(report, "_json_data", lambda: _as_data(report))


def _as_data(report: CostReport) -> dict:
    by_component = report.by_component()
    components = []
    items_of: dict[str, list] = {}
    for item in report.line_items:  # grouped once, not scanned per component
        items_of.setdefault(item.component, []).append(item)
    for name, kind in report.component_order:
        items = items_of.get(name, [])
        components.append({
            "name": name, "kind": kind, "category": items[0].category if items else None,
            "monthly": _money(report, by_component[name]),
            "line_items": [{
                "service": item.service, "sku": item.sku, "description": item.description,
                "quantity": to_number(item.quantity, "0.000001"), "unit": item.unit,
                "free_quantity": to_number(item.free_quantity, "0.000001"),
                "billable_quantity": to_number(item.billable_quantity, "0.000001"),
                "unit_price_usd": to_number(item.unit_price_usd), "tiered": item.tiered,
                **({} if report.currency == "USD" else
                   {f"unit_price_{report.currency.lower()}": to_number(item.unit_price_usd * report.rate)}),
                "discount": to_number(item.discount),
                "monthly": _money(report, item.monthly_usd),
                "source": item.source, "date": _iso_date(item.date), "notes": item.notes,
            } for item in items],
        })
    by_category = report.by_category()
    data = {
        "schema": "archplan.cost/v1",
        "project": report.project, "file": report.file, "region": report.region,
        "environment": report.environment, "currency": report.currency,
        "usd_inr": to_number(report.usd_inr),
        "exchange_rate": {"currency": report.currency, "per_usd": to_number(report.rate),
                          "source": report.rate_source},
        "catalog_dates": report.service_dates,
        "warnings": report.warnings,
        "components": components,
        "categories": {category: _money(report, by_category[category]) for category in CATEGORIES},
        "subtotal": _money(report, report.subtotal_usd),
        "contingency": {"percent": to_number(report.contingency_percent), **_money(report, report.contingency_usd)},
        "total": _money(report, report.total_usd),
        "budget": None,
        "assumptions": report.assumptions,
        "free_tiers_applied": [{"description": use.description, "used": to_number(use.used, "0.000001"),
                                "unit": use.unit} for use in report.free_tiers_applied],
    }
    if report.budget_usd is not None:
        data["budget"] = {"amount": to_number(report.budget_amount), "currency": report.budget_currency,
                          **_money(report, report.budget_usd),
                          "used_percent": to_number(report.total_usd / report.budget_usd * 100, "0.1")}
    return data


def render(report: CostReport) -> str:
    return json_text.dumps(as_data(report)) + "\n"


def _iso_date(text: str | None) -> str | None:
    """The catalog date of a line as YYYY-MM-DD (the catalog writes some "read 2026-11-22": the day the page
    was read), so a CI job can parse every one as a date."""
    found = re.search(r"\d{4}-\d{2}-\d{2}", text or "")
    return found.group(0) if found else text
