"""API Gateway: API calls, billed as Service Control tracked operations."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.pricing._service_control import api_calls
from archplan.pricing.base import Charge, PricingContext


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    """The calls, priced globally; the gateway's region is said when it is not the plan's (API Gateway is
    deployed in a few regions only: one elsewhere fronts the plan's backends from there)."""
    charges = api_calls(component, "API Gateway")
    if component.region != ctx.region:
        where = f"; the gateway is in {component.region}"
        if ctx.region not in component.spec.deployable_regions():
            where += f" (API Gateway is not offered in {ctx.region})"
        for item in charges:
            item.description += where
    return charges
