"""Cloud Run: request-based billing (CPU only while serving, idle min instances at the idle rate, a
per-request fee) or instance-based billing (CPU always allocated, no request fee)."""
from __future__ import annotations

from archplan.components.base import SECONDS_PER_MONTH, Component
from archplan.pricing._serverless import instance_based, request_based
from archplan.pricing.base import Charge, PricingContext


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    if spec.cpu_allocation == "request":
        return request_based(component, "cloud_run", spec.cpu, spec.memory, spec.min_instances)
    busy = component.usage["busy_instance_seconds"]
    alive = max(spec.min_instances * SECONDS_PER_MONTH, busy,
                (spec.avg_instances or 0) * SECONDS_PER_MONTH)
    return instance_based(component, "cloud_run", spec.cpu, spec.memory, alive)
