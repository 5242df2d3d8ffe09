"""Firestore: document reads, writes and deletes (Standard edition) or read, write and real-time update units
(Enterprise edition), each with its daily free quota, and stored GiB."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.pricing.base import Charge, PricingContext, charge, commitment_discount


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    location = spec.location or component.region
    if spec.edition == "enterprise":
        return _enterprise(component, location)
    off = commitment_discount("firestore", spec.commitment)  # operations only (Google's CUD page)
    charges = [
        charge(component, "firestore", "document_read", spec.reads_per_month, "Document reads", region=location,
               discount=off),
        charge(component, "firestore", "document_write", spec.writes_per_month, "Document writes", region=location,
               discount=off),
        charge(component, "firestore", "storage", spec.stored_gb, "Stored data", region=location),
    ]
    if spec.deletes_per_month:
        charges.insert(2, charge(component, "firestore", "document_delete", spec.deletes_per_month,
                                 "Document deletes", region=location, discount=off))
    return charges + _pitr(component, "pitr_storage", location)


def _pitr(component: Component, sku: str, location: str) -> list[Charge]:
    """Point-in-time recovery data: the database's size, no free tier (Google's PITR page)."""
    if not component.spec.pitr:
        return []
    return [charge(component, "firestore", sku, component.spec.stored_gb,
                   "Point-in-time recovery data (7 days; the database's size)", region=location, free_tier=False)]


def _enterprise(component: Component, location: str) -> list[Charge]:
    spec, use = component.spec, component.usage
    charges = [
        charge(component, "firestore", "enterprise/read_unit", use["read_units"],
               f"Enterprise edition read units (4 KiB of a {spec.avg_document_kib:f} KiB document each)",
               region=location),
        charge(component, "firestore", "enterprise/write_unit", use["write_units"],
               "Enterprise edition write units (1 KiB each; writes, deletes and index entries)", region=location),
    ]
    if use["realtime_units"]:
        charges.append(charge(component, "firestore", "enterprise/realtime_update_unit", use["realtime_units"],
                              "Enterprise edition real-time update units (4 KiB each)", region=location))
    charges.append(charge(component, "firestore", "enterprise/storage", spec.stored_gb,
                          "Enterprise edition stored data (SSD)", region=location))
    return charges + _pitr(component, "enterprise/pitr_storage", location)
