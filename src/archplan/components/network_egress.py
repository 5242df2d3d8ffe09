"""Internet egress from the project's region (responses to users), Premium tier."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field

from archplan.components.base import ComponentSpec, Usage, UsageContext


class Spec(ComponentSpec):
    category: ClassVar[str] = "network"
    kind: Literal["network_egress"]
    destination: Literal["worldwide", "china", "australia"] = Field(
        default="worldwide", description="where the data goes, for its price: worldwide, china or australia "
                                         "(default worldwide)")
    gb_per_month: Decimal | None = Field(default=None, ge=0, description="internet egress a month, GB (default: "
                                                                         "the traffic model's responses, with "
                                                                         "traffic_share)")
    traffic_share: Decimal | None = Field(default=None, ge=0, description="share of responses that leave "
                                                                          "from origin (not the CDN)")


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    result = Usage()
    if spec.gb_per_month is not None:
        if spec.traffic_share is not None:
            raise ctx.error("traffic_share", "give either gb_per_month or traffic_share, not both")
        egress = spec.gb_per_month
    else:
        egress = ctx.response_gib(ctx.requests(None, spec.traffic_share, result, key="gb_per_month"),
                                  "gb_per_month")
    result.quantities["egress_gb"] = egress
    return result
