"""External services at the prices the plan states, converted to USD at the plan's rate."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.pricing.base import Charge, PricingContext


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    charges = []
    for index, item in enumerate(spec.items):
        source = f"stated in the plan ({item.source})" if item.source else "stated in the plan"
        if item.unit_price is not None:
            charges.append(Charge(
                component=component.name, category=component.category, service=spec.provider,
                sku=f"item-{index + 1}", description=item.description, quantity=item.quantity_per_month,
                unit=item.unit, stated_unit_usd=ctx.to_usd(item.unit_price, item.currency),
                stated_source=source + f"; {item.unit_price} {item.currency} per {item.unit}",
                free_quantity=item.free_quantity_per_month))
        else:
            volume_usd = ctx.to_usd(item.volume_per_month, item.currency)
            charges.append(Charge(
                component=component.name, category=component.category, service=spec.provider,
                sku=f"item-{index + 1}", description=f"{item.description} ({item.percent_of_volume}% of volume)",
                quantity=volume_usd, unit="USD of volume", stated_unit_usd=item.percent_of_volume / 100,
                stated_source=source + f"; {item.percent_of_volume}% of {item.volume_per_month:,} {item.currency}"))
    return charges
