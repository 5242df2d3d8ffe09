"""Cloud KMS: each key's active versions a month and its cryptographic operations, at the rate of its
protection level and algorithm."""
from __future__ import annotations

from decimal import Decimal

from archplan.components.base import Component
from archplan.components.cloud_kms import LARGE_ALGORITHMS
from archplan.pricing.base import Charge, PricingContext, charge


def rate_class(key) -> str:
    if key.protection_level == "hsm":
        return "hsm_large" if key.algorithm in LARGE_ALGORITHMS else "hsm"
    return key.protection_level


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    charges = []
    for key in component.spec.keys:
        level = rate_class(key)
        charges.append(charge(component, "cloud_kms", f"key_version_{level}", Decimal(key.active_versions),
                              f"Key {key.name}: {key.active_versions} active version(s), "
                              f"{key.protection_level.upper()} {key.algorithm}", region="global"))
        if key.operations_per_month:
            charges.append(charge(component, "cloud_kms", f"operations_{level}", key.operations_per_month,
                                  f"Key {key.name}: cryptographic operations", region="global"))
    return charges
