"""google_eventarc_trigger -> one eventarc component per module: each trigger's event type, the bucket whose
events it matches, the topic whose messages it carries and the Cloud Run service it delivers to (fields of the
trigger, not depends_on edges).
Event volume is usage."""
from __future__ import annotations

import re

from archplan.components.eventarc import PUBSUB_EVENT
from archplan.importers.google._base import MapContext, Mapped, group_name, owned, placeholders
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_eventarc_trigger",)
# What Terraform does not hold for this kind: field -> (the placeholder written, or None for "left out";
# what the figure is). The report lists them; the round-trip test removes them from the original plan.
USAGE = {"triggers[].events_per_month": (0, "events delivered a month"),
         "triggers[].avg_event_kib": (None, "event size")}
_NAME = re.compile(r"^[a-z][a-z0-9-]{0,40}$")


def _criteria(trigger: TfResource, attribute: str):
    for block in trigger.blocks("matching_criteria"):
        if block.get("attribute") == attribute:
            return block.get("value")
    return None


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    modules: dict[str, list[TfResource]] = {}
    for trigger in resources:
        modules.setdefault(trigger.address.rsplit("google_eventarc_trigger.", 1)[0], []).append(trigger)
    found = []
    for triggers in modules.values():
        kept, names, listed = [], [], []
        for trigger in triggers:
            event_type = _criteria(trigger, "type")
            name = ctx.own_name(str(trigger.get("name") or trigger.name)).lower().replace("_", "-")
            if not isinstance(event_type, str) or not event_type.startswith("google.cloud.") or not _NAME.fullmatch(name):
                ctx.notes.append(f"{trigger.address}: not a trigger on a Google source archplan prices: left out")
                continue
            kept.append(trigger)
            names.append(name)
            listed.append({"name": name, "event_type": event_type, "destination": None,
                           "events_per_month": USAGE["triggers[].events_per_month"][0]})
        if not kept:
            continue
        mapped = Mapped(group_name(kept, [n.replace("-", "_") for n in names], "eventarc"), "eventarc",
                        {"triggers": listed}, owned(*kept), kept[0],
                        {"triggers": "events_per_month of each trigger: Terraform does not hold it"})
        mapped.trigger_refs = [(t.refs("destination"), t.refs("matching_criteria"), t.refs("transport")) for t in kept]
        mapped.ignore_refs = {r for pair in mapped.trigger_refs for refs in pair for r in refs}
        found.append(mapped)
    return found


def attach(found: list[Mapped], all_mapped: list[Mapped], ctx: MapContext) -> None:
    """Each trigger's destination, bucket and topic: the components owning what it refers to. A trigger whose
    destination is not a Cloud Run service of the configuration, or a Pub/Sub trigger whose topic is not one of
    its topics, cannot be priced as archplan models it."""
    for events in list(found):
        kept = []
        for trigger, (destination, criteria, transport) in zip(events.fields["triggers"], events.trigger_refs):
            services = [m.name for m in all_mapped if m.kind == "cloud_run" and m.owns & destination]
            buckets = [m.name for m in all_mapped if m.kind == "cloud_storage" and m.owns & criteria]
            topics = [m.name for m in all_mapped if m.kind == "pubsub" and m.owns & transport]
            if len(services) != 1:
                ctx.notes.append(f"{events.source.address}: trigger {trigger['name']} does not deliver to a Cloud "
                                 "Run service of this configuration: left out")
                continue
            if trigger["event_type"] == PUBSUB_EVENT and len(topics) != 1:
                ctx.notes.append(f"{events.source.address}: trigger {trigger['name']} carries no topic of this "
                                 "configuration: left out")
                continue
            trigger["destination"] = services[0]
            if len(buckets) == 1:
                trigger = {**trigger, "bucket": buckets[0]}
            if trigger["event_type"] == PUBSUB_EVENT:
                trigger = {**trigger, "topic": topics[0]}
            trigger = {k: trigger[k] for k in ("name", "event_type", "bucket", "topic", "destination",
                                               "events_per_month") if k in trigger}
            kept.append(trigger)
        if kept:
            events.fields["triggers"] = kept
        else:
            all_mapped.remove(events)
