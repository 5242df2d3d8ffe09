"""Serverless VPC Access connector: lets Cloud Run and Cloud Functions reach private IPs in the VPC."""
from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, model_validator

from archplan.components.base import ComponentSpec, Usage, UsageContext


class Spec(ComponentSpec):
    category: ClassVar[str] = "network"
    kind: Literal["vpc_connector"]
    machine_type: Literal["e2-micro", "f1-micro", "e2-standard-4"] = Field(
        default="e2-micro", description="instance type (GCP default e2-micro)")
    min_instances: int = Field(default=2, ge=2, le=9, description="always-running instances (at least 2)")
    max_instances: int = Field(default=10, ge=3, le=10, description="scaling cap, 3-10, above min_instances "
                                                                    "(default 10); priced at min_instances")
    ip_cidr_range: str | None = Field(default=None, pattern=r"^[0-9.]+/28$", description="an unused /28 range")

    @model_validator(mode="after")
    def _bounds(self) -> "Spec":
        if self.min_instances >= self.max_instances:
            raise ValueError("max_instances must be above min_instances")
        return self


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    return Usage()
