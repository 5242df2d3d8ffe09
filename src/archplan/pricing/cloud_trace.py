"""Cloud Trace: spans ingested beyond the free allowance."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.pricing.base import Charge, PricingContext, charge


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    return [charge(component, "cloud_trace", "spans", component.spec.spans_per_month, "Spans ingested")]
