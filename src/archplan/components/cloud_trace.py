"""Cloud Trace: spans ingested."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field

from archplan.components.base import ComponentSpec, Usage, UsageContext


class Spec(ComponentSpec):
    category: ClassVar[str] = "operations"
    kind: Literal["cloud_trace"]
    regional: ClassVar[bool] = False
    spans_per_month: Decimal = Field(ge=0, description="spans ingested a month")


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    return Usage()
