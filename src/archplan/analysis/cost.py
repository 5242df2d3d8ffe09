"""The monthly cost of a Plan: line items per component, free tiers shared across the plan, tiered
prices accumulated per SKU, subtotals by component and category, totals in USD and INR."""
from __future__ import annotations

from collections import defaultdict
import os
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from decimal import Decimal

from archplan import catalog
from archplan import components as registry
from archplan.components.base import DAYS_PER_MONTH
from archplan.errors import CatalogError
from archplan.memo import LIMIT as MEMO_LIMIT
from archplan.plan import Plan, names_inr
from archplan.pricing.base import Charge, PricingContext, PricingProblem
from archplan.pricing.inter_region import cross_region_calls

CATEGORIES = ("compute", "data", "network", "operations", "ai", "external")


@dataclass
class LineItem:
    component: str
    kind: str
    category: str
    service: str
    sku: str
    description: str
    quantity: Decimal
    unit: str
    free_quantity: Decimal
    billable_quantity: Decimal
    unit_price_usd: Decimal  # list price of one unit (first tier for tiered prices), after discount
    monthly_usd: Decimal
    tiered: bool
    discount: Decimal
    source: str
    date: str
    notes: list[str] = field(default_factory=list)
    discount_kind: str = "committed-use"  # what the discount is: committed-use, or sustained-use (part month)


@dataclass
class FreeTierUse:
    description: str  # e.g. "Cloud Run requests: 2,000,000 request a month per billing-account"
    used: Decimal
    unit: str


@dataclass
class CostReport:
    project: str
    file: str
    region: str
    environment: str | None
    currency: str
    usd_inr: Decimal
    line_items: list[LineItem]
    component_order: list[tuple[str, str]]  # (name, kind) in plan order
    subtotal_usd: Decimal
    contingency_percent: Decimal
    contingency_usd: Decimal
    total_usd: Decimal
    budget_usd: Decimal | None
    budget_currency: str | None
    budget_amount: Decimal | None
    assumptions: list[str]
    free_tiers_applied: list[FreeTierUse]
    rate: Decimal = Decimal(1)  # units of `currency` per USD
    rate_source: str = ""
    service_dates: dict[str, str] = field(default_factory=dict)  # service -> oldest catalog date used
    warnings: list[str] = field(default_factory=list)
    plan_names_inr: bool = True  # the plan writes a figure in rupees, or its own USD-INR rate (plan.names_inr)

    def rate_for(self, currency: str) -> Decimal:
        if currency == self.currency:
            return self.rate
        return self.usd_inr if currency == "INR" else catalog.exchange_rate(currency).per_usd

    def by_component(self) -> dict[str, Decimal]:
        totals = {name: Decimal(0) for name, _kind in self.component_order}
        for item in self.line_items:
            totals[item.component] += item.monthly_usd
        return totals

    def by_category(self) -> dict[str, Decimal]:
        totals = {category: Decimal(0) for category in CATEGORIES}
        for item in self.line_items:
            totals[item.category] += item.monthly_usd
        return totals

    def to_inr(self, usd: Decimal) -> Decimal:
        return usd * self.usd_inr

    def components_usd(self, names: list[str]) -> Decimal:
        totals = self.by_component()
        return sum((totals.get(name, Decimal(0)) for name in names), Decimal(0))  # excluded in this environment: 0


STALE_AFTER_DAYS = 180


def catalog_dates(items: list[LineItem], today: date | None = None) -> tuple[dict[str, str], list[str]]:
    """The oldest catalog date of each service the report used, and a warning for each older than 180 days."""
    today = today or _today()
    oldest: dict[str, str] = {}
    for item in items:
        seen = _as_date(item.date)
        if seen is None:
            continue
        if item.service not in oldest or seen < _as_date(oldest[item.service]):
            oldest[item.service] = seen.isoformat()
    warnings = []
    for service, seen in sorted(oldest.items()):
        age = (today - _as_date(seen)).days
        if age > STALE_AFTER_DAYS:
            warnings.append(f"{service}: catalog figures dated {seen} are {age} days old (over "
                            f"{STALE_AFTER_DAYS}); check the source for current prices")
    return dict(sorted(oldest.items())), warnings


def _today() -> date:
    """Today, or ARCHPLAN_TODAY (YYYY-MM-DD) so that tests and reproducible builds get the same report."""
    stated = os.environ.get("ARCHPLAN_TODAY")
    return date.fromisoformat(stated) if stated else date.today()


@lru_cache(maxsize=1024)  # a few dates, read for every line item (scale: at every load point)
def _as_date(text: str) -> date | None:
    """'2026-04-15' or 'read 2026-11-22' -> a date; None when the text holds none."""
    match = re.search(r"(\d{4})-(\d{2})-(\d{2})", text or "")
    return date(int(match[1]), int(match[2]), int(match[3])) if match else None


def _beyond_last_band(tier_total, tier_start, first_price) -> list[str]:
    """A tiered SKU whose every band has an upper bound, used past the last one ("Contact Us" above 500 TiB of
    CDN egress): priced at the last band's rate, and said."""
    out = []
    for key, billable in tier_total.items():
        price = first_price[key]
        if price.tiers is None or price.tiers[-1][0] is None:
            continue
        after = tier_start.get(key, Decimal(0))
        bound, rate = price.tiers[-1]
        if after + billable > bound:
            out.append(f"{price.service} {price.sku}: {after + billable:,.0f} {price.unit} a month, past the last "
                       f"published band ({bound:,.0f} {price.unit}): the part above it is priced at the last band's "
                       f"${rate.normalize():f}/{price.unit}, not a published figure"
                       + (f" ({price.note})" if price.note else ""))
    return out


def _tier_key(charge: Charge) -> tuple[str, str, str]:
    return charge.price.service, charge.sku, charge.price.region_key


# (component spec's id, name, region, usage, pricing context) -> (the spec, its charges): inside shared_pricing
# only, else None. A pricer reads its component (spec, name, kind, region, usage quantities) and the context's
# region and rate; one that reads the plan's other components says so (READS_OTHER_COMPONENTS) and is not kept.
_PRICED: dict | None = None


def shared_pricing():
    """Within it, a component with the same spec (the same validated model) and the same usage is priced once:
    `validate` prices each environment at the load points of the document's growth section it runs, and most of a
    plan's components are the same in each. Charges are never changed once made, so they can be shared."""
    from archplan.memo import scoped

    return scoped(__name__, "_PRICED")


def _usage_key(usage) -> tuple:
    """The usage exactly as written (type and digits: 1.0 and 1 print differently in a description)."""
    return (tuple((name, type(value), str(value)) for name, value in usage.quantities.items()),
            str(usage.traffic_fraction))


def _price_component(plan: Plan, component, ctx: PricingContext) -> list[Charge]:
    pricer = registry.pricer_module(component.kind)
    if _PRICED is not None and not getattr(pricer, "READS_OTHER_COMPONENTS", False):
        key = (id(component.spec), component.name, component.kind, component.region, _usage_key(component.usage),
               ctx.region, str(ctx.usd_inr))
        hit = _PRICED.get(key)
        if hit is not None and hit[0] is component.spec:
            return hit[1]
        charges = _price_component_afresh(plan, component, ctx, pricer)
        if len(_PRICED) < MEMO_LIMIT:
            _PRICED[key] = (component.spec, charges)
        return charges
    return _price_component_afresh(plan, component, ctx, pricer)


def _price_component_afresh(plan: Plan, component, ctx: PricingContext, pricer) -> list[Charge]:
    try:
        return pricer.price(component, ctx)
    except PricingProblem as problem:
        raise plan.error(component.name, problem.key, problem.message) from None
    except CatalogError as problem:
        raise plan.error(component.name, "kind", f"cannot be priced in {component.region}: {problem}") from None


def cost_report(plan: Plan, currency: str | None = None) -> CostReport:
    """The plan's monthly cost; `currency` (default the plan's) is the one the report leads with.
    Remembered on the plan: one command prices one plan in several places (check, the generated README,
    the document), and `validate` runs them all. A copy of the plan with other components, spec, region
    or rate (as simulate and optimize make) is priced afresh."""
    key = (plan.components, plan.spec, plan.assumptions, plan.region, plan.usd_inr,
           currency or plan.spec.project.currency)
    cached = plan.__dict__.get("_cost_report")
    if cached is not None and len(cached[0]) == len(key) and all(
            a is b if i < 3 else a == b for i, (a, b) in enumerate(zip(cached[0], key))):
        return cached[1]
    report = _cost_report(plan, currency)
    plan.__dict__["_cost_report"] = (key, report)
    return report


@dataclass
class CostTotals:
    """What `scale` reads of a cost report at each load point: the total and each component's share, summed
    as CostReport sums them (the same items, in the same order), without the report's lines and notes."""

    component_order: list[str]
    items: list[tuple[str, Decimal]]  # (component, monthly USD) per line item, in the report's order
    subtotal_usd: Decimal
    contingency_usd: Decimal
    total_usd: Decimal

    def by_component(self) -> dict[str, Decimal]:
        totals = {name: Decimal(0) for name in self.component_order}
        for name, monthly in self.items:
            totals[name] += monthly
        return totals


def cost_totals(plan: Plan) -> CostTotals:
    """The plan's monthly total and each component's cost, as `cost_report` computes them (the same code),
    without building the report's line items, assumptions and catalog dates."""
    return _cost_report(plan, None, lean=True)


def _cost_report(plan: Plan, currency: str | None = None, lean: bool = False):
    spec = plan.spec
    currency = currency or spec.project.currency
    ctx = PricingContext(region=plan.region, usd_inr=plan.usd_inr, components=tuple(plan.components))
    apply_free = spec.project.free_tiers
    applied: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    free_descriptions: dict[tuple[str, str], str] = {}
    free_units: dict[tuple[str, str], str] = {}
    items: list[LineItem] = []
    assumptions = list(plan.assumptions)
    notes_by_component: dict[tuple[str, str], list[str]] = {}

    charges = [(component, charge) for component in plan.components
               for charge in _price_component(plan, component, ctx)]
    crossing, unpriced = cross_region_calls(plan)
    charges += crossing
    assumptions += unpriced

    # A free allowance shared by several components (per billing account or project) is split between
    # them in proportion to their usage, so no component's cost depends on where it stands in the file.
    allowances: dict[tuple[str, str], Decimal] = {}
    valued_usd: dict[tuple[str, str], Decimal] = {}  # pools valued at one region's unit price
    demand: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    pool_of: dict[int, tuple[str, str]] = {}
    # A tiered SKU's tiers count the billing account's whole volume: with free tiers off (used elsewhere),
    # this plan's units come after the allowance others used.
    used_elsewhere: dict[tuple[str, str, str], Decimal] = {}
    for index, (component, charge) in enumerate(charges):
        tier = charge.free_tier
        if charge.price is None or tier is None:
            continue
        if tier.regions and charge.location not in tier.regions:
            continue  # a free tier for some regions only: the charge's own location decides, not the plan's
        if not apply_free:
            if charge.price.tiers is not None:
                used_elsewhere[_tier_key(charge)] = tier.monthly_quantity(DAYS_PER_MONTH)
            continue
        key = (tier.pool, tier.sku)
        if key not in allowances:
            allowance = tier.monthly_quantity(DAYS_PER_MONTH)
            if tier.value_region:  # an allowance worth so many units at one region's prices: held in USD
                valued = catalog.service(charge.price.service).price(charge.sku, tier.value_region)
                valued_usd[key] = valued.usd
                allowance = allowance * valued.usd
            allowances[key] = allowance
            free_descriptions[key] = (f"{charge.service} {tier.sku}: {tier.quantity:,} {tier.unit} "
                                      f"{'a day' if tier.period == 'day' else 'a month'} per {tier.scope}"
                                      + (f", valued at {tier.value_region} prices" if tier.value_region else ""))
            free_units[key] = tier.unit
        # in the allowance's terms: units, or USD at each charge's own price (a Tier 2 region's unit is worth
        # more of an allowance valued at Tier 1 prices, whichever component comes first)
        demand[key] += charge.quantity * charge.price.usd if key in valued_usd else charge.quantity
        pool_of[index] = key

    # A tiered price is priced on the plan's whole quantity of the SKU, and each component pays its share
    # in proportion to its quantity, so two identical components cost the same wherever they stand.
    billable_of: dict[int, Decimal] = {}
    tier_total: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    tier_free: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)  # the free units of each tiered SKU
    first_price: dict[tuple[str, str, str], object] = {}  # each SKU's price as its first charge has it
    free_share: dict[tuple[str, str], Decimal] = {}  # each pool's allowance / demand, at most 1 (once a pool)
    zero = Decimal(0)
    for index, (component, charge) in enumerate(charges):
        if charge.price is None:
            continue
        free = zero
        key = pool_of.get(index)
        if key is not None and demand[key] > 0:
            share = free_share.get(key)
            if share is None:
                share = free_share[key] = min(Decimal(1), allowances[key] / demand[key])
            free = charge.quantity * share
            # what the allowance gave, in its own units (at the valuing region's price for a valued pool)
            applied[key] += free * charge.price.usd / valued_usd[key] if key in valued_usd else free
        billable = billable_of[index] = charge.quantity - free
        tier = charge.price.service, charge.sku, charge.price.region_key  # _tier_key, inline: a hot loop
        tier_total[tier] += billable
        if free:
            tier_free[tier] += free
        if tier not in first_price:
            first_price[tier] = charge.price
    tier_cost: dict[tuple[str, str, str], Decimal] = {}  # a tiered SKU's cost on its whole quantity, once
    tier_start = tier_free if apply_free else used_elsewhere  # where each tiered SKU's billable units start

    def cost_of_tier(key):
        """The billable units priced from where the free ones end (here, or used elsewhere): the tiers count
        the month's whole volume."""
        if key not in tier_cost:
            tier_cost[key] = first_price[key].cost(tier_total[key], already_used=tier_start.get(key, zero))
        return tier_cost[key]

    for index, (component, charge) in enumerate(charges):
        if charge.price is None:
            # A price the plan states (external services), with its own free quantity.
            free = min(charge.quantity, charge.free_quantity)
            billable = charge.quantity - free
            if lean:
                items.append((component.name, billable * charge.stated_unit_usd))
                continue
            items.append(LineItem(
                component=component.name, kind=component.kind, category=charge.category,
                service=charge.service, sku=charge.sku, description=charge.description,
                quantity=charge.quantity, unit=charge.unit, free_quantity=free, billable_quantity=billable,
                unit_price_usd=charge.stated_unit_usd, monthly_usd=billable * charge.stated_unit_usd, tiered=False,
                discount=Decimal(0), source=charge.stated_source, date="", notes=charge.notes))
            continue
        billable = billable_of[index]
        free = charge.quantity - billable
        if charge.price.tiers is None:
            list_cost = charge.price.cost(billable)
        else:
            key = _tier_key(charge)
            total = tier_total[key]
            list_cost = cost_of_tier(key) * billable / total if total else Decimal(0)
        monthly = list_cost * (1 - charge.discount)
        if lean:
            items.append((component.name, monthly))
            continue
        items.append(LineItem(
            component=component.name, kind=component.kind, category=charge.category, service=charge.service,
            sku=charge.sku, description=charge.description, quantity=charge.quantity, unit=charge.unit,
            free_quantity=free, billable_quantity=billable,
            unit_price_usd=charge.price.first_rate * (1 - charge.discount), monthly_usd=monthly,
            tiered=charge.price.tiers is not None, discount=charge.discount, discount_kind=charge.discount_kind,
            source=charge.price.source, date=charge.price.date, notes=charge.notes))
        for note in charge.notes:
            notes_by_component.setdefault((component.name, note), []).append(charge.sku)

    if lean:
        subtotal = sum((monthly for _name, monthly in items), Decimal(0))
        contingency = subtotal * spec.project.contingency_percent / 100
        return CostTotals([c.name for c in plan.components], items, subtotal, contingency, subtotal + contingency)
    for (name, note), skus in notes_by_component.items():
        assumptions.append(f"{name}: {', '.join(dict.fromkeys(skus))}: {note}")
    assumptions += _beyond_last_band(tier_total, tier_start, first_price)
    subtotal = sum((item.monthly_usd for item in items), Decimal(0))
    contingency = subtotal * spec.project.contingency_percent / 100
    budget = spec.project.monthly_budget
    budget_usd = None
    if budget is not None:
        budget_usd = plan.to_usd(budget.amount, budget.currency)
    free_applied = [FreeTierUse(free_descriptions[key], amount, free_units[key])
                    for key, amount in applied.items() if amount > 0]
    rate = plan.rate(currency)
    rate_source = plan.rate_source(currency)
    if currency not in ("USD", "INR"):
        assumptions.append(f"USD to {currency}: {rate} (catalog: {rate_source})")
    for component in plan.components:  # what `generate` creates alongside it that no line prices, and why
        unpriced = getattr(registry.pricer_module(component.kind), "generated_unpriced", None)
        assumptions += [f"created by generate, not priced: {line}" for line in (unpriced(component) if unpriced
                                                                                 else [])]
    if currency not in ("USD", "INR") and (budget is None or budget.currency != "INR") \
            and spec.project.usd_inr is None:
        # the report shows its currency and USD, no rupees: the USD-INR rate is not one of its assumptions
        assumptions = [line for line in assumptions if not line.startswith("USD to INR:")]
    assumptions = list(dict.fromkeys(assumptions))
    dates, warnings = catalog_dates(items)
    from archplan.spec.buildable import build_problems

    unbuildable = [f"{problem.file}:{problem.line}: {problem.key}: {problem.message}; generate refuses the plan "
                   "until it is fixed" for problem in build_problems(spec)]
    warnings = plan.missing_usage + unbuildable + warnings
    assumptions += [f"catalog date, {service}: {date}" for service, date in dates.items()]
    return CostReport(
        project=spec.project.name, file=spec.file, region=plan.region, environment=plan.environment,
        currency=currency, usd_inr=plan.usd_inr, line_items=items, rate=rate, rate_source=rate_source,
        service_dates=dates, warnings=warnings, plan_names_inr=names_inr(spec),
        component_order=[(c.name, c.kind) for c in plan.components], subtotal_usd=subtotal,
        contingency_percent=spec.project.contingency_percent, contingency_usd=contingency,
        total_usd=subtotal + contingency, budget_usd=budget_usd,
        budget_currency=budget.currency if budget else None, budget_amount=budget.amount if budget else None,
        assumptions=assumptions, free_tiers_applied=free_applied)
