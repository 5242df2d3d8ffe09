"""google_pubsub_topic -> one pubsub component per module: its topics (dead-letter topics count towards
dead_letter, not as topics), subscriptions per topic (Eventarc's for its triggers among them), retention. Message
volume and size are usage."""
from __future__ import annotations

import re
from decimal import Decimal

from archplan.components.pubsub import TOPIC_NAME
from archplan.importers.google._base import (MapContext, Mapped, distinct, duration, group_name, numbered, owned,
                                             placeholders)
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_pubsub_topic",)
# What Terraform does not hold for this kind: field -> (the placeholder written, or None for "left out";
# what the figure is). The report lists them; the round-trip test removes them from the original plan.
USAGE = {"messages_per_month": (0, "messages published"), "messages_per_request": (None, "messages per request"), "avg_message_kib": (1, "mean message size")}
SUPPORTING = ("google_pubsub_subscription",)
# A grant on one of the topics' subscriptions (a subscriber's pull access) is a use of the component.
EDGE_TYPES = ("google_pubsub_subscription",)


def _module(resource: TfResource) -> str:
    return resource.address.rsplit("google_pubsub_topic.", 1)[0]


def _topic_label(topic: TfResource) -> str:
    """The topic's Terraform label with its instance key (events[0] -> events_0), in the characters a plan's
    topic names take."""
    label = re.sub(r"[^A-Za-z0-9_-]+", "_", topic.address.rsplit(".", 1)[-1]).strip("_")
    return label if re.match(r"^[A-Za-z]", label) else f"t_{label}"


def _topic_name(topic: TfResource, ctx: MapContext) -> str:
    """The topic's own name, else (a name GCP allows and the plan does not: orders.v1, or an unknown one) its
    label."""
    own = ctx.own_name(str(topic.get("name") or topic.name))
    return own if re.fullmatch(TOPIC_NAME, own) else _topic_label(topic)


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    subscriptions = ctx.of_type("google_pubsub_subscription")
    dead_letter_topics = {ref for s in subscriptions for ref in s.refs("dead_letter_policy")}
    eventarc = ctx.of_type("google_cloudfunctions2_function") + ctx.of_type("google_eventarc_trigger")
    modules: dict[str, list[TfResource]] = {}
    for topic in resources:
        modules.setdefault(_module(topic), []).append(topic)
    # the dataset of each table (what a BigQuery subscription names)
    datasets = {t.base_address: t.refs("dataset_id") or {t.base_address} for t in ctx.of_type("google_bigquery_table")}
    groups = []
    for topics in modules.values():
        main = [t for t in topics if t.base_address not in dead_letter_topics]
        if not main:
            continue
        # Topics that export to different places (a BigQuery subscription's table, a Cloud Storage
        # subscription's bucket) are different components: a plan's component exports to one target.
        by_target: dict[tuple, list[TfResource]] = {}
        for topic in main:
            by_target.setdefault(_export_targets(topic, subscriptions, datasets), []).append(topic)
        dead = [t for t in topics if t.base_address in dead_letter_topics]
        for group in by_target.values():
            # each dead-letter topic goes with the topics whose subscriptions send to it
            addresses = {t.base_address for t in group}
            sent = {ref for s in subscriptions if s.refs("topic") & addresses for ref in s.refs("dead_letter_policy")}
            groups.append((group, dead if len(by_target) == 1 else [d for d in dead if d.base_address in sent]))
    found = []
    for main, dead in groups:
        addresses = {t.base_address for t in main}
        own_names = [_topic_name(t, ctx) for t in main]
        mine = [s for s in subscriptions if s.refs("topic") & addresses or
                (not s.key_references and s.references & addresses)]
        fields: dict = {"topics": own_names if distinct(own_names) else numbered([_topic_label(t) for t in main])}
        # Eventarc makes a subscription of its own for each trigger on a topic (a function's, a trigger's)
        carried = sum(1 for r in eventarc if (r.refs("event_trigger") | r.refs("transport")) & addresses)
        per_topic = Decimal(len(mine) + carried) / len(main)
        if per_topic != 1:
            fields["subscriptions_per_topic"] = int(per_topic) if per_topic % 1 == 0 else \
                per_topic.quantize(Decimal("0.01")).normalize()
        fields["messages_per_month"] = 0
        fields["avg_message_kib"] = 1
        # A topic retains messages 10 minutes to 31 days.
        days = [r / 86400 for r in (duration(t, ctx, "message_retention_duration", minimum=600, assumed="read as none")
                                    for t in main) if r]
        if days:
            fields["retention_days"] = Decimal(str(round(max(days), 2))).normalize()
        if any(s.refs("dead_letter_policy") for s in mine):
            fields["dead_letter"] = True
        name = group_name(main, [n.replace("-", "_") for n in own_names], "pubsub")
        found.append(Mapped(name, "pubsub", fields, owned(*main, *dead, *mine), main[0], placeholders(USAGE)))
    return found


def _export_targets(topic: TfResource, subscriptions: list[TfResource], datasets: dict[str, set[str]]) -> tuple:
    """What the topic's export subscriptions write to: the datasets of the tables a BigQuery subscription names
    (each topic has a table of its own) and the buckets a Cloud Storage subscription names, sorted."""
    mine = [s for s in subscriptions if topic.base_address in s.refs("topic")]
    targets = set()
    for subscription in mine:
        for ref in subscription.refs("bigquery_config"):
            targets |= datasets.get(ref, {ref})
        targets |= subscription.refs("cloud_storage_config")
    return tuple(sorted(targets))
