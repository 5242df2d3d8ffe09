"""Cloud Functions 2nd gen: Cloud Run request-based rates; shares Cloud Run's free allowance."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.pricing._serverless import request_based
from archplan.pricing.base import Charge, PricingContext


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    return request_based(component, "cloud_functions", spec.cpu, spec.memory, spec.min_instances)
