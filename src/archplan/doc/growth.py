"""The document's "Growth" section: `archplan scale` over the plan's phases (or 1/10 to 100x its users),
as a table, the first limit each component reaches, the phases' stated ranges, and the picture."""
from __future__ import annotations

import re
from decimal import Decimal

from archplan.doc.blocks import Bullets, Paragraph, Picture, Section, Table
from archplan.render.numbers import amount, per_unit_amount

PICTURE = "scale"


def _codes(result: dict):
    """The scale result's money (the chosen currency at `cost`'s rate), and the two currencies shown:
    the chosen one first, then USD (INR next to a USD plan)."""
    from archplan.render.shown_money import from_data

    fx = from_data(result["exchange_rate"], result["currency"])
    return fx, (fx.currency, "USD" if fx.currency != "USD" else fx.code)


def _money(result: dict, value_usd) -> str:
    fx, (first, second) = _codes(result)
    value_usd = Decimal(str(value_usd))
    return f"{amount(fx.in_(first, value_usd), first)} ({amount(fx.in_(second, value_usd), second)})"


def _per_user(result: dict, value_usd) -> str:
    """Cost per user in both currencies (render.numbers.per_unit_amount: a total's two decimals say 0.00)."""
    fx, codes = _codes(result)
    value_usd = Decimal(str(value_usd))
    return f"{per_unit_amount(fx.in_(codes[0], value_usd), codes[0])} " \
           f"({per_unit_amount(fx.in_(codes[1], value_usd), codes[1])})"


def section(spec, draw: bool = True, png: bool = False,
            bracket: bool = False) -> tuple[Section | None, dict[str, bytes]]:
    """(the section, {'scale.svg': ..., 'scale.png' with `png`}); (None, {}) when the plan states no users.
    `draw` off computes every figure but leaves out the picture; `bracket` (as `validate` runs it) evaluates
    only the load points that bracket every one the document evaluates (scale.bracketing_points)."""
    from archplan.scale import bracketing_points, scale
    from archplan.scale import chart
    from archplan.scale.load import default_points
    from archplan.scale.render import load_text

    points = default_points(spec)
    if points is None:
        return None, {}
    if bracket:
        points = bracketing_points(spec.phases, points)
    result = scale(spec.file, points, spec.environment, spec=spec, summary=True)  # what the section reads
    rows = [[load_text(p["load"]), p["phase"] or "-", _money(result, p["total_usd"]),
             _per_user(result, p["per_unit_usd"]) if p["per_unit_usd"] is not None else "-"] for p in result["points"]]
    blocks = [Paragraph(f"The plan at growing load, as `archplan scale {spec.file.split('/')[-1]}` runs it: "
                        f"{result['basis'].replace('_', ' ')} from {load_text(points[0])} to "
                        f"{load_text(points[-1])}; traffic and every monthly volume grow in proportion, the "
                        "plan's settings stay" + (" (each point with the phase whose range holds it)."
                                                   if result["phases"] else ".")),
              Table(["Users", "Phase", "Monthly cost", "Per user"], rows, numeric=frozenset({2, 3}))]
    limits = [f"**{row['component']}**: {row['limit']} ({row['capacity']:g} {row['unit']}) reached at "
              f"{load_text(round(row['reached_at']))} users" + (f" (phase {row['phase']})" if row["phase"] else "")
              for row in result["first_limits"]]
    blocks.append(Bullets(limits) if limits else Paragraph("No modelled limit is reached in this range.", "note"))
    audits = []
    for row in result["phases"]:
        claim = row["claim"]
        if claim:
            def shown(value, code=claim["currency"]):
                return amount(Decimal(str(value)), code)
            audits.append(f"**{row['phase']}**: stated {shown(claim['low']['stated'])} - {shown(claim['high']['stated'])}, "
                          f"archplan {_money(result, row['low_usd'])} - {_money(result, row['high_usd'])}"
                          + ("" if claim["agrees"] else " (more than 10% apart)"))
    if audits:
        blocks.append(Bullets(audits))
    if not draw:
        return Section("growth", "Growth", blocks), {}
    # drawn without a plotting library (starting matplotlib is most of a second); its PNG only with --png
    files = {".svg": chart.svg(result), **(chart.render(result, (".png",)) if png else {})}
    svg = re.sub(r"^.*?(?=<svg)", "", files[".svg"].decode("utf-8"), count=1, flags=re.S)
    blocks.append(Picture(f"{PICTURE}.svg", "Monthly cost and cost per user as load grows; red lines: the first "
                                            "limit each component reaches.", svg))
    return Section("growth", "Growth", blocks), {f"{PICTURE}{extension}": content for extension, content in files.items()}
