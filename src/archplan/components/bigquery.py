"""BigQuery on-demand analysis, logical storage and data ingestion (Storage Write API, legacy insertAll)."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from archplan.components._common import check_location, lower_location
from archplan.components.base import ComponentSpec, Strict, Usage, UsageContext


class BigQueryStreaming(Strict):
    """Rows streamed into the dataset's tables: the volume as GiB, or as rows and their average size."""

    api: Literal["storage_write", "legacy_insert_all"] = Field(
        description="storage_write: the Storage Write API (gRPC), priced per GiB after a free allowance a month; "
                    "legacy_insert_all: tabledata.insertAll streaming inserts (which Google now also calls the "
                    "Storage Write API (REST)), priced per 200 MiB with each row counted as at least 1 KB")
    gib_per_month: Decimal | None = Field(
        default=None, ge=0, description="GiB (2^30 bytes) written a month; or give rows_per_month and avg_row_bytes "
                                        "(needed for insertAll's 1 KB minimum per row to apply)")
    rows_per_month: Decimal | None = Field(
        default=None, ge=0, description="rows written a month, with avg_row_bytes (instead of gib_per_month)")
    avg_row_bytes: Decimal | None = Field(
        default=None, gt=0, description="average size of a row as written, in bytes, with rows_per_month; "
                                        "legacy_insert_all bills a smaller row as 1,024 bytes")

    @model_validator(mode="after")
    def _one_volume(self) -> "BigQueryStreaming":
        by_rows = self.rows_per_month is not None or self.avg_row_bytes is not None
        if self.gib_per_month is not None and by_rows:
            raise ValueError("give gib_per_month, or rows_per_month with avg_row_bytes, not both")
        if by_rows and (self.rows_per_month is None or self.avg_row_bytes is None):
            raise ValueError("rows_per_month and avg_row_bytes go together: give both")
        if self.gib_per_month is None and not by_rows:
            raise ValueError("give the volume streamed: gib_per_month, or rows_per_month with avg_row_bytes")
        return self


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
    streaming: BigQueryStreaming | None = Field(
        default=None, description="data streamed in a month, by API (default: none); priced in the dataset's "
                                  "location")
    batch_load_gib_per_month: Decimal | None = Field(
        default=None, ge=0, description="GiB loaded a month by batch load jobs: free on the shared slot pool, so "
                                        "not priced; the cost report says so (default: none declared)")

    _lower_location = field_validator("location", mode="before")(lower_location)

    @model_validator(mode="after")
    def _location_offered(self) -> "Spec":
        check_location(self.location, "bigquery")
        return self


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    assumptions = []
    if spec.batch_load_gib_per_month is not None:
        from archplan import catalog  # only a plan that declares batch loading reads the catalog here

        free = catalog.service("bigquery").fact("batch_loading_usd_per_gib")
        assumptions.append(f"{ctx.name}: batch loading {spec.batch_load_gib_per_month:,f} GiB a month: free, not "
                           f"priced (load jobs on the shared slot pool; {free.source}, {free.date})")
    return Usage(assumptions=assumptions)
