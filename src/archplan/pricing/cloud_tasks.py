"""Cloud Tasks: billable operations a month, the first million free per billing account."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.components.cloud_tasks import chunks
from archplan.pricing.base import Charge, PricingContext, charge


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    operations = component.usage["operations"]
    if spec.operations_per_month is not None:
        how = f"Billable operations (stated): {operations:,.0f}"
    else:
        attempts = "attempt" if spec.attempts_per_task == 1 else "attempts"
        size = chunks(spec.avg_task_kib)
        how = (f"Billable operations: {spec.tasks_per_month:,.0f} tasks x (1 create + {spec.attempts_per_task:g} "
               f"{attempts}) x {size} 32 KB chunk{'' if size == 1 else 's'}")
    return [charge(component, "cloud_tasks", "operations", operations, how)]
