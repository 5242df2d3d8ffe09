"""Cloud Storage buckets: storage by class and location, operations, retrieval, egress."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from archplan.components._common import lower_location
from archplan.components.base import DAYS_PER_MONTH, ComponentSpec, Strict, Usage, UsageContext

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
                                        "default storage_gb, a stated assumption); with lifecycle "
                                        "set_storage_class rules, the steady rate that splits storage_gb by age "
                                        "into the classes the rules move objects to")
    versioning: bool = Field(default=False, description="object versioning: overwritten and deleted objects are "
                                                        "kept as noncurrent versions (noncurrent_gb; default false)")
    public: bool = Field(default=False, description="anyone on the internet may read the objects (allUsers as "
                                                    "object viewer); default false: public access prevention is "
                                                    "enforced unless a load balancer serves the bucket")
    lifecycle_rules: list[LifecycleRule] = Field(
        default_factory=list, description="the bucket's lifecycle rules, generated as written; set_storage_class "
                                          "rules are priced when written_gb_per_month is given (storage_gb split "
                                          "by age into the classes), else the report says they are not")
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


def lifecycle_bands(spec: Spec) -> list[tuple[str, int, int | None]]:
    """(storage class, from age, to age in days or None for the rest of its life) of a current object under the
    bucket's lifecycle rules: the bucket's class until the first set_storage_class rule, and so on; a delete rule
    ends every object's life at its age."""
    deleted_at = min((r.age_days for r in spec.lifecycle_rules if r.action == "delete" and not r.noncurrent_only),
                     default=None)
    moves = sorted({r.age_days: r.storage_class for r in spec.lifecycle_rules if r.action == "set_storage_class"
                    and not r.noncurrent_only and (deleted_at is None or r.age_days < deleted_at)}.items())
    bands, storage_class, start = [], spec.storage_class, 0
    for age, next_class in moves:
        if age > start:
            bands.append((storage_class, start, age))
        storage_class, start = next_class, age
    bands.append((storage_class, start, deleted_at))
    return bands


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    assumptions = []
    quantities = {"storage_gb": spec.storage_gb + spec.noncurrent_gb}
    if spec.turbo_premium_usd_per_gib is not None:
        assumptions.append(f"{ctx.name}: turbo replication premium {spec.turbo_premium_usd_per_gib} USD per GiB "
                           f"written as the plan states ({spec.turbo_premium_source or 'no source given'}); "
                           "archplan has no citable figure")
    bands = lifecycle_bands(spec)
    if len(bands) > 1:
        moves = ", ".join(f"{c} at {start} days" for c, start, _end in bands[1:])
        if spec.written_gb_per_month is None or spec.data_locations:
            why = "a configurable dual-region" if spec.data_locations else "no written_gb_per_month"
            assumptions.append(f"{ctx.name}: lifecycle transitions ({moves}) not priced ({why}): all of storage_gb "
                               f"as {spec.storage_class}; give written_gb_per_month to split it by age")
        else:
            # Objects written at a steady rate: the newest W x (band's days / days a month) GB are in the band's
            # class; the oldest band holds what storage_gb has beyond the younger ones.
            remaining, parts = spec.storage_gb, []
            for index, (storage_class, start, end) in enumerate(bands):
                last = index == len(bands) - 1
                gb = remaining if last else min(remaining, spec.written_gb_per_month * (end - start) / DAYS_PER_MONTH)
                remaining -= gb
                key = f"storage_gb/{storage_class}"
                quantities[key] = quantities.get(key, Decimal(0)) + gb
                ages = f"{start}-{end} days old" if end is not None else f"from {start} days old"
                parts.append(f"{storage_class} {gb:,.2f} GB ({ages})")
            assumptions.append(f"{ctx.name}: lifecycle ({moves}): objects written at a steady "
                               f"{spec.written_gb_per_month:,} GB a month (written_gb_per_month), so storage_gb "
                               f"{spec.storage_gb:,} holds " + ", ".join(parts) + f" (a band holds written_gb_per_month "
                               f"x its days / {DAYS_PER_MONTH:.4f}, the oldest the rest); operations priced at "
                               f"{spec.storage_class} rates, transitions and early deletion not priced")
    return Usage(quantities, assumptions)
