"""google_cloudfunctions2_function -> cloud_functions: CPU, memory, instance bounds, concurrency, runtime,
entry point and trigger (a Pub/Sub topic of the configuration becomes trigger_component)."""
from __future__ import annotations

from archplan.importers.google._base import (MapContext, Mapped, cpu_limit, function_source_buckets, label_name, memory,
                                             memory_limit, number, owned, placeholders)
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_cloudfunctions2_function",)
# What Terraform does not hold for this kind: field -> (the placeholder written, or None for "left out";
# what the figure is). The report lists them; the round-trip test removes them from the original plan.
USAGE = {"duration_ms": (100, "mean execution time"), "invocations_per_month": (0, "invocations"), "traffic_share": (None, "share of the traffic")}


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    found = []
    source_buckets = function_source_buckets(ctx)
    for function in resources:
        service = ("service_config",)
        stated_cpu = cpu_limit(function, ctx, *service, "available_cpu", assumed="a placeholder written")
        fields: dict = {"cpu": stated_cpu or "167m",
                        "memory": memory_limit(function, ctx, *service, "available_memory", read=_memory,
                                               assumed="read as 256Mi, the default") or "256Mi",
                        "duration_ms": USAGE["duration_ms"][0]}
        for key, field_name, lowest in (("min_instance_count", "min_instances", 0),
                                        ("max_instance_count", "max_instances", 1),
                                        ("max_instance_request_concurrency", "concurrency", 1)):
            value = number(function, ctx, *service, key, minimum=lowest,
                           maximum=1000 if field_name == "concurrency" else None)
            if value is not None:
                fields[field_name] = value
        runtime = function.get("build_config", "runtime")
        if isinstance(runtime, str):
            fields["runtime"] = runtime
        entry = function.get("build_config", "entry_point")
        if isinstance(entry, str):
            fields["entry_point"] = entry
        event = function.get("event_trigger", "event_type")
        if isinstance(event, str) and "pubsub" in event:
            fields["trigger"] = "pubsub"
        fields["invocations_per_month"] = 0
        # the account it runs as: one named only in build_config is what Cloud Build builds it as, whose
        # grants (build logs, the image repository, the sources) are no call of the function's
        build_only = function.refs("build_config") - function.refs("service_config") - function.refs("event_trigger")
        accounts = [account for account in ctx.referenced(function, "google_service_account")
                    if account.base_address not in build_only]
        marks = placeholders(USAGE)
        if stated_cpu is None:
            marks["cpu"] = "available_cpu is not set, so Google picks the CPU from the memory size: state it"
        sources = function.refs("build_config") & source_buckets
        mapped = Mapped(label_name(function), "cloud_functions", fields, owned(function, *accounts) | sources, function,
                        marks,
                        # The source bucket is read when deploying; a trigger's topic calls the function.
                        ignore_refs=function.refs("build_config"), reverse_refs=function.refs("event_trigger"))
        mapped.trigger_refs = function.refs("event_trigger")
        found.append(mapped)
    return found


def _memory(value) -> str | None:
    if isinstance(value, str) and value.endswith(("M", "G")) and value[:-1].isdigit():
        return value + "i"  # 256M in Cloud Functions means MiB
    return memory(value)


def attach(found: list[Mapped], all_mapped: list[Mapped], ctx: MapContext) -> None:
    for function in found:
        if function.fields.get("trigger") != "pubsub":
            continue
        topics = [m.name for m in all_mapped if m.kind == "pubsub" and m.owns & function.trigger_refs]
        if len(topics) == 1:
            function.fields["trigger_component"] = topics[0]


def protocol(mapped: Mapped) -> str:
    return "HTTPS"
