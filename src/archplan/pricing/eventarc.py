"""Eventarc Standard: events from Google sources are free (said in the notes); their transport through Pub/Sub (one publish
and one delivery per event, at least 1000 bytes each) at Pub/Sub throughput rates; a trigger on one of the plan's
topics adds nothing to the topic's own throughput."""
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
        if trigger.topic:
            # The plan's own topic carries these events: its pubsub component prices their publish and their
            # delivery to each subscription, Eventarc's among them.
            charges.append(charge(component, "pubsub", "throughput", Decimal(0),
                                  f"Trigger {trigger.name}: messages of {trigger.topic}, priced there (published "
                                  "once, delivered to each of its subscriptions, Eventarc's one of them)", note=note))
            continue
        billed = max(trigger.avg_event_kib * 1024, minimum)
        tib = trigger.events_per_month * billed * 2 / BYTES_PER_TIB
        charges.append(charge(component, "pubsub", "throughput", tib,
                              f"Trigger {trigger.name}: Pub/Sub transport, {trigger.events_per_month:,.0f} events x "
                              f"{billed:,.0f} B, published and delivered once", note=note))
    return charges
