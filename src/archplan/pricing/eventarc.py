"""Eventarc Standard: events from Google sources at $0, and their transport through Pub/Sub (one publish
and one delivery per event, at least 1000 bytes each) at Pub/Sub throughput rates."""
from __future__ import annotations

from decimal import Decimal

from archplan import catalog
from archplan.components.base import Component
from archplan.pricing.base import Charge, PricingContext, charge

BYTES_PER_TIB = Decimal(1024) ** 4


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    minimum = catalog.service("pubsub").fact("min_billed_bytes_per_message").decimal
    charges = [charge(component, "eventarc", "google_source_events", component.usage["events"],
                      "Events from Google Cloud sources", region="global")]
    for trigger in component.spec.triggers:
        billed = max(trigger.avg_event_kib * 1024, minimum)
        tib = trigger.events_per_month * billed * 2 / BYTES_PER_TIB
        charges.append(charge(component, "pubsub", "throughput", tib,
                              f"Trigger {trigger.name}: Pub/Sub transport, {trigger.events_per_month:,.0f} events x "
                              f"{billed:,.0f} B, published and delivered once"))
    return charges
