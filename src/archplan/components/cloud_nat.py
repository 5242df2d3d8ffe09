"""Cloud NAT gateway: per VM-hour (up to 32 VMs) and per GB processed."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field

from archplan.components.base import ComponentSpec, Usage, UsageContext


class Spec(ComponentSpec):
    category: ClassVar[str] = "network"
    kind: Literal["cloud_nat"]
    gateways: int = Field(default=1, ge=1, description="NAT gateways priced (default 1; the Terraform writes "
                                                       "one)")
    vms: int = Field(ge=0, description="VMs or GKE nodes using each gateway")
    ip_addresses: int | None = Field(default=None, ge=1, description="external IPs the gateways use (default: "
                                                                    "one per gateway, as automatic allocation starts)")
    data_processed_gb_per_month: Decimal = Field(ge=0, description="data through the gateways a month, GB")


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    return Usage()
