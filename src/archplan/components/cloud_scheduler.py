"""Cloud Scheduler jobs."""
from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field, field_validator

from archplan.components.base import ComponentSpec, Strict, Usage, UsageContext
from archplan.spec.formats import CronSchedule


class Job(Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9_-]{1,100}$", description="job name: letters, digits, - and _")
    schedule: CronSchedule = Field(description="unix-cron expression, e.g. '0 2 * * *'")
    target: str | None = Field(default=None, description="component the job calls")


class Spec(ComponentSpec):
    category: ClassVar[str] = "operations"
    kind: Literal["cloud_scheduler"]
    jobs: list[Job] | Annotated[int, Field(ge=0, le=10_000)] = Field(description="the jobs, or how many")

    @field_validator("jobs")
    @classmethod
    def _unique(cls, jobs):
        from archplan.spec.names import unique_names

        if isinstance(jobs, list):
            unique_names([job.name for job in jobs], "jobs")
        return jobs

    reference_kinds: ClassVar[dict[str, tuple[str, ...]]] = {
        "target": ("cloud_run", "cloud_functions", "cloud_run_job")}

    def referenced_components(self) -> list[tuple[tuple, str]]:
        if isinstance(self.jobs, int):
            return []
        return [(("jobs", i, "target"), job.target) for i, job in enumerate(self.jobs) if job.target]

    target_setting: ClassVar[str | None] = "jobs[].target"

    def triggered_components(self) -> list[str]:
        return [job.target for job in self.jobs if job.target] if isinstance(self.jobs, list) else []


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    return Usage()


def job_count(spec: Spec) -> int:
    return len(spec.jobs) if isinstance(spec.jobs, list) else spec.jobs
