"""`archplan diff` output: a text table, JSON (schema archplan.diff/v1), and a short Markdown comment for a
pull request (totals and the lines that moved more than a threshold; the details collapsed)."""
from __future__ import annotations

import json
from decimal import Decimal

from archplan.assess import plain_data
from archplan.render.cost_view import columns
from archplan.render.markdown_text import code
from archplan.render.numbers import amount, shown_difference
from archplan.render.shown_money import value


def _signed(code: str, figure: Decimal) -> str:
    return ("+" if figure > 0 else "-" if figure < 0 else "±") + amount(abs(figure), code)


def _change(row: dict, code: str) -> Decimal:
    """The row's change in `code` as the difference of the before and after figures shown beside it."""
    return shown_difference(value(row, "after", code), value(row, "before", code), code)


def _in(row: dict, name: str, code: str) -> str:
    return amount(value(row, name, code), code)


def _pair(row: dict, currency: str) -> str:
    """'$1.00 -> $2.00 (+$1.00 / +₹83.33, +100.0%)', or for EUR '€1.00 -> €2.00 (+€1.00 / +$1.08, +100.0%)':
    the currencies `cost` shows for `currency`, the first one's figures before and after."""
    first, second = columns(currency)
    percent = f", {row['delta_percent']:+.1f}%" if row["delta_percent"] is not None else ""
    return (f"{_in(row, 'before', first)} -> {_in(row, 'after', first)} "
            f"({_signed(first, _change(row, first))} / {_signed(second, _change(row, second))}{percent})")


def _value(value) -> str:
    if value is None:
        return "(unset)"
    if isinstance(value, (list, dict)):
        return json.dumps(value, sort_keys=True)
    return str(value).lower() if isinstance(value, bool) else str(value)


def _percent(value) -> str:
    return "-" if value is None else f"{value:.4f}%"


def _item(row: dict, arrow: str = "->") -> str:
    """A line item's description; a changed one whose quantities moved names both (the before figure is the
    before description's)."""
    before, after = row["description_before"], row["description"]
    return f"{before} {arrow} {after}" if row["status"] == "changed" and before and before != after else after


def _sides(before, after, form: str = "{}") -> str:
    """A figure of both plans, each from its own side: 'after' when the two read the same or the before plan
    has no such figure (a service it lacks), else 'before -> after'."""
    shown_before, shown_after = form.format(before) if before is not None else None, form.format(after)
    return shown_after if shown_before in (None, shown_after) else f"{shown_before} -> {shown_after}"


def _moved(row: dict, threshold_percent: Decimal) -> bool:
    if row["delta_percent"] is None:
        return bool(row["delta_usd"])
    return abs(row["delta_percent"]) >= threshold_percent


def render_table(result: dict) -> str:
    lines = [f"archplan diff: {result['before']} -> {result['after']}", ""]
    cost, currency = result["cost"], result["currency"]
    if result["identical"]:
        first, second = columns(currency)
        lines += [f"No differences: the same components and settings; cost {_in(cost['total'], 'after', first)} "
                  f"a month on both sides (delta {amount(Decimal(0), first)} / {amount(Decimal(0), second)}); "
                  "the same availability, capacity headroom and findings.", ""]
    lines.append(f"Total a month: {_pair(cost['total'], currency)}")
    availability = result["availability"]
    lines.append(f"Availability (request path): {_percent(availability['composite_before_percent'])} -> "
                 f"{_percent(availability['composite_after_percent'])} ({availability['delta_points']:+.4f} points; "
                 f"downtime {availability['downtime_minutes_per_month_before']:.1f} -> "
                 f"{availability['downtime_minutes_per_month_after']:.1f} min a month)")
    counts_a, counts_b = result["findings"]["counts_before"], result["findings"]["counts_after"]
    lines.append(f"Findings: errors {counts_a['error']} -> {counts_b['error']}, warnings {counts_a['warning']} -> "
                 f"{counts_b['warning']}")
    if result["settings"]:
        lines += ["", "Plan settings"]
        for setting in result["settings"]:
            lines.append(f"  ~ {setting['setting']}: {_value(setting['before'])} -> {_value(setting['after'])}")
    components = result["components"]
    lines += ["", "Components"]
    if not any(components.values()):
        lines.append("  no component added, removed or changed")
    for row in components["added"]:
        lines.append(f"  + {row['component']} ({row['kind']})")
    for row in components["removed"]:
        lines.append(f"  - {row['component']} ({row['kind']})")
    for row in components["changed"]:
        lines.append(f"  ~ {row['component']} ({row['kind']})")
        for setting in row["settings"]:
            lines.append(f"      {setting['setting']}: {_value(setting['before'])} -> {_value(setting['after'])}")
    lines += ["", "Cost by component (a month)"]
    for row in cost["components"]:
        lines.append(f"  {row['component']:<22} {_pair(row, currency)}")
    if cost["contingency"]["delta_usd"]:  # the total's change is the components' and the contingency's on them
        lines.append(f"  {'(contingency)':<22} {_pair(cost['contingency'], currency)}")
    if not cost["components"]:
        lines.append("  no component's cost changed")
    lines += ["", "Cost by line item (a month)"]
    for row in cost["line_items"]:
        lines.append(f"  {row['status']:<7} {row['component']}: {_item(row)} [{row['sku']}]  {_pair(row, currency)}")
    if not cost["line_items"]:
        lines.append("  no line item changed")
    lines += ["", "Availability by path"]
    for row in availability["entries"]:
        delta = f" ({row['delta_points']:+.4f} points)" if row["delta_points"] is not None else ""
        lines.append(f"  {row['entry']:<22} {_percent(row['before_percent'])} -> {_percent(row['after_percent'])}{delta}")
    for row in availability["components"]:
        lines.append(f"    {row['component']}: {row['before']} {row['before_percent']:g}% -> {row['after']} "
                     f"{row['after_percent']:g}%")
    capacity = result["capacity"]
    if capacity["services"] or capacity["connections"]:
        lines += ["", "Capacity headroom at peak"]
        for row in capacity["services"]:
            lines.append(f"  {row['service']:<22} needs {_sides(row['instances_needed_before'], row['instances_needed'])} "
                         f"at {_sides(row['peak_rps_before'], row['peak_rps'], '{:.2f}')} req/s; cap "
                         f"{row['max_instances_before'] if row['max_instances_before'] is not None else '-'} -> "
                         f"{row['max_instances_after']} (headroom "
                         f"{row['headroom_before'] if row['headroom_before'] is not None else '-'} -> "
                         f"{row['headroom_after']})")
        for row in capacity["connections"]:
            before = f"{row['before'][0]}/{row['before'][1]}" if row["before"] else "-"
            lines.append(f"  {row['database']:<22} connections {before} -> {row['after'][0]}/{row['after'][1]}")
    findings = result["findings"]
    lines += ["", f"Findings raised ({len(findings['raised'])})"]
    lines += [f"  + {f['severity']:<7} {_finding(f)}" for f in findings["raised"]]
    lines += ["", f"Findings resolved ({len(findings['resolved'])})"]
    lines += [f"  - {f['severity']:<7} {_finding(f)}" for f in findings["resolved"]]
    return "\n".join(lines) + "\n"


def _md(text) -> str:
    """Escape a value for a Markdown table cell."""
    out = str(text)
    for char in "\\`*_[]<>|":
        out = out.replace(char, "\\" + char)
    return out.replace("\n", " ")


def render_markdown(result: dict, threshold_percent: Decimal = Decimal(5)) -> str:
    cost, availability = result["cost"], result["availability"]
    total = cost["total"]
    first, second = columns(result["currency"])
    lines = [f"### archplan diff: {code(result['before'])} → {code(result['after'])}", ""]
    if result["identical"]:
        lines += ["No differences.", ""]
    lines += ["| | before | after | change |", "|---|---:|---:|---:|",
             f"| monthly cost ({first}) | {_in(total, 'before', first)} | {_in(total, 'after', first)} | "
             f"{_signed(first, _change(total, first))}"
             + (f" ({total['delta_percent']:+.1f}%)" if total["delta_percent"] is not None else "") + " |",
             f"| monthly cost ({second}) | {_in(total, 'before', second)} | {_in(total, 'after', second)} | "
             f"{_signed(second, _change(total, second))} |",
             f"| availability | {_percent(availability['composite_before_percent'])} | "
             f"{_percent(availability['composite_after_percent'])} | {availability['delta_points']:+.4f} pts |"]
    counts_a, counts_b = result["findings"]["counts_before"], result["findings"]["counts_after"]
    lines.append(f"| errors / warnings | {counts_a['error']} / {counts_a['warning']} | "
                 f"{counts_b['error']} / {counts_b['warning']} | "
                 f"+{len(result['findings']['raised'])} raised, -{len(result['findings']['resolved'])} resolved |")
    moved = [row for row in cost["components"] if _moved(row, threshold_percent)]
    if moved:
        lines += ["", f"Components whose cost moved {threshold_percent}% or more:", "",
                  "| component | before | after | change |", "|---|---:|---:|---:|"]
        for row in moved:
            percent = f" ({row['delta_percent']:+.1f}%)" if row["delta_percent"] is not None else " (new)"
            lines.append(f"| {_md(row['component'])} | {_in(row, 'before', first)} | {_in(row, 'after', first)} | "
                         f"{_signed(first, _change(row, first))}{percent} |")
    components = result["components"]
    details = []
    if result["settings"]:
        details += ["**Plan settings**", ""]
        details += [f"- {_md(s['setting'])}: {_md(_value(s['before']))} → {_md(_value(s['after']))}"
                    for s in result["settings"]]
        details.append("")
    if any(components.values()):
        details += ["**Components**", ""]
        details += [f"- added {code(r['component'])} ({r['kind']})" for r in components["added"]]
        details += [f"- removed {code(r['component'])} ({r['kind']})" for r in components["removed"]]
        for row in components["changed"]:
            changes = "; ".join(f"{_md(s['setting'])}: {_md(_value(s['before']))} → {_md(_value(s['after']))}"
                                for s in row["settings"])
            details.append(f"- {code(row['component'])}: {changes}")
        details.append("")
    if cost["line_items"]:
        details += ["**Line items**", "", "| component | item | before | after | change |", "|---|---|---:|---:|---:|"]
        for row in cost["line_items"]:
            details.append(f"| {_md(row['component'])} | {_md(_item(row, '→'))} | {_in(row, 'before', first)} | "
                           f"{_in(row, 'after', first)} | {_signed(first, _change(row, first))} |")
        details.append("")
    if availability["entries"]:
        details += ["**Availability by path**", "", "| path | before | after |", "|---|---:|---:|"]
        details += [f"| {_md(r['entry'])} | {_percent(r['before_percent'])} | {_percent(r['after_percent'])} |"
                    for r in availability["entries"]]
        details.append("")
    findings = result["findings"]
    if findings["raised"] or findings["resolved"]:
        details += ["**Findings**", ""]
        for verb in ("raised", "resolved"):
            details += [f"- {verb} {f['severity']} `{f['id']}`" + (f" {_md(f['component'])}" if f["component"] else "")
                        + f": {_md(f['title'])}" for f in findings[verb]]
        details.append("")
    if details:
        lines += ["", "<details><summary>Details</summary>", "", *details, "</details>"]
    return "\n".join(lines) + "\n"


def as_data(result: dict) -> dict:
    return plain_data(result)


def render_json(result: dict) -> str:
    return json.dumps(as_data(result), indent=2, ensure_ascii=False) + "\n"


def _finding(finding: dict) -> str:
    """A finding's id, its component in brackets when it has one (as `check` shows it), and its title."""
    where = f" [{finding['component']}]" if finding["component"] else ""
    return f"{finding['id']}{where}: {finding['title']}"
