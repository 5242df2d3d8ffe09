"""The cost report's line items as CSV, one row per line item."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

from archplan.analysis.cost import CostReport
from archplan.render.cost_view import columns
from archplan.render.csv_cells import text_cell
from archplan.render.numbers import round_money

COLUMNS = ["component", "kind", "category", "service", "sku", "description", "quantity", "unit",
           "free_quantity", "billable_quantity", "unit_price_usd", "monthly_usd", "monthly_{code}", "source"]


def render(report: CostReport) -> str:
    """The second money column is in the currency `cost` shows beside USD: INR for a USD or INR plan, else
    the plan's (monthly_eur, ...), at the report's rate."""
    code = next(c for c in columns(report.currency) if c != "USD")
    rate = report.rate_for(code)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([column.format(code=code.lower()) for column in COLUMNS])
    for item in report.line_items:
        text = [text_cell(value) for value in (item.component, item.kind, item.category, item.service, item.sku,
                                               item.description)]
        writer.writerow([*text, _quantity(item.quantity), text_cell(item.unit), _quantity(item.free_quantity),
                         _quantity(item.billable_quantity), f"{item.unit_price_usd.normalize():f}",
                         round_money(item.monthly_usd), round_money(item.monthly_usd * rate),
                         text_cell(item.source)])
    return out.getvalue()


def _quantity(value) -> str:
    """A quantity to six decimals, as the JSON report gives it (147.938728, not 147.93872833251953125)."""
    return f"{value.quantize(Decimal('0.000001')).normalize():f}"
