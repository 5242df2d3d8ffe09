"""Request-based and instance-based billing shared by Cloud Run and Cloud Functions."""
from __future__ import annotations

from decimal import Decimal

from archplan.components.base import SECONDS_PER_MONTH, Component
from archplan.pricing.base import Charge, charge


def request_based(component: Component, service: str, cpu: Decimal, memory_gib: Decimal,
                  min_instances: int) -> list[Charge]:
    busy = component.usage["busy_instance_seconds"]
    charges = [
        charge(component, service, "cpu_request_based", busy * cpu,
               f"CPU while serving requests: {cpu} vCPU x {busy:,.0f} busy instance-seconds"),
        charge(component, service, "memory_request_based", busy * memory_gib,
               f"Memory while serving requests: {memory_gib:.3f} GiB x {busy:,.0f} busy instance-seconds"),
        charge(component, service, "requests", component.usage["requests"], "Requests"),
    ]
    idle = max(Decimal(0), min_instances * SECONDS_PER_MONTH - busy)
    if idle > 0:
        charges += [
            charge(component, service, "cpu_idle_min_instance", idle * cpu,
                   f"Idle min-instance CPU: {min_instances} x {cpu} vCPU, {idle:,.0f} idle instance-seconds",
                   free_tier=False),
            charge(component, service, "memory_idle_min_instance", idle * memory_gib,
                   f"Idle min-instance memory: {min_instances} x {memory_gib:.3f} GiB", free_tier=False),
        ]
    return charges


def instance_based(component: Component, service: str, cpu: Decimal, memory_gib: Decimal,
                   instance_seconds: Decimal) -> list[Charge]:
    return [
        charge(component, service, "cpu_instance_based", instance_seconds * cpu,
               f"CPU always allocated: {cpu} vCPU x {instance_seconds:,.0f} instance-seconds"),
        charge(component, service, "memory_instance_based", instance_seconds * memory_gib,
               f"Memory always allocated: {memory_gib:.3f} GiB x {instance_seconds:,.0f} instance-seconds"),
    ]
