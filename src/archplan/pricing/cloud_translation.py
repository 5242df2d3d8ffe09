"""Cloud Translation - Basic: characters x target languages, the first 500,000 a month free."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.pricing.base import Charge, PricingContext, charge


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    return [charge(component, "cloud_translation", "basic_characters", component.usage["characters"],
                   f"Characters: {spec.characters_per_month:,.0f} x {spec.target_languages} target language(s)",
                   region="global")]
