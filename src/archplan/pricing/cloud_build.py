"""Cloud Build: build minutes at the default-pool rate of the machine type; the free minutes apply to
e2-standard-2 only."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.pricing.base import Charge, PricingContext, charge


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    minutes = component.usage["build_minutes"]
    how = (f"Build minutes: {spec.builds_per_month:,.0f} builds x {spec.minutes_per_build} min"
           if spec.build_minutes_per_month is None else "Build minutes (stated)")
    return [charge(component, "cloud_build", f"build_minute/{spec.machine_type}", minutes,
                   f"{how} on {spec.machine_type}", region="global")]
