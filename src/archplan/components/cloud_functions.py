"""Cloud Functions (2nd gen): billed as Cloud Run request-based services."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from archplan.components._simulation import ServerlessScalingFields, ServiceTimeFields
from archplan.components._workload import WorkloadFields
from archplan.components.base import ComponentSpec, Usage, UsageContext
from archplan.components._serverless import busy_explanation, busy_instance_seconds
from archplan.spec.units import Cpu, MemoryGiB


# The runtime families of Cloud Run functions (https://cloud.google.com/functions/docs/runtime-support), each
# with a placeholder source generate creates the function from (generate/terraform/_function_sources.py).
RUNTIME_FAMILIES = ("nodejs", "python", "go", "java", "ruby", "php", "dotnet")
RUNTIME_PATTERN = rf"^({'|'.join(RUNTIME_FAMILIES)})[0-9]+$"
# What an entry point may be: a function name (Python, Node.js), a class name its placeholder declares (Java,
# .NET: dotted identifiers, Java's with $ for a nested class), or a name the framework registers (Go, Ruby, PHP).
ENTRY_POINTS = {"python": r"[A-Za-z_][A-Za-z0-9_]*", "nodejs": r"[A-Za-z_][A-Za-z0-9_]*",
                "java": r"[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*",
                "dotnet": r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*"}
NAMES = r"[A-Za-z_$][A-Za-z0-9_.$]*"
ENTRY_POINT_WORDS = {"python": "function name (letters, digits, _)", "nodejs": "function name (letters, digits, _)",
                     "java": "class name (identifiers of letters, digits, _ and $, joined by dots)",
                     "dotnet": "class name (identifiers of letters, digits and _, joined by dots)"}


class Spec(WorkloadFields, ServiceTimeFields, ServerlessScalingFields, ComponentSpec):
    category: ClassVar[str] = "compute"
    kind: Literal["cloud_functions"]
    cpu: Cpu = Field(description="vCPU per instance")
    memory: MemoryGiB = Field(description="memory per instance, e.g. 256Mi")
    min_instances: int = Field(default=0, ge=0, description="instances kept warm, their idle time priced "
                                                            "(default 0)")
    max_instances: int = Field(default=100, ge=1, description="scaling cap (default 100)")
    concurrency: int = Field(default=1, ge=1, le=1000, description="requests per instance (2nd gen default 1)")
    duration_ms: Decimal = Field(gt=0, description="mean execution time")
    invocations_per_month: Decimal | None = Field(
        default=None, ge=0, description="invocations a month (default: derived from the traffic model, with "
                                        "traffic_share)")
    traffic_share: Decimal | None = Field(default=None, ge=0, description="invocations per user request")
    runtime: str = Field(default="python312", pattern=RUNTIME_PATTERN,
                         description="a Cloud Run functions runtime id: python312, nodejs22, go123, java21, "
                                     "ruby34, php84, dotnet8, ...")
    entry_point: str = Field(default="main", description="name of the function in the source that is called "
                                                         "(default main)")
    trigger: Literal["http", "pubsub", "scheduler"] = Field(
        default="http", description="what starts it: http (requests), pubsub (messages on trigger_component's "
                                    "topic, through Eventarc) or scheduler (a cloud_scheduler job); default http")
    trigger_component: str | None = Field(default=None, description="the pubsub component that triggers it")
    allow_unauthenticated: bool = Field(default=False, description="anyone may call it: roles/run.invoker to "
                                                                   "allUsers and ingress from all (default false)")
    timeout_seconds: int = Field(default=60, ge=1, le=3600, description="execution timeout (2nd gen default 60 s)")

    def mean_service_ms(self) -> Decimal:
        return self.duration_ms

    def plan_problems(self, name: str, specs: dict) -> list[tuple[tuple, str]]:
        """A 2nd-gen function reaches the VPC only through a Serverless VPC Access connector (the
        google_cloudfunctions2_function resource takes vpc_connector, not direct VPC egress)."""
        reached = [d.name for d in self.depends_on if d.name in specs]
        private = [target for target in reached if specs[target].only_inside_vpc()]
        if not private or any(specs[target].kind == "vpc_connector" for target in reached):
            return []
        return [(("depends_on",), f"it calls {', '.join(private)}, reachable only inside the VPC, which a 2nd-gen "
                                  "function reaches only through a Serverless VPC Access connector: list a "
                                  "vpc_connector component in its depends_on")]

    @model_validator(mode="after")
    def _limits(self) -> "Spec":
        if self.cpu > 8 or self.memory > 32:
            raise ValueError(f"at most 8 vCPU and 32Gi per instance (got cpu {self.cpu}, memory {self.memory} GiB)")
        return self

    @model_validator(mode="after")
    def _entry_point(self) -> "Spec":
        # generate writes a placeholder source that defines or registers it (Java: com.example.Handler)
        family = re.match(r"[a-z]+", self.runtime).group(0)
        if not re.fullmatch(ENTRY_POINTS.get(family, NAMES), self.entry_point):
            raise ValueError(f"entry_point {self.entry_point[:60]!r} is not a "
                             + ENTRY_POINT_WORDS.get(family, "function name (letters, digits, _, $ and dots)"))
        return self

    @model_validator(mode="after")
    def _trigger(self) -> "Spec":
        if self.trigger == "pubsub" and not self.trigger_component:
            raise ValueError("trigger: pubsub needs trigger_component, the pubsub component whose messages start it")
        return self

    references: ClassVar[tuple[str, ...]] = ("trigger_component",)
    reference_kinds: ClassVar[dict[str, tuple[str, ...]]] = {"trigger_component": ("pubsub",)}

    @property
    def started_by_events(self) -> bool:
        return self.trigger != "http"


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    result = Usage()
    invocations = ctx.requests(spec.invocations_per_month, spec.traffic_share, result, "invocations",
                               "invocations_per_month")
    busy = busy_instance_seconds(invocations, spec.duration_ms, spec.concurrency)
    result.quantities.update(requests=invocations, busy_instance_seconds=busy)
    if invocations > 0:
        result.assumptions.append(busy_explanation(ctx.name, invocations, spec.duration_ms, spec.concurrency, "invocations"))
    return result
