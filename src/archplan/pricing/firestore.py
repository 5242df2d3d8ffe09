"""Firestore: document reads, writes and deletes (daily free quota), and stored GiB."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.pricing.base import Charge, PricingContext, charge


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    location = spec.location or component.region
    charges = [
        charge(component, "firestore", "document_read", spec.reads_per_month, "Document reads", region=location),
        charge(component, "firestore", "document_write", spec.writes_per_month, "Document writes", region=location),
        charge(component, "firestore", "storage", spec.stored_gb, "Stored data", region=location),
    ]
    if spec.deletes_per_month:
        charges.insert(2, charge(component, "firestore", "document_delete", spec.deletes_per_month,
                                 "Document deletes", region=location))
    return charges
