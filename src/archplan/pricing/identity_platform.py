"""Identity Platform: monthly active users on the graduated Tier 1 and Tier 2 price tables."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.pricing.base import Charge, PricingContext, charge


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    charges = [charge(component, "identity_platform", "tier1_mau", component.usage["tier1_mau"],
                      "Monthly active users, Tier 1 providers (email, phone, anonymous, social)", region="global")]
    if component.usage["tier2_mau"]:
        charges.append(charge(component, "identity_platform", "tier2_mau", component.usage["tier2_mau"],
                              "Monthly active users, Tier 2 providers (SAML, OIDC)", region="global"))
    return charges
