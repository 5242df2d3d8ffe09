"""Cloud Logging: ingestion (first 50 GiB a project free, 30 days kept) and retention beyond 30 days."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.pricing.base import Charge, PricingContext, charge


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    charges = [charge(component, "cloud_logging", "ingestion", spec.ingestion_gb_per_month,
                      "Log ingestion (includes 30 days' retention)")]
    if component.usage.get("retained_gb"):
        charges.append(charge(component, "cloud_logging", "retention", component.usage["retained_gb"],
                              f"Retention to {spec.retention_days} days"))
    return charges
