"""google_cloud_scheduler_job -> one cloud_scheduler component per module, each job with its schedule and,
where its HTTP target or Pub/Sub topic is a resource of the configuration, the component it calls."""
from __future__ import annotations

from archplan.importers.google._base import MapContext, Mapped, group_name, owned
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_cloud_scheduler_job",)
# What Terraform does not hold for this kind: field -> (the placeholder written, or None for "left out";
# what the figure is). The report lists them; the round-trip test removes them from the original plan.
USAGE = {}


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    modules: dict[str, list[TfResource]] = {}
    for job in resources:
        modules.setdefault(job.address.rsplit("google_cloud_scheduler_job.", 1)[0], []).append(job)
    found = []
    for jobs in modules.values():
        names = [ctx.own_name(str(j.get("name") or j.name)) for j in jobs]
        listed = [{"name": n, "schedule": str(j.get("schedule", default="* * * * *"))} for n, j in zip(names, jobs)]
        name = group_name(jobs, [n.replace("-", "_") for n in names], "scheduler")
        mapped = Mapped(name, "cloud_scheduler", {"jobs": listed}, owned(*jobs), jobs[0])
        mapped.job_targets = [j.refs("http_target") | j.refs("pubsub_target") for j in jobs]
        found.append(mapped)
    return found


def attach(found: list[Mapped], all_mapped: list[Mapped], ctx: MapContext) -> None:
    """Each job's target: the component owning what its HTTP or Pub/Sub target refers to, where it is of a kind a
    job's target may name (a service, a function, a job); a job publishing to a topic of the configuration is
    a depends_on edge to it instead (from the reference)."""
    from archplan.components.cloud_scheduler import Spec

    callable_kinds = Spec.reference_kinds["target"]
    for scheduler in found:
        for job, references in zip(scheduler.fields["jobs"], scheduler.job_targets):
            targets = [m.name for m in all_mapped if m is not scheduler and m.owns & references
                       and m.kind in callable_kinds]
            if len(targets) == 1:
                job["target"] = targets[0]
