"""Cloud Scheduler jobs."""
from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from archplan.components.base import ComponentSpec, Strict, Usage, UsageContext


class Job(Strict):
    name: str
    schedule: str = Field(description="cron expression, e.g. '0 2 * * *'")
    target: str | None = Field(default=None, description="component the job calls")


class Spec(ComponentSpec):
    category: ClassVar[str] = "operations"
    kind: Literal["cloud_scheduler"]
    jobs: list[Job] | int = Field(description="the jobs, or how many")

    def referenced_components(self) -> list[tuple[tuple, str]]:
        if isinstance(self.jobs, int):
            return []
        return [(("jobs", i, "target"), job.target) for i, job in enumerate(self.jobs) if job.target]


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    return Usage()


def job_count(spec: Spec) -> int:
    return len(spec.jobs) if isinstance(spec.jobs, list) else spec.jobs
