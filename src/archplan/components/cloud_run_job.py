"""Cloud Run jobs: executions of tasks that run to completion, billed for the time each task runs at the
instance-based rates (the Jobs table of the Cloud Run pricing page)."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from archplan.components.base import ComponentSpec, Usage, UsageContext
from archplan.spec.units import Cpu, MemoryGiB
from archplan.spec.formats import ImageRef

EXAMPLE = {"kind": "cloud_run_job", "cpu": 1, "memory": "1Gi", "tasks": 10, "task_duration_seconds": 300,
           "executions_per_month": 30}


class Spec(ComponentSpec):
    category: ClassVar[str] = "compute"
    kind: Literal["cloud_run_job"]
    image: ImageRef | None = Field(default=None, description="container image (default: Google's sample job image)")
    cpu: Cpu = Field(default=Decimal(1), description="vCPU per task (GCP default 1)")
    memory: MemoryGiB = Field(default=Decimal("0.5"), description="memory per task (GCP default 512Mi)")
    tasks: int = Field(default=1, ge=1, le=10000, description="tasks per execution (GCP default 1)")
    parallelism: int | None = Field(default=None, ge=1, description="tasks run at once (default: as many as allowed)")
    task_duration_seconds: Decimal | None = Field(
        default=None, gt=0, description="mean running time of one task attempt (needed when executions_per_month "
                                        "is above 0; the timeout is only its limit)")
    executions_per_month: Decimal = Field(ge=0, description="job runs a month (e.g. 30.4 for a daily job)")
    attempts_per_task: Decimal = Field(default=Decimal(1), ge=1, description="attempts per task, retries included")
    max_retries: int = Field(default=3, ge=0, le=10, description="retries of a failed task (GCP default 3)")
    timeout_seconds: int = Field(default=600, ge=1, le=86400 * 7, description="task timeout (GCP default 600)")
    env: dict[str, str] = Field(default_factory=dict, description="plain environment variables")
    service_account_roles: list[str] = Field(default_factory=list, description="IAM roles for its service account")

    @property
    def started_by_events(self) -> bool:
        return True  # a job is executed (by a schedule, a workflow, a person), never sent a request

    @model_validator(mode="after")
    def _sizes(self) -> "Spec":
        if self.cpu > 8 or self.memory > 32:
            raise ValueError(f"at most 8 vCPU and 32Gi per task (got cpu {self.cpu}, memory {self.memory} GiB)")
        if self.parallelism is not None and self.parallelism > self.tasks:
            raise ValueError("parallelism cannot be above tasks")
        if self.task_duration_seconds is None:
            if self.executions_per_month > 0:
                raise ValueError(f"task_duration_seconds is needed to price {self.executions_per_month} executions a "
                                 "month: the mean running time of a task (timeout_seconds is only its limit)")
        elif self.task_duration_seconds > self.timeout_seconds:
            raise ValueError(f"task_duration_seconds ({self.task_duration_seconds}) is above timeout_seconds "
                             f"({self.timeout_seconds})")
        return self


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    duration = spec.task_duration_seconds or Decimal(0)  # none given: no execution runs (the validator says so)
    task_seconds = spec.executions_per_month * spec.tasks * spec.attempts_per_task * duration
    return Usage({"task_seconds": task_seconds})
