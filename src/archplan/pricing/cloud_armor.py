"""Cloud Armor: Standard (per policy, rule and request) or Enterprise pay-as-you-go subscription."""
from __future__ import annotations

from decimal import Decimal

from archplan import catalog
from archplan.components.base import Component
from archplan.components.cloud_armor import billed_rules, policy_rules
from archplan.pricing.base import Charge, PricingContext, charge


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    if spec.tier == "enterprise_paygo":
        included = catalog.service("cloud_armor").fact("enterprise_paygo_included_resources").decimal
        charges = [charge(component, "cloud_armor", "enterprise_paygo_subscription", Decimal(1),
                          "Enterprise pay-as-you-go subscription")]
        extra = max(Decimal(0), spec.protected_resources - included)
        if extra:
            charges.append(charge(component, "cloud_armor", "enterprise_paygo_protected_resource", extra,
                                  f"Protected resources beyond the first {included}"))
        return charges
    return [
        charge(component, "cloud_armor", "policy", Decimal(spec.policies), "Security policies"),
        charge(component, "cloud_armor", "rule", Decimal(billed_rules(spec)),
               "Rules" + (f" ({len(policy_rules(spec))} archplan writes, {spec.rules - len(policy_rules(spec))} of "
                          "your own)" if billed_rules(spec) > len(policy_rules(spec)) else
                          f" (the {len(policy_rules(spec))} the generated policy holds)")),
        charge(component, "cloud_armor", "requests", component.usage["requests"], "Requests evaluated"),
    ]
