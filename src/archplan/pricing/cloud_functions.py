"""Cloud Functions 2nd gen: Cloud Run request-based rates; shares Cloud Run's free allowance."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.pricing._serverless import request_based
from archplan.pricing.base import Charge, PricingContext


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    return request_based(component, "cloud_functions", spec.cpu, spec.memory, spec.min_instances)


def generated_unpriced(component: Component) -> list[str]:
    return ["the bucket Cloud Build uploads the functions' source archives to (function-sources: Standard storage "
            "in the region, the last 10 versions of each archive kept): the archives' size is not in the plan"]
