"""Pub/Sub: throughput (bytes published plus bytes delivered to each subscription, at least 1000
bytes a message) and storage of retained messages. A component that exports (it depends on a BigQuery
dataset or a Cloud Storage bucket) has one export subscription a topic, whose delivery is billed at the
export subscription's own rate, with no free tier, instead of Message Delivery Basic."""
from __future__ import annotations

from decimal import Decimal

from archplan import catalog
from archplan.components.base import Component
from archplan.components.pubsub import EXPORT_SUBSCRIPTIONS, export_target
from archplan.pricing.base import Charge, PricingContext, charge

BYTES_PER_TIB = Decimal(1024) ** 4
BYTES_PER_GIB = Decimal(1024) ** 3
READS_OTHER_COMPONENTS = True  # whether it exports depends on the kind of what it depends on (ctx.components)
EXPORT_SKUS = {kind: (f"{kind}_subscription_throughput", what) for kind, what in EXPORT_SUBSCRIPTIONS.items()}
# What the export subscription writes is billed by the service it writes to, as that component's own fields
# state it; said in the report, as neither is priced on this component.
EXPORT_NOTES = {
    "bigquery": "Pub/Sub writes these rows through BigQuery's Storage Write API; no Google statement was found on "
                "whether that ingestion is billed as well, so none is priced here ({target}'s streaming: prices "
                "it if stated); the rows are stored as {target}'s storage",
    "cloud_storage": "the objects written are billed by Cloud Storage as {target}'s storage and operations, "
                     "priced only as {target}'s own fields state them",
}


def price(component: Component, ctx: PricingContext) -> list[Charge]:
    spec = component.spec
    messages = component.usage["messages"]
    minimum = catalog.service("pubsub").fact("min_billed_bytes_per_message").decimal
    billed_bytes = max(spec.avg_message_kib * 1024, minimum)
    published = messages * billed_bytes
    by_name = {c.name: c for c in ctx.components}
    target = export_target([by_name[d.name] for d in spec.depends_on if d.name in by_name])
    subscriptions = spec.subscriptions_per_topic
    if target is None or not subscriptions:
        delivered = published * subscriptions
        charges = [charge(component, "pubsub", "throughput", (published + delivered) / BYTES_PER_TIB,
                          f"Throughput: {messages:,.0f} messages x {billed_bytes:,.0f} B, published and delivered "
                          f"to {subscriptions} subscription(s) each")]
    else:
        exported = min(Decimal(1), subscriptions)  # one subscription a topic is the export one
        standard = subscriptions - exported
        sku, what = EXPORT_SKUS[target.kind]
        delivered = f"published and delivered to {standard} standard subscription(s) each" if standard else \
            "published"
        share = "" if exported == 1 else f" x {exported}"
        charges = [
            charge(component, "pubsub", "throughput", (published + published * standard) / BYTES_PER_TIB,
                   f"Throughput: {messages:,.0f} messages x {billed_bytes:,.0f} B, {delivered} (delivery to the "
                   f"{what} is billed apart)"),
            charge(component, "pubsub", sku, published * exported / BYTES_PER_TIB,
                   f"{what} throughput: {messages:,.0f} messages x {billed_bytes:,.0f} B{share} delivered to "
                   f"{target.name} ({exported} of {subscriptions} subscription(s) a topic), no free tier",
                   free_tier=False, note=EXPORT_NOTES[target.kind].format(target=target.name)),
        ]
    if spec.retention_days:
        retained_gib = published / BYTES_PER_GIB * spec.retention_days / Decimal(730 / 24)
        charges.append(charge(component, "pubsub", "message_storage", retained_gib,
                              f"Topic retention: {spec.retention_days} days of messages"))
    return charges
