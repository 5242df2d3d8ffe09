"""Cloud Vision: units per feature, tiered (first 1,000 free, then up to 5 million, then above). SafeSearch
and crop hints are free up to the units of the feature they come with."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.components.cloud_vision import BUNDLED_WITH
from archplan.pricing.base import Charge, PricingContext, charge


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    charges = []
    usage = component.usage.quantities
    for feature, units in usage.items():
        bundled = BUNDLED_WITH.get(feature)
        covered = min(units, usage.get(bundled, 0)) if bundled else 0
        if covered:
            charges.append(charge(component, "cloud_vision", f"{feature}/with_{bundled}", covered,
                                  f"{feature.upper()} with {bundled.upper()} on the same images", region="global",
                                  free_tier=False))
        if units - covered > 0:
            charges.append(charge(component, "cloud_vision", feature, units - covered, feature.upper(),
                                  region="global"))
    return charges
