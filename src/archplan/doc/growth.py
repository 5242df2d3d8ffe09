"""The document's "Growth" section: `archplan scale` over the plan's phases (or 1/10 to 100x its users),
as a table, the first limit each component reaches, the phases' stated ranges, and the picture."""
from __future__ import annotations

import re
from decimal import Decimal

from archplan.doc.blocks import Bullets, Paragraph, Picture, Section, Table
from archplan.render.numbers import SYMBOLS, amount

PICTURE = "scale"


def _rates(result: dict) -> list[tuple[str, Decimal]]:
    """[(code, units per USD)] of the two currencies shown: the plan's first, as `archplan cost` orders them."""
    from archplan import catalog
    from archplan.render.cost_view import columns

    def rate(code: str) -> Decimal:
        if code == "USD":
            return Decimal(1)
        if code == "INR":
            return Decimal(str(result["usd_inr"]))
        return catalog.exchange_rate(code).per_usd
    codes = columns(result["currency"])
    if codes[1] == result["currency"]:  # the plan's own currency leads
        codes = codes[::-1]
    return [(code, rate(code)) for code in codes]


def _money(result: dict, value_usd) -> str:
    value_usd = Decimal(str(value_usd))
    first, second = (amount(value_usd * rate, code) for code, rate in _rates(result))
    return f"{first} ({second})"


def _per_user(result: dict, value_usd) -> str:
    """Cost per user: below one unit of the plan's currency, four decimals (a total's two say 0.00)."""
    value_usd = Decimal(str(value_usd))

    def shown(code: str, rate: Decimal) -> str:
        value = value_usd * rate
        if value >= 1:
            return amount(value, code)
        symbol = SYMBOLS.get(code, f"{code} ")
        return f"{symbol}{value:.4f}"

    first, second = (shown(code, rate) for code, rate in _rates(result))
    return f"{first} ({second})"


def section(spec, draw: bool = True) -> tuple[Section | None, dict[str, bytes]]:
    """(the section, {'scale.svg': ..., 'scale.png': ...}); (None, {}) when the plan states no users.
    `draw` off (as `validate` runs it) computes every figure but leaves out the picture."""
    from archplan.scale import scale
    from archplan.scale.chart import render as chart
    from archplan.scale.load import default_points
    from archplan.scale.render import load_text

    points = default_points(spec)
    if points is None:
        return None, {}
    result = scale(spec.file, points, spec.environment)
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
            code = claim["currency"]
            audits.append(f"**{row['phase']}**: stated {amount(claim['low']['stated'], code)} - "
                          f"{amount(claim['high']['stated'], code)}, "
                          f"archplan {_money(result, row['low_usd'])} - {_money(result, row['high_usd'])}"
                          + ("" if claim["agrees"] else " (more than 10% apart)"))
    if audits:
        blocks.append(Bullets(audits))
    if not draw:
        return Section("growth", "Growth", blocks), {}
    files = chart(result)
    svg = re.sub(r"^.*?(?=<svg)", "", files[".svg"].decode("utf-8"), count=1, flags=re.S)
    blocks.append(Picture(f"{PICTURE}.svg", "Monthly cost and cost per user as load grows; red lines: the first "
                                            "limit each component reaches.", svg))
    return Section("growth", "Growth", blocks), {f"{PICTURE}.svg": files[".svg"], f"{PICTURE}.png": files[".png"]}
