"""API Gateway: API calls, billed as Service Control tracked operations."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.pricing._service_control import api_calls
from archplan.pricing.base import Charge, PricingContext


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    return api_calls(component, "API Gateway")
