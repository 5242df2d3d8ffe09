"""Cloud DNS managed zones and queries."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field

from archplan.components.base import ComponentSpec, Usage, UsageContext


class Spec(ComponentSpec):
    category: ClassVar[str] = "network"
    kind: Literal["cloud_dns"]
    regional: ClassVar[bool] = False
    zones: int = Field(default=1, ge=1, description="managed zones priced (default 1; the Terraform writes one)")
    queries_per_month: Decimal = Field(ge=0, description="DNS queries a month")
    visibility: Literal["public", "private"] = Field(
        default="public", description="public (DNSSEC on, A records for the load balancers' domains) or "
                                      "private (resolved in the plan's network only); default public")


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    return Usage()
