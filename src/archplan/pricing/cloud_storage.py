"""Cloud Storage: GB-months by class and location, class A/B operations, retrieval, internet egress."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.pricing.base import Charge, PricingContext, charge


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    location_type = spec.location_type.replace("-", "_")
    location = spec.location or component.region
    charges = [charge(component, "cloud_storage", f"storage_{spec.storage_class}_{location_type}",
                      component.usage["storage_gb"],
                      f"{spec.storage_class.title()} storage, {spec.location_type} {location}"
                      + (" (incl. noncurrent versions)" if spec.noncurrent_gb else ""),
                      region=location, free_tier="storage_standard" if spec.storage_class == "standard" else False)]
    ops_suffix = f"standard_{location_type}" if spec.storage_class == "standard" else spec.storage_class
    if spec.class_a_ops_per_month:
        charges.append(charge(component, "cloud_storage", f"class_a_{ops_suffix}", spec.class_a_ops_per_month,
                              "Class A operations (writes, lists)", region=location, free_tier="class_a"))
    if spec.class_b_ops_per_month:
        charges.append(charge(component, "cloud_storage", f"class_b_{ops_suffix}", spec.class_b_ops_per_month,
                              "Class B operations (reads)", region=location, free_tier="class_b"))
    if spec.retrieval_gb_per_month:
        charges.append(charge(component, "cloud_storage", f"retrieval_{spec.storage_class}",
                              spec.retrieval_gb_per_month, "Data retrieval"))
    if spec.egress_gb_per_month:
        charges.append(charge(component, "network", "egress_internet", spec.egress_gb_per_month,
                              "Internet egress from the bucket", free_tier=("cloud_storage", "egress")))
    return charges
