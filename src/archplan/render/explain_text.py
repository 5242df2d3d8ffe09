"""An Explanation in words: each figure with its arithmetic and its source."""
from __future__ import annotations

import textwrap
from decimal import Decimal

from archplan.render.numbers import money, round_money


def _n(value: Decimal) -> str:
    """A quantity as people write it: 1,460 or 276,362.275 (three decimals at most)."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def _rate(value: Decimal) -> str:
    """A unit price exactly as the catalog has it: 0.0000025, 0.025; a computed one (after a sustained-use
    discount) to 12 significant digits, not 28."""
    value = Decimal(value)
    if value and len(value.as_tuple().digits) > 12:
        value = round(value, 11 - value.adjusted())
    value = value.normalize()
    whole, _, fraction = f"{value:f}".partition(".")
    return f"{int(whole):,}" + (f".{fraction}" if fraction else "")


def _usd(value: Decimal) -> str:
    return f"${round_money(value):,}"


def _total(e, total_usd: Decimal) -> str:
    """A total in the report's currency first, the other beside it, as `cost` shows them."""
    other = money(total_usd, e.currency, e.per_usd)
    return f"{other} ({_usd(total_usd)})" if e.leads else f"{_usd(total_usd)} ({other})"


def _line(item) -> list[str]:
    parts = [f"{item.service} {item.sku}: {item.description}."]
    quantity = f"{_n(item.quantity)} {item.unit}"
    if item.free_quantity:
        quantity += f" less {_n(item.free_quantity)} free = {_n(item.billable_quantity)} {item.unit} billed"
    if item.tiered:
        parts.append(f"{quantity}, priced by tiers (first tier ${_rate(item.unit_price_usd)} per {item.unit}) = "
                     f"{_usd(item.monthly_usd)} a month.")
    else:
        price = f"${_rate(item.unit_price_usd)}"
        parts.append(f"{quantity} x {price} per {item.unit}"
                     + (f" (after a {item.discount * 100:.0f}% {item.discount_kind} discount)" if item.discount else "")
                     + f" = {_usd(item.monthly_usd)} a month.")
    if item.source:
        parts.append(f"Price source: {item.source}" + (f", {seen(item.date)}." if item.date else "."))
    parts += [_sentence(note) for note in item.notes]
    return parts


def _sentence(note: str) -> str:
    """A note as a sentence: a full stop, and a capital unless it starts with a name written in lower case
    (a region such as us-east1, a SKU): "Us-east1 figure derived" reads as a typo."""
    first = note.split(" ", 1)[0]
    if not any(ch.isdigit() or ch in "-_/" for ch in first):
        note = note[:1].upper() + note[1:]
    return note if note.endswith(".") else note + "."


def seen(date: str) -> str:
    """When a source was read, as the catalog dates it ('2026-11-22', 'read 2026-11-22', 'seen 2026-12-02'):
    the date's own verb, or "seen" for a bare date (never "seen read 2026-11-22")."""
    text = " ".join(str(date).split())
    return text if text[:1].isalpha() else f"seen {text}"


def _wrap(text: str, indent: str = "  ") -> list[str]:
    return textwrap.wrap(text, 100, initial_indent=indent, subsequent_indent=" " * len(indent) + "  ",
                         break_long_words=False, break_on_hyphens=False)


def render(explanation) -> str:
    e = explanation
    out: list[str] = []
    if e.what == "component":
        where = f" (line {e.line} of {e.plan_file})" if e.line else ""
        article = "an" if e.kind[:1] in "aeiou" else "a"
        out.append(f"{e.target} is {article} {e.kind} component{where}, {e.place}.")
        total = sum((i.monthly_usd for i in e.line_items), Decimal(0))
        out.append(f"It costs {_total(e, total)} a month, the sum of {len(e.line_items)} line item(s) (unit "
                   "prices in USD, as the catalog holds them):")
        for item in e.line_items:
            out += _wrap(" ".join(_line(item)), "  - ")
        if e.assumptions:
            out.append("Assumptions:")
            for assumption in e.assumptions:
                out += _wrap(assumption.split(": ", 1)[-1], "  - ")
        if e.availability is not None:
            a = e.availability
            basis = {"sla": "Google's published SLA", "assumed": "assumed (Google publishes no SLA for it)",
                     "stated": "stated in the plan (availability_percent)"}.get(a.basis, a.basis)
            out += _wrap(f"Availability: {a.percent:g}% for {a.configuration}, {basis}"
                         + (f"; source {a.source}." if a.source else "."), "")
        if e.depends_on:
            out.append("Depends on: " + ", ".join(d.name + (f" ({d.protocol})" if d.protocol else "")
                                                 + ("" if d.critical else ", soft") for d in e.depends_on) + ".")
        if e.used_by:
            out.append("Used by: " + ", ".join(e.used_by) + ".")
        for finding in e.findings:
            out += _wrap(f"{finding.severity.upper()} {finding.id} {finding.title}: {finding.detail} "
                         f"Fix: {finding.fix}", "")
    elif e.what == "finding":
        rule = e.rule
        if rule is not None:
            out += _wrap(f"{rule.id} ({rule.severity}, {rule.section}): {rule.title}. Why: {rule.rationale} "
                         f"Fix: {rule.fix}", "")
        if not e.findings:
            out.append(f"This plan has no {e.target.upper()} finding.")
        for finding in e.findings:
            where = f"{finding.component}, line {finding.line}" if finding.line else (finding.component or "the plan")
            out += _wrap(f"{finding.id} on {where}: {finding.title}. {finding.detail} Fix: {finding.fix}", "")
    else:
        for price in e.prices:
            rate = f"${_rate(price.usd)} per {price.unit}" if price.usd is not None else "tiered: " + "; ".join(
                f"${_rate(usd)} per {price.unit}" + (f" up to {_n(up_to)}" if up_to is not None else " beyond")
                for up_to, usd in price.tiers or ())
            out += _wrap(f"{price.sku} ({price.service}, {price.description}) in {price.region_key}: {rate}. "
                         f"Source: {price.source}, {seen(price.date)}."
                         + (f" {price.derived_from}." if price.derived_from else ""), "")
        total = sum((i.monthly_usd for i in e.line_items), Decimal(0))
        out.append(f"This plan uses it in {len(e.line_items)} line item(s), {_total(e, total)} a month in all:")
        for item in e.line_items:
            out += _wrap(f"{item.component}: " + " ".join(_line(item)[1:2]), "  - ")
        for tier in e.free_tiers:
            out += _wrap(f"Free tier applied: {tier.description}: {_n(tier.used)} {tier.unit} used.", "  ")
    return "\n".join(out) + "\n"
