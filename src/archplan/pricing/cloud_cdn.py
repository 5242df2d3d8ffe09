"""Cloud CDN: cache lookups, cache egress by viewer destination (tiered), cache fill, invalidations."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.pricing.base import Charge, PricingContext, charge


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec, usage = component.spec, component.usage
    charges = [
        charge(component, "cloud_cdn", "cache_lookup", usage["lookups"], "Cache lookups"),
        charge(component, "cloud_cdn", f"cache_egress_{spec.destination}", usage["egress_gb"],
               f"Cache egress to {spec.destination.replace('_', ' ').title()}"),
        charge(component, "cloud_cdn", "cache_fill", usage["cache_fill_gb"],
               f"Cache fill ({(1 - spec.cache_hit_ratio) * 100:.0f}% misses)"),
    ]
    if spec.invalidations_per_month:
        charges.append(charge(component, "cloud_cdn", "invalidation", spec.invalidations_per_month,
                              "Cache invalidations"))
    return charges
