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
        for item in charges:
            item.description += f"; the gateway is in {component.region} (API Gateway is not offered in {ctx.region})" \
                if not _offered(component, ctx.region) else f"; the gateway is in {component.region}"
    return charges


def _offered(component: Component, region: str) -> bool:
    from archplan import catalog

    service, fact = component.spec.deploy_regions
    return region in catalog.service(service).fact(fact).value
