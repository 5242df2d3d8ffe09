"""Cloud Tasks queues: billable operations (API calls and push delivery attempts, chunked at 32 KB)."""
from __future__ import annotations

from decimal import ROUND_CEILING, Decimal
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from archplan.components.base import ComponentSpec, Strict, Usage, UsageContext

EXAMPLE = {"kind": "cloud_tasks", "tasks_per_month": 2_000_000}

CHUNK_KIB = Decimal(32)


class Queue(Strict):
    name: str = Field(description="queue name")
    target: str | None = Field(default=None, description="component the queue's tasks call (HTTP target)")
    max_dispatches_per_second: Decimal | None = Field(
        default=None, gt=0, le=500, description="dispatch rate limit (none: Cloud Tasks picks its default; at most 500)")
    max_attempts: int | None = Field(default=None, ge=-1, description="retry limit (none: GCP default; -1 unlimited)")


class Spec(ComponentSpec):
    category: ClassVar[str] = "data"  # async, like Pub/Sub: on the request path of what enqueues
    kind: Literal["cloud_tasks"]
    queues: list[Queue] | int = Field(default=1, description="the queues, or how many")
    tasks_per_month: Decimal | None = Field(default=None, ge=0, description="tasks created a month")
    attempts_per_task: Decimal = Field(default=Decimal(1), ge=1,
                                       description="push delivery attempts per task, retries included")
    avg_task_kib: Decimal = Field(default=Decimal(1), gt=0, description="task payload size (billed in 32 KB chunks)")
    operations_per_month: Decimal | None = Field(default=None, ge=0,
                                                 description="billable operations, if known (instead of tasks)")
    type: Literal["push"] = Field(default="push", description="push, the only type: the queue dispatches "
                                                              "each task as an HTTP request")

    @model_validator(mode="after")
    def _one_volume(self) -> "Spec":
        if (self.tasks_per_month is None) == (self.operations_per_month is None):
            raise ValueError("give tasks_per_month, or operations_per_month")
        return self

    reference_kinds: ClassVar[dict[str, tuple[str, ...]]] = {"target": ("cloud_run", "cloud_functions")}

    def referenced_components(self) -> list[tuple[tuple, str]]:
        if isinstance(self.queues, int):
            return []
        return [(("queues", i, "target"), q.target) for i, q in enumerate(self.queues) if q.target]

    target_setting: ClassVar[str | None] = "queues[].target"

    def triggered_components(self) -> list[str]:
        return [q.target for q in self.queues if q.target] if isinstance(self.queues, list) else []


def chunks(avg_task_kib: Decimal) -> Decimal:
    return (avg_task_kib / CHUNK_KIB).to_integral_value(ROUND_CEILING)


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    if spec.operations_per_month is not None:
        return Usage({"operations": spec.operations_per_month})
    per_task = (1 + spec.attempts_per_task) * chunks(spec.avg_task_kib)
    return Usage({"operations": spec.tasks_per_month * per_task, "operations_per_task": per_task})
