"""google_cloud_run_v2_job -> cloud_run_job: CPU and memory per task, tasks and parallelism per execution,
retries and timeout. How often it runs and how long a task takes are usage (a scheduler outside Terraform,
or the job's own work): the timeout is a task's limit, not its duration, so the duration is left for the user
(ASK: named in missing_usage and the report, not written)."""
from __future__ import annotations

from archplan.importers.google._base import (MapContext, Mapped, cpu_limit, duration, label_name, memory_limit, number,
                                             owned, placeholders)
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_cloud_run_v2_job",)
TIMEOUT_DEFAULT_SECONDS = 600  # GCP default task timeout (the provider's template.template.timeout)


# What Terraform does not hold for this kind: field -> (the placeholder written, or None for "left out", or a
# function of the imported fields; what the figure is). The report lists them; the round-trip test removes
# them from the original plan.
USAGE = {"executions_per_month": (0, "job runs a month"), "task_duration_seconds": (None, "mean running time of a task"),
         "attempts_per_task": (None, "attempts per task")}
# Usage left out that the plan needs before it prices a run: listed in missing_usage and in the report.
ASK = ("task_duration_seconds",)


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    found = []
    for job in resources:
        task = ("template", "template")
        limits = (*task, "containers", "resources", "limits")
        fields: dict = {"cpu": cpu_limit(job, ctx, *limits, "cpu", assumed="read as 1, Cloud Run's default") or 1,
                        "memory": memory_limit(job, ctx, *limits, "memory",
                                               assumed="read as 512Mi, Cloud Run's default") or "512Mi"}
        notes = [] if job.get(*limits) else [f"{job.address}: no resources.limits: Cloud Run's defaults (1 vCPU, "
                                             "512Mi) are used"]
        count = number(job, ctx, "template", "task_count", minimum=1, assumed="read as 1 task")
        if count is not None and count > 1:
            fields["tasks"] = count
        # parallelism 0: as many as the tasks (the API's default); above the tasks it runs them all at once too
        parallelism = number(job, ctx, "template", "parallelism", minimum=0)
        if parallelism and parallelism <= fields.get("tasks", 1):
            fields["parallelism"] = parallelism
        retries = number(job, ctx, *task, "max_retries", minimum=0, maximum=10, assumed="read as 3, the default")
        if retries is not None and retries != 3:
            fields["max_retries"] = retries
        timeout = duration(job, ctx, *task, "timeout", minimum=1)
        if timeout and timeout != TIMEOUT_DEFAULT_SECONDS:
            fields["timeout_seconds"] = timeout
        fields["executions_per_month"] = USAGE["executions_per_month"][0]
        notes.append(f"{job.address}: task_duration_seconds left for you to give (the timeout, "
                     f"{fields.get('timeout_seconds', TIMEOUT_DEFAULT_SECONDS)} s, is a task's limit, not its running "
                     "time); it is needed once executions_per_month is above 0")
        accounts = ctx.referenced(job, "google_service_account")
        found.append(Mapped(label_name(job), "cloud_run_job", fields, owned(job, *accounts), job,
                            placeholders(USAGE), notes))
    return found
