"""Eventarc Standard: events from Google sources are free (said in the notes); their transport through Pub/Sub (one publish
and one delivery per event, at least 1000 bytes each) at Pub/Sub throughput rates."""
from __future__ import annotations

from decimal import Decimal

from archplan import catalog
from archplan.components.base import Component
from archplan.pricing.base import Charge, PricingContext, charge

BYTES_PER_TIB = Decimal(1024) ** 4


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    minimum = catalog.service("pubsub").fact("min_billed_bytes_per_message").decimal
    free = catalog.service("eventarc").fact("google_source_event_usd")
    note = f"events from Google sources cost ${free.value} each ({free.source}, {free.date}); their transport is Pub/Sub"
    charges = []
    for trigger in component.spec.triggers:
        billed = max(trigger.avg_event_kib * 1024, minimum)
        tib = trigger.events_per_month * billed * 2 / BYTES_PER_TIB
        charges.append(charge(component, "pubsub", "throughput", tib,
                              f"Trigger {trigger.name}: Pub/Sub transport, {trigger.events_per_month:,.0f} events x "
                              f"{billed:,.0f} B, published and delivered once", note=note))
    return charges
