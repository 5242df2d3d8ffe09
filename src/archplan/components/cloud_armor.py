"""Cloud Armor security policies on the load balancer."""
from __future__ import annotations

from decimal import Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import Field, StringConstraints

from archplan.components.base import ComponentSpec, Usage, UsageContext


WAF_RULE_SETS = ("sqli", "xss", "lfi", "rfi", "rce", "scannerdetection", "protocolattack", "sessionfixation",
                 "methodenforcement", "php", "java", "nodejs", "cve-canary")
WafRule = Annotated[str, StringConstraints(pattern=rf"^({'|'.join(WAF_RULE_SETS)})(-v[0-9]+-(stable|canary))?$")]


class Spec(ComponentSpec):
    category: ClassVar[str] = "network"
    kind: Literal["cloud_armor"]
    regional: ClassVar[bool] = False
    tier: Literal["standard", "enterprise_paygo"] = "standard"
    policies: int = Field(default=1, ge=1)
    rules: int = Field(ge=0, description="rules across all policies")
    requests_per_month: Decimal | None = Field(default=None, ge=0, description="requests evaluated")
    traffic_share: Decimal | None = Field(default=None, ge=0)
    protected_resources: int = Field(default=1, ge=1, description="backend services (Enterprise billing)")
    rate_limit_per_minute: int | None = Field(default=None, ge=1, description="per-client rate-based ban")
    waf_rules: list[WafRule] = Field(default_factory=list, description="preconfigured WAF rule sets, e.g. sqli "
                                                                       "or sqli-v33-stable")
    adaptive_protection: bool = False
    allowed_countries: list[str] = Field(default_factory=list, description="ISO codes; empty = all")
    load_balancer: str | None = Field(default=None, description="the load_balancer component it protects")

    references: ClassVar[tuple[str, ...]] = ("load_balancer",)


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    result = Usage()
    result.quantities["requests"] = ctx.requests(spec.requests_per_month, spec.traffic_share, result)
    return result
