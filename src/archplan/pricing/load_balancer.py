"""External HTTPS load balancer: forwarding rules (first five as one hourly minimum) and data processed."""
from __future__ import annotations

from decimal import Decimal

from archplan.components.base import HOURS_PER_MONTH, Component
from archplan.pricing.base import Charge, PricingContext, charge


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    charges = [charge(component, "load_balancing", "forwarding_rule_first_5", HOURS_PER_MONTH,
                      f"Forwarding rules 1-5 ({min(spec.forwarding_rules, 5)} used), 730 h")]
    if spec.forwarding_rules > 5:
        charges.append(charge(component, "load_balancing", "forwarding_rule_additional",
                              (spec.forwarding_rules - 5) * HOURS_PER_MONTH,
                              f"Forwarding rules beyond 5: {spec.forwarding_rules - 5} x 730 h"))
    processed = component.usage["data_processed_gb"]
    if processed > Decimal(0):
        charges.append(charge(component, "load_balancing", "data_processed", processed,
                              "Data processed (requests and responses)"))
    return charges
