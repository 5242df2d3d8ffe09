"""Secret Manager: active versions per month, access operations, rotation notifications."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.pricing.base import Charge, PricingContext, charge


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    charges = [charge(component, "secret_manager", "active_version", component.usage["active_versions"],
                      "Active secret versions"),
               charge(component, "secret_manager", "access", spec.access_ops_per_month, "Access operations")]
    if spec.rotations_per_month:
        charges.append(charge(component, "secret_manager", "rotation", spec.rotations_per_month, "Rotations"))
    return charges
