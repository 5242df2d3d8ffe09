"""The `scale` picture: monthly cost and cost per user against load (log scales), phases shaded, and a
marker where each component reaches its first limit. `render`: SVG and PNG drawn by matplotlib (`scale
--chart`, `doc --png`), both deterministic (no dates, fixed hash salt); `svg`: the document's SVG, drawn by
archplan.render.charts (no plotting library to start). The figures come from `archplan.scale.scale`;
nothing is computed here."""
from __future__ import annotations

from decimal import Decimal


def _series(result: dict):
    """(symbol, loads, monthly totals, per unit) in the result's chosen currency."""
    from archplan.render.numbers import SYMBOLS
    from archplan.render.shown_money import from_data

    rate = from_data(result["exchange_rate"], result["currency"]).chosen(Decimal(1))  # the chosen currency
    symbol = SYMBOLS.get(result["currency"], result["currency"] + " ")
    points = result["points"]
    loads = [float(p["load"]) for p in points]
    totals = [float(Decimal(str(p["total_usd"])) * rate) for p in points]
    per_unit = [float(Decimal(str(p["per_unit_usd"])) * rate) if p["per_unit_usd"] is not None else float("nan")
                for p in points]
    return symbol, loads, totals, per_unit


def _axis_labels(result: dict, symbol: str) -> tuple[str, str]:
    """(monthly cost axis, cost per unit axis), each naming the currency: "(AUD)", not "(AUD )"."""
    unit = symbol.strip()
    return f"monthly cost ({unit})", f"cost {result['per_unit']} ({unit})"


def _unit(result: dict) -> str:
    return "users" if result["measure"] == "users" else "requests a month"


def svg(result: dict) -> bytes:
    """The document's picture: monthly cost over cost per user, phases shaded, first limits in red."""
    from archplan.render.charts import load_panels

    symbol, loads, totals, per_unit = _series(result)
    cost_label, per_label = _axis_labels(result, symbol)
    bands = [(float(phase["min_users"]), float(phase["max_users"]) if phase["max_users"] is not None
              else max(loads), phase["phase"]) for phase in result["phases"]] if loads else []
    marks = [(float(limit["reached_at"]), f"{limit['component']}: {limit['limit']}")
             for limit in result["first_limits"]]
    drawn = load_panels(f"{result['file']}: cost as load grows (red: first limit per component)", loads,
                        f"load ({result['basis']}, {_unit(result)})",
                        [(cost_label, totals, symbol), (per_label, per_unit, symbol)], bands, marks)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + drawn + "\n").encode("utf-8")


def _figure(result: dict):
    from archplan.render.figure import pyplot as load_pyplot

    pyplot = load_pyplot("archplan-scale")
    symbol, loads, totals, per_unit = _series(result)
    cost_label, per_label = _axis_labels(result, symbol)
    figure, cost_axis = pyplot.subplots(figsize=(9, 5), dpi=100)
    per_axis = cost_axis.twinx()
    cost_axis.plot(loads, totals, marker="o", color="#1a73e8", label=cost_label)
    per_axis.plot(loads, per_unit, marker="s", color="#e37400", linestyle="--",
                  label=per_label)
    positive = all(value > 0 for value in loads)
    if positive and len(loads) > 1 and max(loads) / min(loads) >= 20:
        cost_axis.set_xscale("log")
    if all(value > 0 for value in totals):
        cost_axis.set_yscale("log")
    if all(value > 0 for value in per_unit if value == value):
        per_axis.set_yscale("log")
    shades = ("#f1f3f4", "#e8f0fe")
    for index, phase in enumerate(result["phases"]):
        low = max(float(phase["min_users"]), min(loads))
        high = float(phase["max_users"]) if phase["max_users"] is not None else max(loads)
        if high > low:
            cost_axis.axvspan(low, min(high, max(loads)), color=shades[index % 2], zorder=0)
            cost_axis.text(low, 1.01, phase["phase"], transform=cost_axis.get_xaxis_transform(), fontsize=8)
    for index, limit in enumerate(result["first_limits"]):
        at = float(limit["reached_at"])
        cost_axis.axvline(at, color="#d93025", linewidth=1, linestyle=":")
        # Right of its line, or left of it in the right two fifths (as the document's picture does), so a
        # long component name stays inside the axes instead of running over the right axis and off the figure.
        left_of_line = _share_across(cost_axis, at) > 0.6
        label = f"{limit['component']}: {limit['limit']}"
        cost_axis.text(at, 0.97 - 0.06 * (index % 8), f"{label} " if left_of_line else f" {label}",
                       transform=cost_axis.get_xaxis_transform(), fontsize=7, color="#d93025", va="top",
                       ha="right" if left_of_line else "left")
    unit = _unit(result)
    from matplotlib.ticker import FuncFormatter

    from archplan.render.charts import load_label

    cost_axis.xaxis.set_major_formatter(FuncFormatter(lambda value, _position: load_label(value)))
    from matplotlib.ticker import NullFormatter

    from matplotlib.ticker import LogLocator

    for axis in (cost_axis, per_axis):
        if axis.get_yscale() == "log":  # 1, 2 and 5 of each decade: a range inside one decade still has labels
            axis.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        axis.yaxis.set_major_formatter(FuncFormatter(
            lambda value, _position: f"{symbol}{value:,.0f}" if value >= 10 else f"{symbol}{value:.2g}"))
        axis.yaxis.set_minor_formatter(NullFormatter())
    cost_axis.set_xlabel(f"load ({result['basis']}, {unit})")
    cost_axis.set_ylabel(cost_label)
    per_axis.set_ylabel(per_label)
    handles = cost_axis.get_legend_handles_labels()[0] + per_axis.get_legend_handles_labels()[0]
    # Below the axes: the rising cost and the falling cost per user between them leave no free corner.
    cost_axis.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize=8,
                     frameon=False)
    import textwrap

    title = f"{result['file']}: cost as load grows (red: first limit per component)"
    # a long path on two lines, not cut; above the phases' names, which sit on the axes' top edge
    cost_axis.set_title("\n".join(textwrap.wrap(title, 110)), fontsize=10, pad=16 if result["phases"] else 6)
    figure.tight_layout()
    return figure, pyplot


def _share_across(axis, value: float) -> float:
    """Where `value` is across the x axis as drawn (0 left, 1 right), on its log or linear scale."""
    import math

    low, high = axis.get_xlim()
    if axis.get_xscale() == "log" and low > 0 and value > 0:
        low, high, value = math.log10(low), math.log10(high), math.log10(value)
    return (value - low) / (high - low) if high > low else 0.0


def render(result: dict, extensions: tuple[str, ...] = (".svg", ".png")) -> dict[str, bytes]:
    """{'.svg': ..., '.png': ...}, those of `extensions`."""
    from archplan.render.figure import files

    figure, pyplot = _figure(result)
    return files(figure, pyplot, extensions)
