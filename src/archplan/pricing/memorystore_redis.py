"""Memorystore for Redis: provisioned GiB x hours at the tier's capacity-band rate."""
from __future__ import annotations

from archplan import catalog
from archplan.components.base import HOURS_PER_MONTH, Component
from archplan.components.memorystore_redis import band_for
from archplan.pricing.base import Charge, PricingContext, PricingProblem, charge, generated_secret_note


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    band = band_for(spec.capacity_gb)
    sku = f"{spec.tier}_{band}" + ({"none": "", "1y": "/cud_1y", "3y": "/cud_3y"}[spec.commitment])
    if not catalog.service("memorystore_redis").has_price(sku):
        raise PricingProblem("commitment", f"no committed-use price for {spec.tier} tier band {band.upper()} "
                                           f"({spec.capacity_gb} GB)")
    note = "" if spec.commitment == "none" else f"{spec.commitment} committed-use price"
    return [charge(component, "memorystore_redis", sku, spec.capacity_gb * HOURS_PER_MONTH,
                   f"Redis {spec.tier.title()} {spec.capacity_gb} GB (band {band.upper()}) x 730 h", note=note)]


def generated_unpriced(component: Component) -> list[str]:
    return [generated_secret_note(component, "AUTH string")] if component.spec.auth_enabled else []
