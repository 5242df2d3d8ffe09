"""What pricers return: Charges, each a quantity of one catalog SKU (or a price the plan states)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from archplan import catalog
from archplan.catalog import FreeTier, Price
from archplan.components.base import Component


@dataclass(frozen=True)
class PricingContext:
    region: str
    usd_inr: Decimal
    components: tuple = ()  # the plan's components, for a price that depends on others (Cloud Build's pool)

    def to_usd(self, amount: Decimal, currency: str) -> Decimal:
        if currency == "USD":
            return amount
        return amount / (self.usd_inr if currency == "INR" else catalog.exchange_rate(currency).per_usd)


@dataclass
class Charge:
    component: str
    category: str
    service: str
    sku: str
    description: str
    quantity: Decimal
    unit: str
    price: Price | None = None  # a catalog price, or None with stated_unit_usd for prices the plan states
    stated_unit_usd: Decimal | None = None
    stated_source: str = ""
    free_tier: FreeTier | None = None
    free_quantity: Decimal = Decimal(0)  # stated free quantity (external services)
    discount: Decimal = Decimal(0)  # fraction off the list price (committed use)
    discount_kind: str = "committed-use"  # or "sustained-use": a VM that runs part of the month
    notes: list[str] = field(default_factory=list)
    location: str = ""  # the region or dual/multi-region location the charge is priced in

    @property
    def list_unit_usd(self) -> Decimal:
        return self.stated_unit_usd if self.price is None else self.price.first_rate


class PricingProblem(Exception):
    """A component's settings cannot be priced (e.g. a machine type the catalog lacks in the region)."""

    def __init__(self, key: str | tuple, message: str):
        super().__init__(message)
        self.key = key
        self.message = message


def no_citable_price(key: str, what: str, service: str, families: tuple[str, ...], label=str) -> PricingProblem:
    """A one-line problem for a variant of a service (an edition, a machine type) the catalog has no figure
    for, naming every variant of the same families (SKU ids `<family>/<variant>`) it does price, and where."""
    book = catalog.service(service)
    every = set(catalog.supported_regions())

    def where(sku: str) -> str:
        sold = book.sold_in(sku)
        missing = sorted(every - set(sold))
        if sold == ["global"] or not missing:
            return "every supported region"
        if len(sold) <= 6:
            return ", ".join(sold)
        if len(missing) <= 3:
            return f"every supported region but {', '.join(missing)}"
        return f"{len(sold)} regions: archplan catalog --service {service}"

    priced = [f"{label(sku.split('/', 1)[1])} (in {where(sku)})"
              for sku in list(book.prices) if sku.split("/", 1)[0] in families]  # sold_in may load shards
    return PricingProblem(key, f"{what} has no citable price in archplan's catalog; priced: {'; '.join(priced)}")


def charge(component: Component, service: str, sku: str, quantity: Decimal, description: str | None = None,
           region: str | None = None, free_tier: str | tuple[str, str] | bool = True,
           discount: Decimal = Decimal(0),
           note: str = "") -> Charge:
    """A Charge for `quantity` of a catalog SKU, in the component's region unless `region` is given.

    free_tier: True looks up the free tier of the same SKU id, a string names another id of the same
    service, a (service, id) pair one of another service; False: none.
    """
    book = catalog.service(service)
    price = book.price(sku, region or component.region)
    tier = None
    if isinstance(free_tier, tuple):
        tier = catalog.service(free_tier[0]).free_tier(free_tier[1])
    elif free_tier:
        tier = book.free_tier(sku if free_tier is True else free_tier)
    notes = [note] if note else []
    if discount:
        notes.append(f"committed-use discount {discount * 100:.0f}% off list")
    if price.derived_from:
        notes.append(price.derived_from)
    return Charge(component=component.name, category=component.category, service=book.display_name, sku=sku,
                  description=description or price.description, quantity=quantity, unit=price.unit,
                  price=price, free_tier=tier, discount=discount, notes=notes, location=region or component.region)


def commitment_discount(service: str, commitment: str) -> Decimal:
    if commitment == "none":
        return Decimal(0)
    return catalog.service(service).fact(f"cud_{commitment}_discount").decimal


def generated_secret_note(component: Component, what: str) -> str:
    """The secret `generate` creates for a component (a database password, a Redis AUTH string), in words: it is
    not priced with the component, as the plan's own secret_manager component may list the same secret."""
    price = catalog.service("secret_manager").price("active_version", "global")
    return (f"{component.name}'s {what}, kept in Secret Manager (1 secret, 1 active version: "
            f"${price.usd.normalize():f}/{price.unit} at list price, {price.source}): a secret_manager component "
            "of the plan may list the same secret, and it would be counted twice")
