"""BigQuery on-demand analysis and logical storage."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from archplan.components._common import check_location, lower_location
from archplan.components.base import ComponentSpec, Usage, UsageContext


class Spec(ComponentSpec):
    category: ClassVar[str] = "data"
    kind: Literal["bigquery"]
    location_field: ClassVar[str | None] = "location"
    active_storage_gb: Decimal = Field(ge=0, description="tables changed in the last 90 days")
    long_term_storage_gb: Decimal = Field(default=Decimal(0), ge=0, description="tables not changed for 90 days "
                                                                                "(default 0)")
    query_tib_per_month: Decimal = Field(ge=0, description="bytes scanned by on-demand queries")
    location: str | None = Field(default=None, description="dataset location: a region, or the multi-region "
                                                           "us or eu (default: the project's region)")


    _lower_location = field_validator("location", mode="before")(lower_location)

    @model_validator(mode="after")
    def _location_offered(self) -> "Spec":
        check_location(self.location, "bigquery")
        return self


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    return Usage()
