"""What API Gateway and Cloud Endpoints share: both are billed by API calls (Service Control tracked
operations), taken from the plan or from its traffic model."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from pydantic import Field

from archplan.components.base import ComponentSpec, Strict, Usage, UsageContext


class Route(Strict):
    path: str = Field(pattern=r"^/[A-Za-z0-9_./{}-]*$", description="URL path, e.g. /v1/orders/{id}")
    methods: list[str] = Field(default_factory=lambda: ["GET", "POST"], description="HTTP methods")


class ApiSpec(ComponentSpec):
    category: ClassVar[str] = "network"
    calls_per_month: Decimal | None = Field(default=None, ge=0, description="API calls a month")
    traffic_share: Decimal | None = Field(default=None, ge=0, le=1,
                                          description="share of the plan's requests that pass through the API")
    routes: list[Route] = Field(default_factory=lambda: [Route(path="/")],
                                description="paths the API serves (for the generated OpenAPI document)")
    api_key_required: bool = Field(default=False, description="callers must send an API key")


def usage(spec: ApiSpec, ctx: UsageContext) -> Usage:
    result = Usage()
    result.quantities["calls"] = ctx.requests(spec.calls_per_month, spec.traffic_share, result,
                                              what="API calls", key="calls_per_month")
    return result
