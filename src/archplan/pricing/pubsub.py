"""Pub/Sub: throughput (bytes published plus bytes delivered to each subscription, at least 1000
bytes a message) and storage of retained messages."""
from __future__ import annotations

from decimal import Decimal

from archplan import catalog
from archplan.components.base import Component
from archplan.pricing.base import Charge, PricingContext, charge

BYTES_PER_TIB = Decimal(1024) ** 4
BYTES_PER_GIB = Decimal(1024) ** 3


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    messages = component.usage["messages"]
    minimum = catalog.service("pubsub").fact("min_billed_bytes_per_message").decimal
    billed_bytes = max(spec.avg_message_kib * 1024, minimum)
    published = messages * billed_bytes
    delivered = published * spec.subscriptions_per_topic
    charges = [charge(component, "pubsub", "throughput", (published + delivered) / BYTES_PER_TIB,
                      f"Throughput: {messages:,.0f} messages x {billed_bytes:,.0f} B, published and delivered "
                      f"to {spec.subscriptions_per_topic} subscription(s) each")]
    if spec.retention_days:
        retained_gib = published / BYTES_PER_GIB * spec.retention_days / Decimal(730 / 24)
        charges.append(charge(component, "pubsub", "message_storage", retained_gib,
                              f"Topic retention: {spec.retention_days} days of messages"))
    return charges
