"""API Gateway and Cloud Endpoints calls are both Service Control tracked operations: one tiered price
and one free allowance per billing account."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.pricing.base import Charge, charge


def api_calls(component: Component, product: str) -> list[Charge]:
    return [charge(component, "service_control", "tracked_operations", component.usage["calls"],
                   f"{product} API calls (Service Control tracked operations)", region="global")]
