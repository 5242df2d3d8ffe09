"""Cloud Run jobs: vCPU and memory for the seconds tasks run, at the instance-based (Jobs) rates."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.pricing.base import Charge, PricingContext, charge


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    seconds = component.usage["task_seconds"]
    duration = f"{spec.task_duration_seconds} s" if spec.task_duration_seconds else "task_duration_seconds not given"
    how = (f"{spec.executions_per_month:,} executions x {spec.tasks:,} tasks x {spec.attempts_per_task} attempts x "
           f"{duration} = {seconds:,.0f} task-seconds")
    return [charge(component, "cloud_run", "cpu_instance_based", seconds * spec.cpu, f"Job CPU: {spec.cpu} vCPU x {how}"),
            charge(component, "cloud_run", "memory_instance_based", seconds * spec.memory,
                   f"Job memory: {spec.memory:.3f} GiB x {how}")]
