"""Firestore (native mode): document reads, writes, deletes and stored data."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from archplan.components._common import check_location
from archplan.components.base import ComponentSpec, Usage, UsageContext


class Spec(ComponentSpec):
    category: ClassVar[str] = "data"
    kind: Literal["firestore"]
    location_field: ClassVar[str | None] = "location"
    location: str | None = Field(default=None, description="region or multi-region (default: the project's region)")
    stored_gb: Decimal = Field(ge=0, description="data stored, GB")
    reads_per_month: Decimal = Field(ge=0, description="document reads a month")
    writes_per_month: Decimal = Field(ge=0, description="document writes a month")
    deletes_per_month: Decimal = Field(default=Decimal(0), ge=0, description="document deletes a month (default 0)")


    @model_validator(mode="after")
    def _location_offered(self) -> "Spec":
        check_location(self.location, "firestore")
        return self


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    return Usage()
