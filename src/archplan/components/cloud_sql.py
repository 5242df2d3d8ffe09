"""Cloud SQL for PostgreSQL or MySQL: instance tier, storage, HA, read replicas, backups."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from archplan.components._common import COMMITMENT_FIELD, Commitment, CrossRegionReplica
from archplan.components.base import ComponentSpec, Strict, Usage, UsageContext

SHARED_CORE = {"db-f1-micro": Decimal("0.614"), "db-g1-small": Decimal("1.7")}  # GB of RAM
_CUSTOM = re.compile(r"^db-custom-(\d+)-(\d+)$")
_N1 = re.compile(r"^db-n1-(standard|highmem)-(\d+)$")
_PERF = re.compile(r"^db-perf-optimized-n-(\d+)$")
TIER_FORMS = "db-f1-micro, db-g1-small, db-custom-<vCPU>-<MiB>, db-n1-standard-<N>, db-n1-highmem-<N>, " \
             "db-perf-optimized-N-<vCPU>"


@dataclass(frozen=True)
class TierShape:
    name: str
    vcpu: Decimal | None  # None for shared-core tiers
    memory_gb: Decimal

    @property
    def shared_core(self) -> bool:
        return self.vcpu is None


def parse_tier(tier: str) -> TierShape:
    """The vCPU and memory of a Cloud SQL machine tier name."""
    if tier in SHARED_CORE:
        return TierShape(tier, None, SHARED_CORE[tier])
    if match := _CUSTOM.match(tier):
        vcpu, memory_mib = int(match.group(1)), int(match.group(2))
        if vcpu != 1 and vcpu % 2:
            raise ValueError(f"db-custom vCPU must be 1 or an even number (got {vcpu})")
        if memory_mib % 256:
            raise ValueError(f"db-custom memory must be a multiple of 256 MiB (got {memory_mib})")
        memory_gb = Decimal(memory_mib) / 1024
        if not (Decimal("0.9") * vcpu <= memory_gb <= Decimal("6.5") * vcpu):
            raise ValueError(f"db-custom memory must be 0.9 to 6.5 GB per vCPU (got {memory_gb} GB for {vcpu} vCPU)")
        return TierShape(tier, Decimal(vcpu), memory_gb)
    if match := _N1.match(tier):
        family, vcpu = match.group(1), int(match.group(2))
        if vcpu not in (1, 2, 4, 8, 16, 32, 64, 96):
            raise ValueError(f"no {tier}: N must be 1, 2, 4, 8, 16, 32, 64 or 96")
        per_vcpu = Decimal("3.75") if family == "standard" else Decimal("6.5")
        return TierShape(tier, Decimal(vcpu), per_vcpu * vcpu)
    if match := _PERF.match(tier.lower()):
        vcpu = int(match.group(1))
        return TierShape(tier, Decimal(vcpu), Decimal(vcpu) * 8)
    raise ValueError(f"unknown Cloud SQL tier {tier!r}; valid forms: {TIER_FORMS}")


class Backups(Strict):
    enabled: bool = Field(default=True, description="automated daily backups, priced on their storage (default true)")
    retained_backups: int = Field(default=7, ge=1, le=365, description="automated backups kept (GCP default 7)")
    pitr: bool = Field(default=False, description="point-in-time recovery (write-ahead / binary logs kept)")
    log_retention_days: int = Field(default=7, ge=1, le=35, description="days of transaction logs kept for "
                                                                        "point-in-time recovery, 1-35 (default 7; "
                                                                        "set only with pitr)")
    storage_gb: Decimal | None = Field(default=None, ge=0, description="billed backup storage; estimated from "
                                                                      "the data size if omitted")


class SqlCrossRegionReplica(CrossRegionReplica):
    """A Cloud SQL cross-region replica; on Enterprise Plus one of them may be the designated DR replica."""

    dr_replica: bool = Field(
        default=False, description="the designated disaster-recovery replica of advanced DR (Enterprise Plus, "
                                   "PITR on): replica failover promotes it and re-adds the old primary as its "
                                   "replica when that region returns; switchover reverses the roles with no data "
                                   "loss")


DATABASE_NAME = r"^[A-Za-z_][A-Za-z0-9_]{0,62}$"


class Spec(ComponentSpec):
    category: ClassVar[str] = "data"
    kind: Literal["cloud_sql"]
    other_names: ClassVar[dict[str, str]] = {
        "high_availability": "ha", "availability_type": "ha", "regional": "ha", "database_version": "version",
        "disk_size": "storage_gb", "disk_type": "storage_type", "replicas": "read_replicas",
        "read_replica_count": "read_replicas", "backup_configuration": "backups", "flags": "database_flags",
        "ipv4_enabled": "private_ip"}
    engine: Literal["postgres", "mysql"] = Field(description="database engine")
    version: str | None = Field(default=None, pattern=r"^[0-9]{1,2}(\.[0-9]{1,2})?$",
                                description="major version, e.g. 15 or 8.0")
    edition: Literal["enterprise", "enterprise_plus"] = Field(
        default="enterprise", description="enterprise or enterprise_plus (default enterprise); Enterprise Plus "
                                          "takes db-perf-optimized-N-<vCPU> tiers, Enterprise the others")
    tier: str = Field(description="machine tier, e.g. db-custom-2-7680 or db-f1-micro")
    storage_gb: int = Field(ge=10, le=65536, description="provisioned storage")
    storage_type: Literal["ssd", "hdd"] = Field(default="ssd", description="disk type: ssd or hdd (default ssd)")
    data_gb: Decimal | None = Field(default=None, ge=0, description="data actually stored (for backup size)")
    ha: bool = Field(default=False, description="regional availability: a standby in a second zone")
    read_replicas: int = Field(default=0, ge=0, le=10, description="read replicas in this region, each with "
                                                                   "storage_gb of its own (default 0: none)")
    replica_tier: str | None = Field(default=None, description="tier of the read replicas (default: same)")
    cross_region_replicas: list[SqlCrossRegionReplica] = Field(
        default_factory=list, max_length=10, description="read replicas in other regions (disaster recovery: "
                                                         "promoted when this instance's region is lost)")
    backups: Backups = Field(default_factory=Backups, description="automated backups and point-in-time recovery "
                                                                  "(default: backups on, 7 kept, no PITR)")
    private_ip: bool = Field(default=False, description="private IP only (no public IP); GCP's default "
                                                         "is a public IP")
    database_flags: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_.]{0,99}$")], str | int] = Field(
        default_factory=dict, description="database flags, name to value; they win over archplan's own (CIS "
                                          "logging flags on PostgreSQL, local_infile off and skip_show_database "
                                          "on on MySQL)")
    databases: list[Annotated[str, Field(pattern=DATABASE_NAME)]] = Field(
        default_factory=list, description="database names: letters, digits and _")
    deletion_protection: bool = Field(default=True, description="refuse to delete the instance (Terraform's and "
                                                                "Cloud SQL's deletion protection; default true)")
    max_connections: int | None = Field(default=None, ge=1, description="the max_connections database flag")
    commitment: Commitment = COMMITMENT_FIELD

    @field_validator("tier", "replica_tier")
    @classmethod
    def _known_tier(cls, value: str | None) -> str | None:
        if value is not None:
            parse_tier(value)
        return value

    @field_validator("databases")
    @classmethod
    def _unique_databases(cls, databases: list[str]) -> list[str]:
        from archplan.spec.names import unique_names

        return unique_names(databases, "databases")

    def only_inside_vpc(self) -> bool:
        return self.private_ip

    def plan_problems(self, name: str, specs: dict) -> list[tuple[tuple, str]]:
        """A database flag value the Cloud SQL API refuses (the rules of archplan/spec/api_rules.yaml)."""
        from archplan.spec import api_rules

        problems = []
        for flag, value in self.database_flags.items():
            try:
                api_rules.flag_value(self.engine, flag, value)
            except ValueError as error:
                problems.append((("database_flags", flag), str(error)))
        return problems

    def plan_warnings(self) -> list[tuple[tuple, str]]:
        warnings = []
        if self.ha and parse_tier(self.tier).shared_core:
            warnings.append((("ha",), f"HA on shared-core tier {self.tier}: shared-core instances have no SLA, so "
                                      "the standby buys little; use a db-custom tier"))
        if self.data_gb is not None and self.data_gb > self.storage_gb:
            warnings.append((("data_gb",), f"data_gb {self.data_gb:g} is more than the {self.storage_gb} GB disk "
                                           f"(storage_gb) holds: the disk is priced at {self.storage_gb} GB and the "
                                           f"backups at {self.data_gb:g} GB; raise storage_gb (or lower data_gb)"))
        return warnings

    @model_validator(mode="after")
    def _edition(self) -> "Spec":
        for tier in {self.tier, self.replica_tier or self.tier}:
            shape = parse_tier(tier)
            if self.edition == "enterprise_plus" and (shape.shared_core or not tier.lower().startswith("db-perf")):
                raise ValueError(f"Enterprise Plus uses db-perf-optimized-N-<vCPU> tiers (got {tier})")
            if self.edition == "enterprise" and tier.lower().startswith("db-perf"):
                raise ValueError(f"{tier} is an Enterprise Plus tier; set edition: enterprise_plus")
        return self

    @model_validator(mode="after")
    def _dr_replica(self) -> "Spec":
        # cloud.google.com/sql/docs/postgres/use-advanced-disaster-recovery: Enterprise Plus primary with PITR,
        # one designated DR replica in another region (itself Enterprise Plus).
        designated = [r for r in self.cross_region_replicas if r.dr_replica]
        if not designated:
            return self
        if len(designated) > 1:
            raise ValueError("only one cross-region replica can be the DR replica (dr_replica: true)")
        if self.edition != "enterprise_plus":
            raise ValueError("a DR replica (advanced disaster recovery) needs edition: enterprise_plus")
        if not (self.backups.enabled and self.backups.pitr):
            raise ValueError("a DR replica (advanced disaster recovery) needs point-in-time recovery on the primary "
                             "(backups.enabled and backups.pitr true)")
        tier = designated[0].tier or self.tier
        if not tier.lower().startswith("db-perf"):
            raise ValueError(f"the DR replica must be Enterprise Plus: a db-perf-optimized-N-<vCPU> tier (got {tier})")
        return self


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    result = Usage()
    if spec.backups.enabled:
        if spec.backups.storage_gb is not None:
            backup_gb = spec.backups.storage_gb
        else:
            data_gb = spec.data_gb if spec.data_gb is not None else Decimal(spec.storage_gb)
            # One full backup, then increments; assume each later backup adds 10% of the data.
            backup_gb = data_gb * (1 + Decimal("0.1") * (spec.backups.retained_backups - 1))
            result.assumptions.append(
                f"{ctx.name}: backup storage estimated as one full copy of "
                f"{'data_gb' if spec.data_gb is not None else 'storage_gb (data_gb not given)'} "
                f"({data_gb} GB) plus 10% per further retained backup = {backup_gb:.1f} GB "
                "(set backups.storage_gb to override)")
        result.quantities["backup_gb"] = backup_gb
    return result
