"""The cost report's line items as CSV, one row per line item."""
from __future__ import annotations

import csv
import io

from archplan.analysis.cost import CostReport
from archplan.render.numbers import round_money

COLUMNS = ["component", "kind", "category", "service", "sku", "description", "quantity", "unit",
           "free_quantity", "billable_quantity", "unit_price_usd", "monthly_usd", "monthly_inr", "source"]


def render(report: CostReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for item in report.line_items:
        writer.writerow([item.component, item.kind, item.category, item.service, item.sku, item.description,
                         f"{item.quantity.normalize():f}", item.unit, f"{item.free_quantity.normalize():f}",
                         f"{item.billable_quantity.normalize():f}", f"{item.unit_price_usd.normalize():f}",
                         round_money(item.monthly_usd), round_money(item.monthly_usd * report.usd_inr),
                         item.source])
    return out.getvalue()
