"""google_cloud_tasks_queue -> one cloud_tasks component per module: its queues with their dispatch rate and
retry limits. Tasks are created at run time (their HTTP target too, unless the queue overrides it), so the
task volume is usage."""
from __future__ import annotations

from archplan.importers.google._base import MapContext, Mapped, group_name, invalid, number, owned, placeholders
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_cloud_tasks_queue",)
# What Terraform does not hold for this kind: field -> (the placeholder written, or None for "left out";
# what the figure is). The report lists them; the round-trip test removes them from the original plan.
USAGE = {"tasks_per_month": (0, "tasks created"), "operations_per_month": (None, "billable operations"),
         "attempts_per_task": (None, "delivery attempts per task"), "avg_task_kib": (None, "task payload size")}
SUPPORTING = ("google_cloud_tasks_queue_iam_member", "google_cloud_tasks_queue_iam_binding")


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    modules: dict[str, list[TfResource]] = {}
    for queue in resources:
        modules.setdefault(queue.address.rsplit("google_cloud_tasks_queue.", 1)[0], []).append(queue)
    found = []
    for queues in modules.values():
        names = [ctx.own_name(str(q.get("name") or q.name)) for q in queues]
        listed = []
        for name, queue in zip(names, queues):
            entry: dict = {"name": name}
            # Cloud Tasks dispatches more than 0 and at most 500 tasks a second; -1 attempts is unlimited.
            rate = number(queue, ctx, "rate_limits", "max_dispatches_per_second", integer=False, maximum=500,
                          assumed="read as Cloud Tasks' default")
            if rate is not None and rate <= 0:
                raise invalid(queue, ("rate_limits", "max_dispatches_per_second"), f"{rate} is not above 0")
            if rate is not None:
                entry["max_dispatches_per_second"] = rate
            attempts = number(queue, ctx, "retry_config", "max_attempts", minimum=-1,
                              assumed="read as Cloud Tasks' default")
            if attempts is not None:
                entry["max_attempts"] = attempts
            listed.append(entry)
        mapped = Mapped(group_name(queues, [n.replace("-", "_") for n in names], "tasks"), "cloud_tasks",
                        {"queues": listed, "tasks_per_month": USAGE["tasks_per_month"][0]}, owned(*queues), queues[0],
                        placeholders(USAGE))
        mapped.queue_targets = [q.refs("http_target") for q in queues]
        found.append(mapped)
    return found


def attach(found: list[Mapped], all_mapped: list[Mapped], ctx: MapContext) -> None:
    """A queue whose http_target overrides the URI with a service of the configuration targets that service."""
    for tasks in found:
        for queue, references in zip(tasks.fields["queues"], tasks.queue_targets):
            targets = [m.name for m in all_mapped if m is not tasks and m.kind in ("cloud_run", "cloud_functions")
                       and m.owns & references]
            if len(targets) == 1:
                queue["target"] = targets[0]
                tasks.ignore_refs |= references  # the field links them
