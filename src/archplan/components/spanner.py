"""Cloud Spanner: one instance with its compute capacity (processing units, 1,000 to a node) in a regional
or a named multi-region instance configuration, and the data its databases store."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from archplan.components._common import COMMITMENT_FIELD, Commitment, check_location
from archplan.components.base import HOURS_PER_MONTH, ComponentSpec, Usage, UsageContext

EXAMPLE = {"kind": "spanner", "processing_units": 1000, "storage_gib": 100}

Edition = Literal["STANDARD", "ENTERPRISE", "ENTERPRISE_PLUS"]
# The point-in-time recovery window the generated database keeps (version_retention_period: 1 h to 7 days).
VERSION_RETENTION_DAYS = 7


def granularity_error(units: int) -> str | None:
    """Spanner's compute-capacity steps (catalog spanner.facts.pu_step_*): multiples of 100 processing units
    below one node, multiples of 1,000 from one node up."""
    if units < 100:
        return "processing_units must be at least 100"
    if units < 1000 and units % 100:
        return f"processing_units {units}: below 1,000, Spanner takes multiples of 100 (e.g. {units // 100 * 100 or 100})"
    if units >= 1000 and units % 1000:
        lower = units // 1000 * 1000
        return f"processing_units {units}: from 1,000 up, Spanner takes multiples of 1,000 ({lower} or {lower + 1000})"
    return None


def storage_limit_gib(units: int) -> Decimal:
    """The data an instance may hold (catalog spanner.facts.storage_gib_per_100_pu / storage_gib_per_node)."""
    from archplan import catalog

    book = catalog.service("spanner")
    if units < 1000:
        return Decimal(units // 100) * book.fact("storage_gib_per_100_pu").decimal
    return Decimal(units // 1000) * book.fact("storage_gib_per_node").decimal


def multi_region(config: str | None) -> bool:
    from archplan import catalog

    return config is not None and config in catalog.locations()


class Spec(ComponentSpec):
    category: ClassVar[str] = "data"
    kind: Literal["spanner"]
    location_field: ClassVar[str | None] = "config"
    config: str | None = Field(default=None, description="instance configuration: a region (regional-<region> "
                                                         "also accepted) or a multi-region such as nam3, eur3 "
                                                         "(default: the project's region)")
    nodes: int | None = Field(default=None, ge=1, description="compute capacity in nodes (1 node = 1,000 "
                                                              "processing units); give this or processing_units")
    processing_units: int | None = Field(default=None, ge=1, description="compute capacity in processing units: "
                                                                         "multiples of 100 below 1,000, of 1,000 above")
    edition: Edition = Field(default="STANDARD", description="Spanner edition; multi-region configurations "
                                                             "need ENTERPRISE_PLUS")
    storage_gib: Decimal = Field(default=Decimal(0), ge=0, description="data the databases store (GiB)")
    commitment: Commitment = COMMITMENT_FIELD
    storage_usd_per_gib_month: Decimal | None = Field(
        default=None, gt=0, description="Spanner storage price per GiB-month of data (all replicas), as stated by "
                                        "the plan; overrides the catalog's SSD figure (default: the catalog's, per "
                                        "GiB-month per replica x the configuration's read-write replicas)")
    storage_price_source: str | None = Field(default=None, max_length=200,
                                             description="where the stated storage price comes from")
    database: str = Field(default="app", pattern=r"^[a-z][a-z0-9_-]{0,28}[a-z0-9]$", description="database name")
    database_dialect: Literal["GOOGLE_STANDARD_SQL", "POSTGRESQL"] = Field(
        default="GOOGLE_STANDARD_SQL", description="the database's SQL dialect: GOOGLE_STANDARD_SQL or POSTGRESQL "
                                                   "(default GOOGLE_STANDARD_SQL)")

    @field_validator("config")
    @classmethod
    def _regional_prefix(cls, value: str | None) -> str | None:
        """Terraform's and gcloud's name of a regional configuration (regional-us-central1) is its region."""
        return value[len("regional-"):] if value is not None and value.startswith("regional-") else value

    @model_validator(mode="after")
    def _capacity(self) -> "Spec":
        check_location(self.config, "spanner")
        if (self.nodes is None) == (self.processing_units is None):
            raise ValueError("give one of nodes or processing_units (1 node = 1,000 processing units)")
        problem = granularity_error(self.units)
        if problem:
            raise ValueError(problem)
        if multi_region(self.config) and self.edition != "ENTERPRISE_PLUS":
            raise ValueError(f"multi-region configuration {self.config} needs edition ENTERPRISE_PLUS (Spanner "
                             "offers multi-region configurations only in that edition)")
        limit = storage_limit_gib(self.units)
        if self.storage_gib > limit:
            raise ValueError(f"storage_gib {self.storage_gib:,} is over what {self.units:,} processing units may hold "
                             f"({limit:,} GiB: 1,024 GiB per 100 below one node, 10 TiB per node); add capacity")
        return self

    @property
    def units(self) -> int:
        return self.processing_units if self.processing_units is not None else self.nodes * 1000



def usage(spec: Spec, ctx: UsageContext) -> Usage:
    assumptions = []  # the catalog prices' sources are the pricer's notes: they depend on the region
    if spec.storage_gib > 0 and spec.storage_usd_per_gib_month is not None:
        assumptions.append(f"Spanner storage: {spec.storage_usd_per_gib_month} USD per GiB-month as the plan states "
                           f"({spec.storage_price_source or 'no source given'}), instead of the catalog's figure")
    return Usage({"node_hours": Decimal(spec.units) / 1000 * HOURS_PER_MONTH, "storage_gib": spec.storage_gib},
                 assumptions)
