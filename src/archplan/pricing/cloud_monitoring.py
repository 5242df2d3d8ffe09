"""Cloud Monitoring: chargeable metric volume (tiered MiB) and read API calls."""
from __future__ import annotations

from decimal import Decimal

from archplan.components.base import HOURS_PER_MONTH, Component
from archplan.pricing.base import Charge, PricingContext, charge


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    charges = [charge(component, "cloud_monitoring", "metric_data", spec.metric_mib_per_month,
                      "Chargeable metric data")]
    if spec.api_read_calls_per_month:
        charges.append(charge(component, "cloud_monitoring", "api_read", spec.api_read_calls_per_month,
                              "Read API calls"))
    if spec.uptime_checks:
        runs = Decimal(HOURS_PER_MONTH * 60 // spec.uptime_check_period_minutes)
        charges.append(charge(component, "cloud_monitoring", "uptime_check_execution",
                              spec.uptime_checks * spec.uptime_check_locations * runs,
                              f"Uptime checks: {spec.uptime_checks} x {spec.uptime_check_locations} locations x "
                              f"{runs:,} runs (every {spec.uptime_check_period_minutes} min, 730 h)"))
    return charges
