"""The cost report as Markdown, for pull requests and documents."""
from __future__ import annotations

from archplan.analysis.cost import CostReport
from archplan.render.cost_view import build


def _escape(cell: str) -> str:
    return cell.replace("|", "\\|")


def _table(headers: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |",
             "|" + "|".join("---:" if i in right else "---" for i in range(len(headers))) + "|"]
    lines += ["| " + " | ".join(_escape(cell) for cell in row) + " |" for row in rows]
    return lines


def render(report: CostReport, currency: str) -> str:
    view = build(report, currency)
    out = [f"# {view.heading}", ""]
    if view.warnings:
        out += [f"> **Warning:** {_escape(line)}" for line in view.warnings] + [""]
    for block in view.blocks:
        out += [f"## {block.title}: {block.subtotal}", ""]
        out += _table(["Line item", "Quantity", "Free", "Unit price", f"Monthly {currency}"], block.rows, {1, 2, 4})
        out.append("")
    money_columns = set(range(1, len(view.columns) + 1))
    out += ["## By category", ""] + _table(["Category", *view.columns, "Share"], view.categories,
                                           money_columns | {len(view.columns) + 1})
    out += ["", "## Total", ""] + _table(["", *view.columns], view.totals, money_columns)
    if view.rounding:
        out += [""] + [_escape(line) for line in view.rounding]
    if view.budget_line:
        out += ["", view.budget_line]
    out += ["", "## Assumptions", ""] + [f"- {line}" for line in view.assumptions]
    if view.free_tiers:
        out += ["", "## Free tiers applied", ""] + [f"- {line}" for line in view.free_tiers]
    return "\n".join(out) + "\n"
