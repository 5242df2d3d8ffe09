"""Pub/Sub topics and subscriptions, billed on throughput (publish + delivery) and retained storage."""
from __future__ import annotations

from decimal import Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import Field, field_validator

from archplan.components.base import ComponentSpec, Usage, UsageContext


TOPIC_NAME = r"^[A-Za-z][A-Za-z0-9_-]{0,99}$"


class Spec(ComponentSpec):
    category: ClassVar[str] = "data"
    kind: Literal["pubsub"]
    topics: list[Annotated[str, Field(pattern=TOPIC_NAME)]] = Field(
        min_length=1, description="topic names: letters, digits, - and _, starting with a letter")
    subscriptions_per_topic: Decimal = Field(
        default=Decimal(1), ge=0, description="mean subscriptions a topic (one of them an export subscription when "
                                              "the component depends on a bigquery or cloud_storage component)")
    messages_per_month: Decimal | None = Field(default=None, ge=0, description="published, all topics")
    messages_per_request: Decimal | None = Field(default=None, ge=0,
                                                 description="published per user request of the traffic model")
    avg_message_kib: Decimal = Field(gt=0, description="mean message size, KiB (billed at no less than a "
                                                       "minimum size per message)")
    retention_days: Decimal = Field(default=Decimal(0), ge=0, le=31, description="topic message retention "
                                                                                 "(0 = off, the default)")
    dead_letter: bool = Field(default=False, description="a dead-letter topic: messages a subscription fails "
                                                         "to deliver go there (default false: none)")

    @field_validator("topics")
    @classmethod
    def _unique(cls, topics: list[str]) -> list[str]:
        from archplan.spec.names import unique_names

        return unique_names(topics, "topics")


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    result = Usage()
    messages = ctx.requests(spec.messages_per_month, spec.messages_per_request, result, "messages",
                            "messages_per_month", "messages_per_request")
    result.quantities["messages"] = messages
    return result


# What a Pub/Sub component exports to when it depends on one: a BigQuery dataset (a BigQuery subscription per
# topic) or a Cloud Storage bucket (a Cloud Storage subscription per topic).
EXPORT_SUBSCRIPTIONS = {"bigquery": "BigQuery subscription", "cloud_storage": "Cloud Storage subscription"}
EXPORT_KINDS = tuple(EXPORT_SUBSCRIPTIONS)


def export_target(dependencies):
    """The first of a Pub/Sub component's dependencies (components, in depends_on order) it exports to, or None.
    One of each topic's subscriptions_per_topic is then that export subscription; `generate` writes it and the
    pricer bills what it delivers at the export rate."""
    return next((d for d in dependencies if d.kind in EXPORT_KINDS), None)


# What a Pub/Sub component's topics deliver to by pull when it depends on one: Pub/Sub pushes only to an HTTPS
# endpoint, which archplan has for Cloud Run services and HTTP functions; these read a pull subscription.
PULL_KINDS = ("gke", "compute_engine", "cloud_run_job")


def eventarc_receivers(components) -> dict[str, list]:
    """Pub/Sub component name -> what Eventarc delivers its (first topic's) messages to, through a subscription
    Eventarc makes: Cloud Functions with a Pub/Sub trigger on it and the destinations of Eventarc triggers naming
    it as their topic, in plan order."""
    by_name = {c.name: c for c in components}
    index: dict[str, list] = {}
    for component in components:
        if component.kind == "cloud_functions" and component.spec.trigger == "pubsub":
            index.setdefault(component.spec.trigger_component, []).append(component)
        elif component.kind == "eventarc":
            for trigger in component.spec.triggers:
                if trigger.topic and trigger.destination in by_name:
                    index.setdefault(trigger.topic, []).append(by_name[trigger.destination])
    return index


def push_target(dependencies, received=()):
    """The service a Pub/Sub component's topics push to: the first Cloud Run service or HTTP function among its
    dependencies (in depends_on order) that Eventarc does not deliver to (`received`: a Pub/Sub-triggered
    function, or an Eventarc trigger's destination, gets its messages through Eventarc instead); None."""
    for dependency in dependencies:
        if dependency in received:
            continue
        if dependency.kind == "cloud_run" or (dependency.kind == "cloud_functions"
                                              and dependency.spec.trigger != "pubsub"):
            return dependency
    return None


def delivery(receiver, dependencies, received=()) -> str:
    """The subscription a Pub/Sub component's messages reach `receiver`, one of its `dependencies`, by, in words,
    as `generate` writes it: the export subscription to its first dataset or bucket, a push subscription to its
    push target, a pull subscription to a cluster, VM or job when nothing is pushed to; "" for any other.
    `received`: what Eventarc delivers its messages to (eventarc_receivers)."""
    pushed = push_target(dependencies, received)
    if receiver is export_target(dependencies):
        return EXPORT_SUBSCRIPTIONS[receiver.kind]
    if receiver is pushed:
        return "push subscription"
    if receiver.kind in PULL_KINDS and pushed is None:
        return "pull subscription"
    return ""


def publish_quota(region: str):
    """(the default publisher-throughput quota of `region` in MB/s, a Decimal, and where it comes from, in
    words). Google's quotas page splits regions into large and small ones, each with its own figure."""
    from archplan import catalog

    book = catalog.service("limits")
    large = book.fact("pubsub_publish_throughput_large_regions")
    if region in large.value:
        fact = book.fact("pubsub_publish_throughput_mb_per_s_per_region")
        return fact.decimal, f"{fact.source}: {region} is a large region ({', '.join(large.value)})"
    fact = book.fact("pubsub_publish_throughput_mb_per_s_per_small_region")
    return fact.decimal, (f"{fact.source}: {region} is a small region (large ones: {', '.join(large.value)}; "
                          "a medium region of the current page counts as small)")
