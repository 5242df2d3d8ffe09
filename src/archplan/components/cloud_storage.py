"""Cloud Storage buckets: storage by class and location, operations, retrieval, egress."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from archplan.components._common import lower_location
from archplan.components.base import ComponentSpec, Strict, Usage, UsageContext

MULTI_REGIONS = ("asia", "eu", "us")
DUAL_REGIONS = ("asia1", "eur4", "nam4")


class LifecycleRule(Strict):
    action: Literal["delete", "set_storage_class"] = Field(description="delete the objects, or set_storage_class "
                                                                       "(moves them to storage_class)")
    age_days: int = Field(ge=0, description="days after an object's creation (with noncurrent_only: after it "
                                            "became noncurrent) the action applies")
    storage_class: Literal["nearline", "coldline", "archive"] | None = Field(
        default=None, description="set_storage_class only: nearline, coldline or archive")
    noncurrent_only: bool = Field(default=False, description="apply only to older versions of objects (with "
                                                             "versioning; default false: to live objects by age)")

    @model_validator(mode="after")
    def _class_for_transition(self) -> "LifecycleRule":
        if (self.action == "set_storage_class") != (self.storage_class is not None):
            raise ValueError("set_storage_class needs storage_class; delete takes none")
        return self


class Spec(ComponentSpec):
    category: ClassVar[str] = "data"
    kind: Literal["cloud_storage"]
    location_field: ClassVar[str | None] = "location"
    storage_class: Literal["standard", "nearline", "coldline", "archive"] = Field(
        default="standard", description="the bucket's default storage class, which its storage is priced at: "
                                        "standard, nearline, coldline or archive (default standard)")
    location_type: Literal["region", "dual-region", "multi-region"] = Field(
        description="how the bucket is placed; location names the region, dual-region or multi-region")
    location: str | None = Field(default=None, description="region (default: the project's), multi-region "
                                                            "(asia, eu, us) or dual-region (asia1, eur4, nam4; "
                                                            "or the multi-region holding data_locations)")
    data_locations: list[str] | None = Field(
        default=None, description="a configurable dual-region: its two regions, e.g. [asia-south1, "
                                  "asia-southeast1], with location_type dual-region and location the "
                                  "multi-region that holds both (asia, eu, us)")
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
    turbo_premium_usd_per_gib: Decimal | None = Field(
        default=None, gt=0, description="turbo replication's price per GiB written, above default replication, as "
                                        "the plan states it (archplan has no citable figure; see "
                                        "cloud.google.com/storage/pricing). Without it the premium is not priced")
    turbo_premium_source: str | None = Field(default=None, max_length=200,
                                             description="where the stated turbo premium comes from")
    written_gb_per_month: Decimal | None = Field(
        default=None, ge=0, description="new data written a month; in a dual- or multi-region bucket it is "
                                        "replicated between regions and priced per GiB (turbo replication: "
                                        "default storage_gb, a stated assumption)")
    versioning: bool = Field(default=False, description="object versioning: overwritten and deleted objects are "
                                                        "kept as noncurrent versions (noncurrent_gb; default false)")
    public: bool = Field(default=False, description="anyone on the internet may read the objects (allUsers as "
                                                    "object viewer); default false: public access prevention is "
                                                    "enforced unless a load balancer serves the bucket")
    lifecycle_rules: list[LifecycleRule] = Field(
        default_factory=list, description="the bucket's lifecycle rules, generated as written; not priced "
                                          "(storage_gb and noncurrent_gb are the stored data as stated)")
    retention_days: int | None = Field(default=None, ge=1, description="bucket retention policy")

    _lower_location = field_validator("location", "data_locations", mode="before")(lower_location)

    @model_validator(mode="after")
    def _location(self) -> "Spec":
        if self.location_type == "multi-region" and self.location not in MULTI_REGIONS:
            raise ValueError(f"a multi-region bucket needs location: one of {', '.join(MULTI_REGIONS)}")
        if self.data_locations is not None:
            if self.location_type != "dual-region":
                raise ValueError("data_locations makes a configurable dual-region: set location_type: dual-region")
            if len(self.data_locations) != 2 or self.data_locations[0] == self.data_locations[1]:
                raise ValueError("a configurable dual-region has exactly two different data_locations")
            if self.location not in MULTI_REGIONS:
                raise ValueError("a configurable dual-region's location is the multi-region that holds both "
                                 f"data_locations: one of {', '.join(MULTI_REGIONS)}")
        elif self.location_type == "dual-region" and self.location not in DUAL_REGIONS:
            raise ValueError(f"a dual-region bucket needs location: one of {', '.join(DUAL_REGIONS)}, or "
                             "data_locations (two regions) for a configurable one")
        if self.turbo_replication and self.location_type != "dual-region":
            raise ValueError("turbo_replication is for dual-region buckets")
        if self.turbo_premium_usd_per_gib is not None and not self.turbo_replication:
            raise ValueError("turbo_premium_usd_per_gib prices turbo replication: set turbo_replication: true")
        if self.noncurrent_gb and not self.versioning:
            raise ValueError("noncurrent_gb needs versioning: true")
        if self.retrieval_gb_per_month and self.storage_class == "standard":
            raise ValueError("retrieval fees apply only to nearline, coldline and archive")
        return self


    @property
    def placement(self) -> str:
        """Where the data is, in words: the two regions of a configurable dual-region, else the location."""
        return "+".join(self.data_locations) if self.data_locations else (self.location or "")


def pair_problem(data_locations: list[str], location: str) -> tuple[int, str] | None:
    """Why two regions cannot make a configurable dual-region in `location`, as (index of the region at fault,
    message), or None. Google: "two regions within the same continent" (cloud.google.com/storage/docs/
    dual-regions; other pairings are refused) and "two eligible regions within the same Multiregion"
    (CustomPlacementConfig). Derived eligibility (Google's pair table was not readable): a region of the
    multi-region's continent; for eu also an EU member state, for us the United States."""
    from archplan import catalog

    regions = catalog.regions()
    first, second = (regions[r] for r in data_locations)
    if first["continent"] != second["continent"]:
        return 1, (f"a dual-region pairs two regions of one continent: {data_locations[0]} is in "
                   f"{first['continent']}, {data_locations[1]} in {second['continent']}")
    home = catalog.locations()[location]["continent"]
    for index, region in enumerate(data_locations):
        facts = regions[region]
        if facts["continent"] != home:
            holder = next((name for name in MULTI_REGIONS if catalog.locations()[name]["continent"]
                           == facts["continent"]), None)
            hint = f"location: {holder}" if holder else f"no multi-region of {facts['continent']} holds dual-regions"
            return index, f"{region} is in {facts['continent']}, not in multi-region {location} ({hint})"
        # the EU multi-region keeps data "within member states of the European Union" (catalog locations.eu)
        if location == "eu" and not catalog.residency("EU").holds_region(region):
            return index, f"{region} ({facts['country']}) is outside the EU multi-region (EU member states only)"
        if location == "us" and facts["country"] != "United States":
            return index, f"{region} ({facts['country']}) is outside the US multi-region (United States only)"
    return None


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    assumptions = []
    if spec.turbo_premium_usd_per_gib is not None:
        assumptions.append(f"{ctx.name}: turbo replication premium {spec.turbo_premium_usd_per_gib} USD per GiB "
                           f"written as the plan states ({spec.turbo_premium_source or 'no source given'}); "
                           "archplan has no citable figure")
    return Usage({"storage_gb": spec.storage_gb + spec.noncurrent_gb}, assumptions)
