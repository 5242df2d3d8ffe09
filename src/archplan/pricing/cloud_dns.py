"""Cloud DNS: managed zones per month and queries, both tiered."""
from __future__ import annotations

from decimal import Decimal

from archplan.components.base import Component
from archplan.pricing.base import Charge, PricingContext, charge


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    return [charge(component, "cloud_dns", "managed_zone", Decimal(spec.zones), f"{spec.visibility} managed zones"),
            charge(component, "cloud_dns", "queries", spec.queries_per_month, "Queries")]
