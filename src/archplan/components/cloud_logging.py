"""Cloud Logging: ingestion (30 days' retention included) and longer retention."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field

from archplan.components.base import DAYS_PER_MONTH, ComponentSpec, Usage, UsageContext


class Spec(ComponentSpec):
    category: ClassVar[str] = "operations"
    kind: Literal["cloud_logging"]
    one_per_project: ClassVar[str | None] = "it sets the retention of the project's one _Default log bucket"
    ingestion_gb_per_month: Decimal = Field(ge=0, description="logs ingested a month, GB")
    retention_days: int = Field(default=30, ge=1, le=3650, description="days the _Default log bucket keeps logs "
                                                                       "(default 30); retention past 30 days is "
                                                                       "priced")
    audit_logs: bool = Field(default=False, description="data-access audit logs enabled")


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    # In steady state a month's logs are kept (retention - 30) days past the included 30: that many days over
    # the days in a month (730 h / 24, as every monthly figure), not over 30.
    extra_months = Decimal(max(0, spec.retention_days - 30)) / DAYS_PER_MONTH
    return Usage({"retained_gb": spec.ingestion_gb_per_month * extra_months})
