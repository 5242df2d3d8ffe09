"""Fields `archplan simulate` reads, shared by request-serving kinds (Cloud Run, Cloud Functions, GKE
deployments). Every one has a default, so plans written before simulation stay valid."""
from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from archplan.components.base import Strict

ServiceTimeDistribution = Literal["exponential", "lognormal", "fixed"]


class ServiceTimeFields(Strict):
    service_time_distribution: ServiceTimeDistribution = Field(
        default="exponential", description="simulate: how the time to serve one request varies around its mean "
                                           "(exponential, as check's M/M/c; lognormal needs service_time_p95_ms; "
                                           "fixed)")
    service_time_p95_ms: Decimal | None = Field(
        default=None, gt=0, description="simulate: 95th percentile of the service time (lognormal)")
    startup_ms: Decimal | None = Field(
        default=None, ge=0, description="simulate: cold start, from a new instance's creation to its first "
                                        "request (measured, with the startup CPU boost setting in use)")
    cpu_ms_per_request: Decimal | None = Field(
        default=None, ge=0, description="simulate: CPU time one request uses (for the CPU autoscaling target; "
                                        "omitted: scaling follows concurrency only)")
    redis_ops_per_request: Decimal | None = Field(
        default=None, ge=0, description="simulate: commands one request sends, one after another, to each "
                                        "Memorystore (Redis, Redis Cluster, Valkey) it depends on (unset: 1)")

    def mean_service_ms(self) -> Decimal | None:  # each kind names its mean differently
        return None

    @model_validator(mode="after")
    def _distribution_needs(self):
        mean = self.mean_service_ms()
        if self.service_time_distribution == "lognormal":
            if self.service_time_p95_ms is None:
                raise ValueError("service_time_distribution lognormal needs service_time_p95_ms")
            if mean is not None and self.service_time_p95_ms <= mean:
                raise ValueError(f"service_time_p95_ms ({self.service_time_p95_ms}) must be above the mean "
                                 f"service time ({mean} ms) for a lognormal distribution")
        elif self.service_time_p95_ms is not None:
            raise ValueError("service_time_p95_ms goes with service_time_distribution: lognormal")
        return self


class ServerlessScalingFields(Strict):
    target_cpu_utilization: Decimal = Field(
        default=Decimal("0.6"), gt=0, le=1, description="simulate: Cloud Run's CPU scaling target (default 60%)")
    target_concurrency_utilization: Decimal = Field(
        default=Decimal("0.6"), gt=0, le=1, description="simulate: Cloud Run's concurrency scaling target "
                                                         "(default 60% of concurrency)")
    idle_instance_retention_s: Decimal = Field(
        default=Decimal(900), ge=0, le=3600, description="simulate: how long an idle instance above the "
                                                         "minimum is kept before it is removed (Cloud Run keeps "
                                                         "them up to 15 minutes)")
