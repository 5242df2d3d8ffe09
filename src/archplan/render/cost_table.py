"""The cost report as an aligned text table for the terminal."""
from __future__ import annotations

from archplan.analysis.cost import CostReport
from archplan.render.cost_view import build

HEADERS = ["COMPONENT / LINE ITEM", "QUANTITY", "FREE", "UNIT PRICE", "MONTHLY"]


def _align(rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    return lines


def render(report: CostReport, currency: str) -> str:
    view = build(report, currency)
    rows = [HEADERS[:4] + [f"{HEADERS[4]} {currency}"]]
    for block in view.blocks:
        rows.append([block.title, "", "", "", block.subtotal])
        rows += [["  " + row[0]] + row[1:] for row in block.rows]
    out = [view.heading, ""]
    out += _align(rows, {1, 2, 4})
    money_columns = set(range(1, len(view.columns) + 1))
    if view.warnings:
        out = [view.heading, ""] + [f"WARNING: {line}" for line in view.warnings] + out[1:]
    out += ["", *(_align([["BY CATEGORY", *view.columns, "SHARE"]] + view.categories,
                         money_columns | {len(view.columns) + 1}))]
    out += ["", *(_align(view.totals, money_columns))]
    out += ["", *view.rounding] if view.rounding else []
    if view.budget_line:
        out.append(view.budget_line)
    out += ["", "Assumptions:"] + [f"  - {line}" for line in view.assumptions]
    if view.free_tiers:
        out += ["", "Free tiers applied:"] + [f"  - {line}" for line in view.free_tiers]
    return "\n".join(out) + "\n"
