"""Document AI: pages at the processor's per-page rate, tiered by the month's pages."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.pricing.base import Charge, PricingContext, charge


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    return [charge(component, "document_ai", f"{spec.processor}/page", component.usage["pages"],
                   f"Pages, {spec.processor.replace('_', ' ')} processor", region="global", free_tier=False)]
