"""External HTTPS load balancer (global external Application Load Balancer)."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field

from archplan.components.base import ComponentSpec, Usage, UsageContext


class Spec(ComponentSpec):
    category: ClassVar[str] = "network"
    kind: Literal["load_balancer"]
    regional: ClassVar[bool] = False
    scheme: Literal["external_https"] = "external_https"
    forwarding_rules: int = Field(default=1, ge=1, description="one per frontend (HTTPS; add one for an "
                                                               "HTTP-to-HTTPS redirect)")
    data_processed_gb_per_month: Decimal | None = Field(default=None, ge=0,
                                                        description="request plus response bytes")
    traffic_share: Decimal | None = Field(default=None, ge=0)
    domains: list[str] = Field(default_factory=list, description="hostnames for the managed certificate")
    failover: Literal["active-active", "active-passive"] | None = Field(
        default=None, description="how backends in different regions share traffic: active-active (all "
                                  "serve; the load balancer drops an unhealthy region) or active-passive "
                                  "(the first backend serves; the others take over on failure)")
    failover_trigger: Literal["automatic", "manual"] = Field(
        default="automatic", description="active-passive: health checks switch over, or an operator does")
    failover_minutes: Decimal | None = Field(
        default=None, gt=0, description="time until traffic reaches the surviving region (default: "
                                        "archplan's stated assumption for the trigger)")


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    result = Usage()
    if spec.data_processed_gb_per_month is not None:
        if spec.traffic_share is not None:
            raise ctx.error("traffic_share", "give either data_processed_gb_per_month or traffic_share, not both")
        processed = spec.data_processed_gb_per_month
    else:
        requests = ctx.requests(None, spec.traffic_share, result,
                                key="data_processed_gb_per_month")
        processed = ctx.request_gib(requests, "data_processed_gb_per_month") + \
            ctx.response_gib(requests, "data_processed_gb_per_month")
    result.quantities["data_processed_gb"] = processed
    return result
