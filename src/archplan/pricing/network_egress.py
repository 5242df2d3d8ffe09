"""Internet egress, Premium tier, tiered by monthly volume, priced by source region."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.pricing.base import Charge, PricingContext, charge

SKUS = {"worldwide": "egress_internet", "china": "egress_internet_china", "australia": "egress_internet_australia"}
DESTINATIONS = {"worldwide": "worldwide destinations", "china": "destinations in China",
                "australia": "destinations in Australia"}


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    return [charge(component, "network", SKUS[spec.destination], component.usage["egress_gb"],
                   f"Internet egress to {DESTINATIONS[spec.destination]}")]
