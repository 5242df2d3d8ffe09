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
    zones: int = Field(default=1, ge=1)
    queries_per_month: Decimal = Field(ge=0)
    visibility: Literal["public", "private"] = "public"


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    return Usage()
