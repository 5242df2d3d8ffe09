"""Compute Engine virtual machines."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from archplan.components._common import COMMITMENT_FIELD, Commitment, check_machine_type
from archplan.components.base import HOURS_PER_MONTH, ComponentSpec, UrlPath, Usage, UsageContext

# A component of this kind as a plan would state it (used by the every-kind, every-region price test).
EXAMPLE = {"kind": "compute_engine", "machine_type": "e2-standard-2", "count": 2, "external_ip": True}


class Spec(ComponentSpec):
    def only_inside_vpc(self) -> bool:
        return True  # a VM serves on its internal address (its ports are not opened to the internet)

    category: ClassVar[str] = "compute"
    kind: Literal["compute_engine"]
    machine_type: str = Field(description="e.g. e2-standard-2")
    count: int = Field(default=1, ge=0, description="number of identical VMs (default 1)")
    hours_per_month: Decimal = Field(default=HOURS_PER_MONTH, gt=0, le=HOURS_PER_MONTH,
                                     description="hours each VM runs a month, priced (default 730: all month); "
                                                 "the Terraform does not stop the VMs")
    spot: bool = Field(default=False, description="Spot VMs: Spot price, may be preempted (stop on preemption); "
                                                  "not with a commitment (default false: standard VMs)")
    commitment: Commitment = COMMITMENT_FIELD
    disk_gb: int = Field(default=10, ge=10, description="boot disk per VM (GCP default 10)")
    disk_type: Literal["pd-standard", "pd-balanced", "pd-ssd"] = Field(
        default="pd-balanced", description="boot disk type: pd-standard, pd-balanced or pd-ssd (default pd-balanced)")
    external_ip: bool = Field(default=False, description="give each VM an external IP address, priced per VM hour "
                                                         "(default false: internal address only)")
    port: int | None = Field(default=None, ge=1, le=65535, description="port the VMs serve on when a load "
                                                                         "balancer routes to them (default 80, or "
                                                                         "443 when its edge to them says HTTPS)")
    health_check_path: UrlPath | None = Field(default=None, description="HTTP path the load balancer's "
                                                                                    "health check requests (default: "
                                                                                    "a TCP check on port)")

    @model_validator(mode="after")
    def _commitment(self) -> "Spec":
        if self.commitment != "none" and self.spot:
            raise ValueError("a Spot VM cannot also use a commitment")
        if self.commitment != "none" and self.hours_per_month != HOURS_PER_MONTH:
            raise ValueError("a commitment is paid for all 730 hours; drop hours_per_month")
        return self


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    check_machine_type(spec.machine_type, ctx, "machine_type")
    return Usage({"instance_hours": spec.count * spec.hours_per_month})
