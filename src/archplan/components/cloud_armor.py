"""Cloud Armor security policies on the load balancer."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field

from archplan.components.base import ComponentSpec, Usage, UsageContext


class Spec(ComponentSpec):
    category: ClassVar[str] = "network"
    kind: Literal["cloud_armor"]
    tier: Literal["standard", "enterprise_paygo"] = "standard"
    policies: int = Field(default=1, ge=1)
    rules: int = Field(ge=0, description="rules across all policies")
    requests_per_month: Decimal | None = Field(default=None, ge=0, description="requests evaluated")
    traffic_share: Decimal | None = Field(default=None, ge=0)
    protected_resources: int = Field(default=1, ge=1, description="backend services (Enterprise billing)")
    rate_limit_per_minute: int | None = Field(default=None, ge=1, description="per-client rate-based ban")
    waf_rules: list[str] = Field(default_factory=list, description="preconfigured WAF rules, e.g. sqli, xss")


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    result = Usage()
    result.quantities["requests"] = ctx.requests(spec.requests_per_month, spec.traffic_share, result)
    return result
