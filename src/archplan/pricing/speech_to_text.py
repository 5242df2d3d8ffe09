"""Cloud Speech-to-Text: minutes at the configuration's rate; V2 standard tiered by the month's minutes, V1's
first 60 minutes a month free."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.components.speech_to_text import sku_of
from archplan.pricing.base import Charge, PricingContext, charge


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    sku = sku_of(spec.api, spec.model, spec.processing, spec.data_logging)
    return [charge(component, "speech_to_text", sku, component.usage["minutes"],
                   f"Audio minutes, {spec.api.upper()} {spec.model}"
                   + (", dynamic batch" if spec.processing == "dynamic_batch" else "")
                   + (", data logging" if spec.data_logging else ""), region="global")]
