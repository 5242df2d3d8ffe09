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


def delivery(dependency) -> str:
    """How a Pub/Sub component's messages reach one of its dependencies, in words: an export subscription, a
    pull subscription (PULL_KINDS) or, to a Cloud Run service or function, a push subscription ("" for
    anything else)."""
    if dependency.kind in EXPORT_SUBSCRIPTIONS:
        return EXPORT_SUBSCRIPTIONS[dependency.kind]
    if dependency.kind in PULL_KINDS:
        return "pull subscription"
    if dependency.kind in ("cloud_run", "cloud_functions"):
        return "push subscription"
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
