"""Money in the decision commands (diff, scale, optimize, simulate), shown the way `cost` shows it: the two
currencies of `cost_view.columns` (USD and INR for a USD or INR plan, else the chosen currency first and USD
next to it), converted at the rate `cost` uses (`Plan.rate`), with that rate's source for JSON."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from archplan.render.cost_view import columns
from archplan.render.numbers import amount


@dataclass(frozen=True)
class Shown:
    currency: str  # the chosen currency: the plan's project.currency, or --currency
    code: str  # the currency shown next to USD (its JSON keys end in _<code>)
    per_usd: Decimal  # units of `code` per USD
    source: str  # where that rate comes from ("" for USD)

    @property
    def columns(self) -> tuple[str, str]:
        return columns(self.currency)

    def in_(self, code: str, usd: Decimal) -> Decimal:
        return usd if code == "USD" else usd * self.per_usd

    def text(self, usd: Decimal, signed: bool = False) -> str:
        """'€92.00 / $100.00' (or '$100.00 / ₹9,581.00'); signed: '+€92.00 / +$100.00'."""
        def one(code):
            value = self.in_(code, usd)
            if not signed:
                return amount(value, code)
            return ("+" if value > 0 else "-" if value < 0 else "±") + amount(abs(value), code)
        return " / ".join(one(code) for code in self.columns)

    def chosen(self, usd: Decimal) -> Decimal:
        """The figure in the chosen currency."""
        return self.in_(self.currency, usd)

    def lead(self, usd: Decimal) -> str:
        """The figure in the chosen currency only (narrow tables, short lists)."""
        return amount(self.chosen(usd), self.currency)

    def fields(self, name: str, usd: Decimal) -> dict:
        """{'<name>_usd': usd, '<name>_<code>': converted} for JSON (the keys the renderers read back)."""
        return {f"{name}_usd": usd, f"{name}_{self.code.lower()}": usd * self.per_usd}

    def rate_data(self) -> dict:
        return {"currency": self.code, "per_usd": self.per_usd, "source": self.source}


def shown(plan, currency: str | None = None) -> Shown:
    """`plan` (an archplan.plan.Plan) in `currency` (default its project.currency)."""
    currency = currency or plan.spec.project.currency
    code = next(c for c in columns(currency) if c != "USD")
    return Shown(currency, code, plan.rate(code), plan.rate_source(code))


def from_data(data: dict, currency: str) -> Shown:
    """The Shown a JSON result was written with (its `currency` and `exchange_rate`)."""
    return Shown(currency, data["currency"], Decimal(str(data["per_usd"])), data.get("source", ""))


def value(row: dict, name: str, code: str) -> Decimal:
    """A figure written by Shown.fields, read back in `code`."""
    return Decimal(str(row[f"{name}_{code.lower()}"]))


def check_currency(code: str | None) -> None:
    """--currency: one line naming the currencies with a rate when there is none for `code`."""
    if code is not None and code not in ("USD", "INR"):
        from archplan import catalog

        catalog.exchange_rate(code)
