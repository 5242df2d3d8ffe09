"""google_billing_budget -> project.monthly_budget: the amount and currency of a monthly budget on a fixed
amount, and its alert thresholds as percents. A budget is not a component: it is the plan's own figure that
`cost --fail-if-over-budget` and check's budget rule compare the total against."""
from __future__ import annotations

from decimal import Decimal

from archplan.importers.google._base import MapContext, invalid, number
from archplan.importers.hcl.expressions import unknown
from archplan.importers.resources import TfResource

TYPE = "google_billing_budget"
AMOUNT = ("amount", "specified_amount")


def monthly_budget(ctx: MapContext) -> dict | None:
    """The plan's monthly_budget from the configuration's billing budgets (the first that is monthly and of a
    fixed amount; the others are named in the notes), or None."""
    found = None
    for budget in ctx.of_type(TYPE):
        read = _read(budget, ctx)
        if read is not None and found is not None:
            ctx.notes.append(f"{budget.address}: another billing budget; project.monthly_budget is the first one's")
        elif read is not None:
            found = read
    return found


def _read(budget: TfResource, ctx: MapContext) -> dict | None:
    period = budget.get("budget_filter", "calendar_period", default="MONTH")
    if budget.given("budget_filter", "custom_period") or period != "MONTH":
        ctx.notes.append(f"{budget.address}: a budget over a {'custom' if period == 'MONTH' else str(period).lower()} "
                         "period, not a month: not read as project.monthly_budget")
        return None
    if budget.given("amount", "last_period_amount") and not budget.given(*AMOUNT):
        ctx.notes.append(f"{budget.address}: the budget is last period's spend, not a fixed amount: not read as "
                         "project.monthly_budget (set it by hand)")
        return None
    units = number(budget, ctx, *AMOUNT, "units", minimum=0, assumed="the budget is not read")
    nanos = number(budget, ctx, *AMOUNT, "nanos", default=0, minimum=-999_999_999, maximum=999_999_999,
                   assumed="read as 0")
    if units is None:
        if not budget.given(*AMOUNT, "units"):
            ctx.notes.append(f"{budget.address}: no amount.specified_amount.units: not read as project.monthly_budget")
        return None
    amount = (Decimal(units) + Decimal(nanos) / 1_000_000_000).normalize()
    if amount <= 0:
        ctx.notes.append(f"{budget.address}: a budget of 0: not read as project.monthly_budget (a plan's budget is "
                         "above 0)")
        return None
    currency = budget._at((*AMOUNT, "currency_code"))
    if currency is None or unknown(currency):
        # The API takes the billing account's currency where none is written; archplan cannot see it.
        ctx.notes.append(f"{budget.address}: amount.specified_amount.currency_code is "
                         f"{'not known before apply' if unknown(currency) else 'not written'} (the billing "
                         "account's currency): read as USD (assumed)")
        currency = "USD"
    if not isinstance(currency, str) or not currency.isascii() or not currency.isalpha() or len(currency) != 3:
        raise invalid(budget, (*AMOUNT, "currency_code"), f"{currency!r} is not an ISO 4217 currency code")
    found: dict = {"amount": amount, "currency": currency.upper()}
    percents = []
    for index, _rule in enumerate(budget.blocks("threshold_rules")):
        fraction = number(budget, ctx, "threshold_rules", index, "threshold_percent", integer=False,
                          assumed="that alert is left out")
        if fraction is None:
            continue
        if fraction <= 0:
            raise invalid(budget, ("threshold_rules", index, "threshold_percent"),
                          f"{fraction} is not above 0 (a fraction of the amount: 0.5 is 50%)")
        percents.append((Decimal(str(fraction)) * 100).normalize())
    if percents:
        found["alert_percents"] = percents
    elif not budget.given("threshold_rules"):
        found["alert_percents"] = []  # no alert rule: the plan's default alerts would add some
    return found
