"""Firestore (native mode): document reads, writes, deletes and stored data; Standard or Enterprise edition.

Enterprise edition bills tranched units instead of documents (docs.cloud.google.com/firestore/native/docs/
usage-insights): a read unit per 4 KiB of each document read, a write unit per 1 KiB of each document written
or deleted, and a real-time update unit per 4 KiB of each update a listener receives."""
from __future__ import annotations

from decimal import ROUND_CEILING, Decimal
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from archplan.components._common import COMMITMENT_FIELD, Commitment, check_location
from archplan.components.base import ComponentSpec, Usage, UsageContext

READ_TRANCHE_KIB = Decimal(4)
WRITE_TRANCHE_KIB = Decimal(1)


class Spec(ComponentSpec):
    category: ClassVar[str] = "data"
    kind: Literal["firestore"]
    location_field: ClassVar[str | None] = "location"
    location: str | None = Field(default=None, description="region or multi-region (default: the project's region)")
    edition: Literal["standard", "enterprise"] = Field(
        default="standard", description="standard: billed per document; enterprise: billed per read unit (4 KiB) "
                                        "and write unit (1 KiB), SSD storage")
    stored_gb: Decimal = Field(ge=0, description="data stored, GB")
    reads_per_month: Decimal = Field(ge=0, description="document reads a month")
    writes_per_month: Decimal = Field(ge=0, description="document writes a month")
    deletes_per_month: Decimal = Field(default=Decimal(0), ge=0, description="document deletes a month (default 0)")
    commitment: Commitment = COMMITMENT_FIELD
    pitr: bool = Field(default=True, description="point-in-time recovery: 7 days of versions at one per minute, "
                                                 "billed as PITR storage of the database's size (default on)")
    avg_document_kib: Decimal | None = Field(
        default=None, gt=0, le=1024, description="Enterprise edition: mean size of a document read or written, KiB "
                                                 "(required there: it sets the units billed; at most 1 MiB)")
    index_kib_per_write: Decimal = Field(
        default=Decimal(0), ge=0, description="Enterprise edition: index entries written with each document, KiB "
                                              "(billed as write units; default 0, said in the report)")
    realtime_updates_per_month: Decimal = Field(
        default=Decimal(0), ge=0, description="Enterprise edition: document changes delivered to real-time "
                                              "listeners a month (default 0)")

    @model_validator(mode="after")
    def _location_offered(self) -> "Spec":
        check_location(self.location, "firestore")
        return self

    @model_validator(mode="after")
    def _edition_fields(self) -> "Spec":
        if self.edition == "enterprise" and self.commitment != "none":
            raise ValueError("Firestore's committed-use discount is for Standard edition's reads, writes and deletes "
                             "(docs.cloud.google.com/firestore/docs/cuds); no source read says Enterprise edition's "
                             "units are eligible: leave commitment out")
        if self.edition == "enterprise" and self.avg_document_kib is None:
            raise ValueError("edition enterprise bills 4 KiB read units and 1 KiB write units: set avg_document_kib")
        if self.edition == "standard":
            extra = [name for name in ("avg_document_kib", "realtime_updates_per_month", "index_kib_per_write")
                     if getattr(self, name)]
            if extra:
                raise ValueError(f"{', '.join(extra)} only apply to edition: enterprise (Standard edition bills "
                                 "per document)")
        return self


def units(kib: Decimal, tranche: Decimal) -> Decimal:
    """Tranches a document of `kib` KiB counts for: at least one, rounded up."""
    return max(Decimal(1), (kib / tranche).to_integral_value(ROUND_CEILING))


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    if spec.edition != "enterprise":
        return Usage()
    kib = spec.avg_document_kib
    per_read, per_write = units(kib, READ_TRANCHE_KIB), units(kib, WRITE_TRANCHE_KIB)
    index_units = (spec.index_kib_per_write / WRITE_TRANCHE_KIB).to_integral_value(ROUND_CEILING)
    documents_written = spec.writes_per_month + spec.deletes_per_month
    quantities = {
        "read_units": spec.reads_per_month * per_read,
        "write_units": documents_written * per_write + spec.writes_per_month * index_units,
        "realtime_units": spec.realtime_updates_per_month * per_read,
    }
    assumptions = [
        f"{ctx.name}: Enterprise edition units: reads {spec.reads_per_month:,.0f} x {per_read} read unit(s) "
        f"(ceil({kib:f} KiB / 4 KiB)) = {quantities['read_units']:,.0f}; writes and deletes "
        f"{documents_written:,.0f} x {per_write} write unit(s) (ceil({kib:f} KiB / 1 KiB))"
        + (f" + {spec.writes_per_month:,.0f} writes x {index_units} index write unit(s) "
           f"(ceil({spec.index_kib_per_write:f} KiB / 1 KiB))" if index_units else "")
        + f" = {quantities['write_units']:,.0f}"
        + (f"; real-time updates {spec.realtime_updates_per_month:,.0f} x {per_read} unit(s) = "
           f"{quantities['realtime_units']:,.0f}" if spec.realtime_updates_per_month else ""),
    ]
    if not index_units:
        assumptions.append(f"{ctx.name}: index entries written with each document are not counted "
                           "(index_kib_per_write: 0); each KiB of them is one more write unit")
    return Usage(quantities=quantities, assumptions=assumptions)
