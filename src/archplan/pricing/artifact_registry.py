"""Artifact Registry: stored GB per month beyond the free 0.5 GB."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.pricing.base import Charge, PricingContext, charge


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    return [charge(component, "artifact_registry", "storage", component.spec.storage_gb,
                   f"{component.spec.format} repository storage")]
