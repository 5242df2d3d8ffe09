"""Cloud Storage buckets: storage by class and location, operations, retrieval, egress."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from archplan.components.base import ComponentSpec, Strict, Usage, UsageContext

MULTI_REGIONS = ("asia", "eu", "us")
DUAL_REGIONS = ("asia1", "eur4", "nam4")


class LifecycleRule(Strict):
    action: Literal["delete", "set_storage_class"]
    age_days: int = Field(ge=0)
    storage_class: Literal["nearline", "coldline", "archive"] | None = None
    noncurrent_only: bool = False

    @model_validator(mode="after")
    def _class_for_transition(self) -> "LifecycleRule":
        if (self.action == "set_storage_class") != (self.storage_class is not None):
            raise ValueError("set_storage_class needs storage_class; delete takes none")
        return self


class Spec(ComponentSpec):
    category: ClassVar[str] = "data"
    kind: Literal["cloud_storage"]
    location_field: ClassVar[str | None] = "location"
    storage_class: Literal["standard", "nearline", "coldline", "archive"] = "standard"
    location_type: Literal["region", "dual-region", "multi-region"]
    location: str | None = Field(default=None, description="region (default: the project's), multi-region "
                                                            "(asia, eu, us) or dual-region (asia1, eur4, nam4)")
    storage_gb: Decimal = Field(ge=0, description="mean data stored in the month")
    noncurrent_gb: Decimal = Field(default=Decimal(0), ge=0, description="older object versions kept "
                                                                        "(with versioning)")
    class_a_ops_per_month: Decimal = Field(default=Decimal(0), ge=0, description="writes and lists")
    class_b_ops_per_month: Decimal = Field(default=Decimal(0), ge=0, description="reads")
    retrieval_gb_per_month: Decimal = Field(default=Decimal(0), ge=0, description="reads of nearline, "
                                                                                 "coldline or archive data")
    egress_gb_per_month: Decimal = Field(default=Decimal(0), ge=0, description="served to the internet "
                                                                               "directly (not via CDN)")
    turbo_replication: bool = Field(default=False, description="dual-region only: the 15-minute "
                                                               "replication objective (priced per GiB)")
    versioning: bool = False
    public: bool = False
    lifecycle_rules: list[LifecycleRule] = Field(default_factory=list)
    retention_days: int | None = Field(default=None, ge=1, description="bucket retention policy")

    @model_validator(mode="after")
    def _location(self) -> "Spec":
        if self.location_type == "multi-region" and self.location not in MULTI_REGIONS:
            raise ValueError(f"a multi-region bucket needs location: one of {', '.join(MULTI_REGIONS)}")
        if self.location_type == "dual-region" and self.location not in DUAL_REGIONS:
            raise ValueError(f"a dual-region bucket needs location: one of {', '.join(DUAL_REGIONS)}")
        if self.turbo_replication and self.location_type != "dual-region":
            raise ValueError("turbo_replication is for dual-region buckets")
        if self.noncurrent_gb and not self.versioning:
            raise ValueError("noncurrent_gb needs versioning: true")
        if self.retrieval_gb_per_month and self.storage_class == "standard":
            raise ValueError("retrieval fees apply only to nearline, coldline and archive")
        return self


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    return Usage({"storage_gb": spec.storage_gb + spec.noncurrent_gb})
