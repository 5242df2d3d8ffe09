"""Eventarc (Standard) triggers: events from Google Cloud sources routed to a Cloud Run service. Google
sources' events are free; their Pub/Sub transport is billed at Pub/Sub rates."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from archplan.components.base import ComponentSpec, Strict, Usage, UsageContext

PUBSUB_EVENT = "google.cloud.pubsub.topic.v1.messagePublished"

EXAMPLE = {"kind": "eventarc", "triggers": [{"name": "uploads", "event_type": "google.cloud.storage.object.v1.finalized",
                                        "destination": "example-cloud-run", "events_per_month": 1_000_000}]}


class Trigger(Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9-]{0,40}$", description="trigger name: lowercase letters, digits and "
                                                                     "hyphens")
    event_type: str = Field(pattern=r"^google\.cloud\.[A-Za-z0-9_.]+$",
                            description="CloudEvents type of a Google source, e.g. google.cloud.storage.object.v1.finalized")
    bucket: str | None = Field(default=None, description="cloud_storage component whose events trigger (storage events)")
    topic: str | None = Field(default=None, description="pubsub component whose messages trigger (its first topic; "
                                                        f"{PUBSUB_EVENT} events)")
    destination: str = Field(description="the cloud_run component the events are delivered to")
    events_per_month: Decimal = Field(ge=0, description="events the trigger delivers a month")
    avg_event_kib: Decimal = Field(default=Decimal(2), gt=0, description="event size (Google's examples use 2 KiB)")

    @model_validator(mode="after")
    def _topic_for_pubsub_events(self) -> "Trigger":
        # Without a topic Eventarc creates one of its own, which nothing of the plan publishes to.
        if self.event_type == PUBSUB_EVENT and self.topic is None:
            raise ValueError(f"a {PUBSUB_EVENT} trigger needs topic: the pubsub component whose messages it "
                             "delivers (without one Eventarc creates a topic nothing publishes to)")
        if self.topic is not None and self.event_type != PUBSUB_EVENT:
            raise ValueError(f"topic is for {PUBSUB_EVENT} triggers; this one is {self.event_type}")
        return self


class Spec(ComponentSpec):
    category: ClassVar[str] = "data"  # async delivery, like Pub/Sub
    kind: Literal["eventarc"]
    source: Literal["google"] = Field(default="google", description="Google Cloud sources (custom and "
                                                                    "third-party sources are not priced)")
    triggers: list[Trigger] = Field(min_length=1, description="the triggers: which events go to which "
                                                              "cloud_run component")

    reference_kinds: ClassVar[dict[str, tuple[str, ...]]] = {
        "destination": ("cloud_run",), "bucket": ("cloud_storage",), "topic": ("pubsub",)}

    def referenced_components(self) -> list[tuple[tuple, str]]:
        found = []
        for index, trigger in enumerate(self.triggers):
            found.append((("triggers", index, "destination"), trigger.destination))
            if trigger.bucket:
                found.append((("triggers", index, "bucket"), trigger.bucket))
            if trigger.topic:
                found.append((("triggers", index, "topic"), trigger.topic))
        return found

    target_setting: ClassVar[str | None] = "triggers[].destination"

    def plan_problems(self, name: str, specs: dict) -> list[tuple[tuple, str]]:
        # generate names each trigger <prefix>-<trigger>, and Eventarc refuses a second trigger of one name in a
        # region: a name an earlier eventarc component in the same region has taken fails the apply
        taken: dict[str, str] = {}
        for other, spec in specs.items():
            if other == name:
                break
            if spec.kind == "eventarc" and spec.region == self.region:
                taken.update((trigger.name, other) for trigger in spec.triggers)
        return [(("triggers", index, "name"), f"trigger {trigger.name} has the name of a trigger of "
                                              f"{taken[trigger.name]}: Eventarc trigger names are unique in a "
                                              "region; rename one")
                for index, trigger in enumerate(self.triggers) if trigger.name in taken]

    def triggered_components(self) -> list[str]:
        return [trigger.destination for trigger in self.triggers]


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    return Usage({"events": sum((t.events_per_month for t in spec.triggers), Decimal(0))})
