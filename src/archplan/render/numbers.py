"""Formatting of money and quantities. Rounding happens here, once, when a figure is shown."""
from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal

CENT = Decimal("0.01")
# The default context with room for any figure a plan can produce, before rounding to cents; one object,
# not a localcontext() per figure (a large plan's report rounds hundreds of thousands).
_WIDE = Context(prec=80)
_PLACES: dict[str, Decimal] = {}


def round_money(value: Decimal, places: str = "0.01") -> Decimal:
    exponent = _PLACES.get(places)
    if exponent is None:
        exponent = _PLACES[places] = Decimal(places)
    return value.quantize(exponent, rounding=ROUND_HALF_UP, context=_WIDE)


def group_indian(whole: int) -> str:
    """1234567 -> '12,34,567' (lakh and crore grouping)."""
    digits = str(abs(whole))
    if len(digits) > 3:
        head, tail = digits[:-3], digits[-3:]
        groups = []
        while len(head) > 2:
            groups.insert(0, head[-2:])
            head = head[:-2]
        if head:
            groups.insert(0, head)
        digits = ",".join(groups + [tail])
    return ("-" if whole < 0 else "") + digits


def usd(value: Decimal, symbol: bool = True) -> str:
    text = f"{round_money(value):,.2f}"
    return f"${text}" if symbol else text


def inr(value: Decimal, symbol: bool = True) -> str:
    rounded = round_money(value)
    whole = int(rounded)
    paise = abs(rounded - whole)
    text = group_indian(whole) + f"{paise:.2f}"[1:]
    return f"₹{text}" if symbol else text


SYMBOLS = {"USD": "$", "INR": "₹", "EUR": "€", "GBP": "£", "JPY": "¥"}
NO_MINOR_UNIT = {"JPY"}  # currencies shown without decimals


def shown_difference(after: Decimal, before: Decimal, currency: str) -> Decimal:
    """after - before as the two are shown (each rounded to the currency's smallest unit): a change printed
    beside two totals is their difference to the cent."""
    places = "1" if currency in NO_MINOR_UNIT else "0.01"
    return round_money(after, places) - round_money(before, places)


def shown_parts(values: list[Decimal], currency: str, total: Decimal | None = None) -> list[Decimal]:
    """Each value rounded to the currency's smallest unit so that the rounded parts add up to `total` (itself
    rounded; default: the values' sum, rounded), as a bill's lines add up to its total: each part is its value
    rounded down, and the units still missing go to the largest remainders (a part moves by at most one unit
    from its own rounding). Ties go to the earlier part, so the result does not depend on anything but the
    values' order."""
    unit = Decimal(1) if currency in NO_MINOR_UNIT else Decimal("0.01")
    places = "1" if currency in NO_MINOR_UNIT else "0.01"
    target = round_money(sum(values, Decimal(0)) if total is None else total, places)
    floors = [(value / unit).to_integral_value(rounding=ROUND_FLOOR, context=_WIDE) for value in values]
    missing = int((target / unit) - sum(floors, Decimal(0)))
    order = sorted(range(len(values)), key=lambda i: -(values[i] / unit - floors[i]))
    up = set(order[:max(0, min(missing, len(values)))])
    return [(floors[i] + (1 if i in up else 0)) * unit for i in range(len(values))]


def amount(value: Decimal, currency: str, symbol: bool = True) -> str:
    """An amount already in `currency`, with its symbol (or code) and grouping."""
    if currency == "USD":
        return usd(value, symbol)
    if currency == "INR":
        return inr(value, symbol)
    places = "1" if currency in NO_MINOR_UNIT else "0.01"
    rounded = round_money(value, places)
    text = f"{rounded:,.0f}" if currency in NO_MINOR_UNIT else f"{rounded:,.2f}"
    if not symbol:
        return text
    return f"{SYMBOLS[currency]}{text}" if currency in SYMBOLS else f"{currency} {text}"


def money(value_usd: Decimal, currency: str, rate: Decimal, symbol: bool = True) -> str:
    """A USD figure shown in `currency`, at `rate` units of it per USD."""
    return usd(value_usd, symbol) if currency == "USD" else amount(value_usd * rate, currency, symbol)


def per_unit_amount(value: Decimal, currency: str) -> str:
    """A cost per user or per request, already in `currency`: at least three significant digits and at least
    the currency's own decimals (two below one unit, so 0.500 and 0.0342 line up in a column), so a cost of
    cents or less is neither 0.00 nor 0.00965073, and ¥1.27 a user is not ¥1. From 100 units up (and from one
    unit up in a currency with cents), a total's form."""
    value = Decimal(value)
    if value == 0:
        return amount(value, currency)
    own = 0 if currency in NO_MINOR_UNIT else 2

    def places_for(figure: Decimal) -> int:
        return max(own, 2 - figure.adjusted(), 2 if abs(figure) < 1 else 0)

    places = places_for(value)
    rounded = value.quantize(Decimal(10) ** -places, rounding=ROUND_HALF_UP)
    if places_for(rounded) != places:  # 0.9999 rounds to one unit, 99.96 to 100
        places = places_for(rounded)
        rounded = value.quantize(Decimal(10) ** -places, rounding=ROUND_HALF_UP)
    if places == own:
        return amount(rounded, currency)
    text = f"{rounded:f}"
    return f"{SYMBOLS[currency]}{text}" if currency in SYMBOLS else f"{currency} {text}"


def unit_price_in(value_usd: Decimal, currency: str, rate: Decimal) -> str:
    value = value_usd if currency == "USD" else value_usd * rate
    symbol = SYMBOLS.get(currency, f"{currency} ")
    return f"{symbol}{unit_price(value)}"


def unit_price(value: Decimal) -> str:
    """Enough digits to show tiny per-unit prices exactly: 0.0000336, 0.10, 113.46."""
    if value == 0:
        return "0"
    if abs(value) >= Decimal("0.01"):
        whole, decimals = f"{value:.4f}".split(".")
        return f"{whole}.{decimals.rstrip('0').ljust(2, '0')}"
    places = max(0, 5 - value.adjusted())  # six significant digits
    return f"{value.quantize(Decimal(10) ** -places, rounding=ROUND_HALF_UP).normalize():f}"


def quantity(value: Decimal) -> str:
    if value == value.to_integral_value():
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:,.2f}"
    return f"{value:.4g}"


COUNT_SUFFIXES = ((12, "T"), (9, "B"), (6, "M"), (3, "k"))
PAST_SUFFIXES = 15  # from 1e15 a power of ten (2.5e15), where a suffix would need a name readers do not know


def short_count(value: Decimal | float | int, digits: int = 3) -> str:
    """A count in a few characters, rounded to `digits` significant digits before its suffix is chosen:
    1,500 -> 1.5k, 2,000,000 -> 2M, 999,999 -> 1M (not 1e+03k), 1e12 -> 1T (not 1000B), 2.5e15 -> 2.5e15;
    below 1,000, the rounded figure itself (12.5, 0.123)."""
    number = Decimal(str(value))
    if not number.is_finite():
        return str(value)
    if number == 0:
        return "0"
    rounded = number.quantize(Decimal(1).scaleb(number.adjusted() - digits + 1), rounding=ROUND_HALF_UP,
                              context=_WIDE)
    if rounded.adjusted() >= PAST_SUFFIXES:
        return f"{rounded.scaleb(-rounded.adjusted()).normalize(_WIDE):f}e{rounded.adjusted()}"
    for exponent, suffix in COUNT_SUFFIXES:
        if abs(rounded) >= Decimal(10) ** exponent:
            return f"{rounded.scaleb(-exponent).normalize(_WIDE):f}{suffix}"
    return f"{rounded.normalize(_WIDE):f}"


def to_number(value: Decimal, places: str | None = None) -> float | int:
    """A Decimal for JSON: rounded to `places` when given; integers stay integers."""
    if places is not None:
        value = round_money(value, places)
    if value == value.to_integral_value() and abs(value) < 10**15:
        return int(value)
    return float(value)
