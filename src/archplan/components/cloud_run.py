"""Cloud Run services: request-based or instance-based billing, min instances, requests."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from archplan.components._simulation import ServerlessScalingFields, ServiceTimeFields
from archplan.components._workload import WorkloadFields
from archplan.components.base import ComponentSpec, Usage, UsageContext
from archplan.spec.units import Cpu, MemoryGiB
from archplan.components._serverless import busy_explanation, busy_instance_seconds

# A component of this kind as a plan would state it (the every-kind, every-region price test; kinds that
# name a Cloud Run service name this one).
EXAMPLE = {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 100, "traffic_share": 1}


class Spec(WorkloadFields, ServiceTimeFields, ServerlessScalingFields, ComponentSpec):
    category: ClassVar[str] = "compute"
    kind: Literal["cloud_run"]
    other_names: ClassVar[dict[str, str]] = {
        "min_instance_count": "min_instances", "max_instance_count": "max_instances", "min_scale": "min_instances",
        "max_scale": "max_instances", "max_instance_request_concurrency": "concurrency",
        "container_concurrency": "concurrency", "service_account": "service_account_roles",
        "container_port": "port", "cpu_idle": "cpu_allocation"}
    cpu: Cpu = Field(description="vCPU per instance, e.g. 1 or 250m")
    memory: MemoryGiB = Field(description="memory per instance, e.g. 512Mi or 2Gi")
    min_instances: int = Field(default=0, ge=0, le=1000, description="instances kept warm (GCP default 0)")
    max_instances: int = Field(default=100, ge=1, le=10000, description="scaling cap (GCP default 100)")
    concurrency: int = Field(default=80, ge=1, le=1000, description="requests per instance (GCP default 80)")
    cpu_allocation: Literal["request", "always"] = Field(
        default="request", description="request: CPU only during requests (request-based billing); "
                                       "always: CPU always allocated (instance-based billing)")
    request_duration_ms: Decimal = Field(gt=0, description="mean time to serve one request")
    requests_per_month: Decimal | None = Field(default=None, ge=0, description="requests a month (default: "
                                                                               "derived from the traffic model, with "
                                                                               "traffic_share)")
    traffic_share: Decimal | None = Field(default=None, ge=0,
                                          description="requests per user request of the traffic model (1 = all)")
    avg_instances: Decimal | None = Field(default=None, ge=0, description="instance-based billing: mean "
                                                                          "instances alive, if known")
    ingress: Literal["all", "internal", "internal-and-cloud-load-balancing"] = Field(
        default="all", description="who may reach the service's URL (GCP default all)")
    allow_unauthenticated: bool = Field(default=False, description="grant roles/run.invoker to allUsers")
    vpc_egress: Literal["none", "private-ranges-only", "all-traffic"] = Field(
        default="none", description="Direct VPC egress, to reach private IPs such as Cloud SQL or Redis")
    timeout_seconds: int = Field(default=300, ge=1, le=3600, description="request timeout (GCP default 300)")
    gpu: int = Field(default=0, ge=0, le=1, description="GPUs per instance (Cloud Run attaches at most one)")
    gpu_type: Literal["nvidia-l4"] = Field(default="nvidia-l4", description="GPU type (L4, the one priced)")
    gpu_zonal_redundancy: bool = Field(
        default=True, description="GPU capacity kept for zonal failover (GCP default on); off is cheaper, best effort")

    def mean_service_ms(self) -> Decimal:
        return self.request_duration_ms

    @model_validator(mode="after")
    def _sizes(self) -> "Spec":
        if self.min_instances > self.max_instances:
            raise ValueError(f"min_instances ({self.min_instances}) is above max_instances ({self.max_instances})")
        if self.cpu > 8 or self.memory > 32:
            raise ValueError(f"at most 8 vCPU and 32Gi per instance (got cpu {self.cpu}, memory {self.memory} GiB)")
        # Cloud Run's CPU floor for memory sizes (docs/limits.md names the page).
        for memory_above, cpu_at_least in ((24, 8), (16, 6), (8, 4), (4, 2)):
            if self.memory > memory_above and self.cpu < cpu_at_least:
                raise ValueError(f"more than {memory_above}Gi of memory needs at least {cpu_at_least} vCPU "
                                 f"(got cpu {self.cpu})")
        if self.cpu < 1 and self.concurrency > 1:
            raise ValueError("Cloud Run needs at least 1 vCPU for concurrency above 1")
        if self.gpu:
            # https://cloud.google.com/run/docs/configuring/services/gpu: instance-based billing, 4 CPU / 16 GiB.
            if self.cpu_allocation != "always":
                raise ValueError("a GPU needs instance-based billing: set cpu_allocation: always")
            if self.cpu < 4 or self.memory < 16:
                raise ValueError(f"an L4 GPU needs at least 4 vCPU and 16Gi (got cpu {self.cpu}, memory {self.memory} GiB)")
        return self


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    result = Usage()
    requests = ctx.requests(spec.requests_per_month, spec.traffic_share, result)
    busy = busy_instance_seconds(requests, spec.request_duration_ms, spec.concurrency)
    result.quantities.update(requests=requests, busy_instance_seconds=busy)
    if requests > 0:
        result.assumptions.append(busy_explanation(ctx.name, requests, spec.request_duration_ms, spec.concurrency, "requests"))
    return result


def outside_callers(service, components) -> list:
    """The components whose requests reach `service` from outside the VPC, which ingress internal (and
    internal-and-cloud-load-balancing) refuses: an API Gateway in front of it, and Cloud Run services, jobs and
    functions that depend on it and whose egress does not go through the VPC
    (cloud.google.com/run/docs/securing/ingress: only then are their requests internal)."""
    found = []
    for caller in components:
        calls = any(d.name == service.name for d in caller.spec.depends_on)
        if caller.kind == "api_gateway" and (calls or caller.spec.backend == service.name):
            found.append(caller)
        elif calls and caller.kind in ("cloud_run", "cloud_run_job", "cloud_functions") \
                and getattr(caller.spec, "vpc_egress", "none") != "all-traffic":
            found.append(caller)
    return found
