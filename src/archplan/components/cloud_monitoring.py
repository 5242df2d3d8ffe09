"""Cloud Monitoring: chargeable metric volume and read API calls."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field

from archplan.components.base import ComponentSpec, Usage, UsageContext


class Spec(ComponentSpec):
    category: ClassVar[str] = "operations"
    kind: Literal["cloud_monitoring"]
    regional: ClassVar[bool] = False
    metric_mib_per_month: Decimal = Field(ge=0, description="chargeable (custom, agent, Prometheus) metrics; "
                                                            "GCP system metrics are free")
    api_read_calls_per_month: Decimal = Field(default=Decimal(0), ge=0, description="Monitoring API read calls "
                                                                                    "a month (default 0)")
    uptime_checks: int = Field(default=0, ge=0, description="uptime checks priced (default 0; the Terraform's "
                                                            "come from the plan's slo)")
    uptime_check_period_minutes: Literal[1, 5, 10, 15] = Field(default=1, description="how often each check runs")
    uptime_check_locations: int = Field(default=6, ge=3, le=6, description="checker regions (GCP default: all 6)")
    alert_policies: int = Field(default=0, ge=0, description="alert policies, for the document's checklist (not "
                                                             "priced; the Terraform's come from the plan's slo)")


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    return Usage()
