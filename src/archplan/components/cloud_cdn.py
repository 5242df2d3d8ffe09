"""Cloud CDN: cache lookups, cache egress by destination, cache fill."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from archplan.components.base import ComponentSpec, Usage, UsageContext


class Spec(ComponentSpec):
    category: ClassVar[str] = "network"
    kind: Literal["cloud_cdn"]
    regional: ClassVar[bool] = False
    destination: Literal["asia_pacific", "north_america", "europe", "south_america", "oceania"] = Field(
        description="where most viewers are (CDN egress is priced by destination)")
    requests_per_month: Decimal | None = Field(default=None, ge=0, description="cache lookups")
    traffic_share: Decimal | None = Field(default=None, ge=0, description="lookups per user request")
    cache_hit_ratio: Decimal = Field(ge=0, le=1, description="share of lookups served from cache")
    egress_gb_per_month: Decimal | None = Field(default=None, ge=0, description="served from the CDN")
    avg_object_kib: Decimal | None = Field(default=None, gt=0, description="mean object size, to derive egress")
    invalidations_per_month: Decimal = Field(default=Decimal(0), ge=0, description="cache invalidations a month "
                                                                                   "(default 0)")
    load_balancer: str | None = Field(default=None, description="the load_balancer component it caches for")

    references: ClassVar[tuple[str, ...]] = ("load_balancer",)
    reference_kinds: ClassVar[dict[str, tuple[str, ...]]] = {"load_balancer": ("load_balancer",)}

    def plan_problems(self, name: str, specs: dict) -> list[tuple[tuple, str]]:
        from archplan.components.load_balancer import attached_to

        if attached_to(specs, name) is not None:
            return []
        return [(("load_balancer",), "Cloud CDN serves through a load balancer: set load_balancer or depend on a "
                                     "load_balancer component")]

    @model_validator(mode="after")
    def _egress_source(self) -> "Spec":
        if self.egress_gb_per_month is not None and self.avg_object_kib is not None:
            raise ValueError("give egress_gb_per_month or avg_object_kib, not both")
        return self


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    result = Usage()
    lookups = ctx.requests(spec.requests_per_month, spec.traffic_share, result, "CDN lookups")
    if spec.egress_gb_per_month is not None:
        egress = spec.egress_gb_per_month
    elif spec.avg_object_kib is not None:
        egress = lookups * spec.avg_object_kib / (1024 * 1024)
    else:
        egress = ctx.response_gib(lookups, "egress_gb_per_month")
    result.quantities.update(lookups=lookups, egress_gb=egress, cache_fill_gb=egress * (1 - spec.cache_hit_ratio))
    return result
