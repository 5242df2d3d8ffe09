"""Cloud Scheduler: per job per month (paused jobs count)."""
from __future__ import annotations

from decimal import Decimal

from archplan.components.base import Component
from archplan.components.cloud_scheduler import job_count
from archplan.pricing.base import Charge, PricingContext, charge


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    return [charge(component, "cloud_scheduler", "job", Decimal(job_count(component.spec)), "Jobs")]
