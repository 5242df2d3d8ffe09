"""AlloyDB for PostgreSQL: a cluster with a primary instance (basic: one node; highly available: an active
and a standby node) and read pools of nodes, each node billed per hour by its machine shape."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from archplan.components._common import COMMITMENT_FIELD, Commitment
from archplan.components.base import HOURS_PER_MONTH, ComponentSpec, Strict, Usage, UsageContext

EXAMPLE = {"kind": "alloydb", "machine_type": "n2-highmem-4", "ha": True, "storage_gb": 100,
           "read_pools": [{"name": "reads", "machine_type": "n2-highmem-2", "nodes": 2}]}

# N2 shapes with 8 GB per vCPU; the catalog prices n2-highmem-2 and a shape is vCPUs/2 of it (the data set's
# N2 prices are proportional to vCPUs in every region: see catalog/data/alloydb.yaml).
MACHINE_TYPES = ("n2-highmem-2", "n2-highmem-4", "n2-highmem-8", "n2-highmem-16", "n2-highmem-32",
                 "n2-highmem-64")
MachineType = Literal[MACHINE_TYPES]
# Continuous backup recovery window the generated cluster keeps (recovery_window_days; AlloyDB allows 1-35).
CONTINUOUS_BACKUP_DAYS = 14


def vcpus(machine_type: str) -> int:
    return int(machine_type.rsplit("-", 1)[1])


class ReadPool(Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9-]{0,40}$", description="read pool instance name")
    machine_type: MachineType = Field(default="n2-highmem-2", description="machine shape of every node")
    nodes: int = Field(default=1, ge=1, le=20, description="read pool nodes (1-20)")


class Spec(ComponentSpec):
    def only_inside_vpc(self) -> bool:
        return True  # AlloyDB has private services access addresses only (archplan generates no public IP)

    category: ClassVar[str] = "data"
    kind: Literal["alloydb"]
    machine_type: MachineType = Field(default="n2-highmem-2", description="primary instance machine shape")
    ha: bool = Field(default=True, description="highly available primary: an active and a standby node in "
                                               "two zones (both billed); false: a basic single-node instance")
    read_pools: list[ReadPool] = Field(default_factory=list, description="read pool instances")
    commitment: Commitment = COMMITMENT_FIELD
    database_version: Literal["POSTGRES_14", "POSTGRES_15", "POSTGRES_16"] = Field(
        default="POSTGRES_16", description="PostgreSQL version: POSTGRES_14, POSTGRES_15 or POSTGRES_16 (default "
                                           "POSTGRES_16)")
    storage_gb: Decimal = Field(default=Decimal(0), ge=0, description="data the cluster stores (billed per GB-month "
                                                                     "of data held, not of a provisioned size)")
    backup_gb: Decimal | None = Field(
        default=None, ge=0, description="backup storage billed (automated, on-demand and continuous backups past "
                                        "their first 7 days); default: one copy of storage_gb, said in the report")
    storage_usd_per_gb_month: Decimal | None = Field(
        default=None, gt=0, description="a storage price per GB-month the plan states (a quote), used instead of "
                                        "the catalog's")
    storage_price_source: str | None = Field(default=None, max_length=200,
                                             description="where the stated storage price comes from")
    max_connections: int | None = Field(default=None, ge=1, description="max_connections flag, if set")

    @model_validator(mode="after")
    def _unique_pools(self) -> "Spec":
        if self.storage_price_source is not None and self.storage_usd_per_gb_month is None:
            raise ValueError("storage_price_source names the source of storage_usd_per_gb_month, which is not set")
        names = [pool.name for pool in self.read_pools]
        if len(set(names)) != len(names):
            raise ValueError("read pool names must be unique")
        return self

    @property
    def primary_nodes(self) -> int:
        return 2 if self.ha else 1


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    pool_nodes = sum(pool.nodes for pool in spec.read_pools)
    result = Usage({"primary_node_hours": spec.primary_nodes * HOURS_PER_MONTH,
                    "read_pool_nodes": Decimal(pool_nodes), "storage_gb": spec.storage_gb})
    backup_gb = spec.backup_gb
    if backup_gb is None:
        backup_gb = spec.storage_gb
        if backup_gb > 0:
            result.assumptions.append(
                f"{ctx.name}: backup storage estimated as one copy of storage_gb = {backup_gb:,} GB (the cluster "
                f"generate writes keeps continuous backups for {CONTINUOUS_BACKUP_DAYS} days and daily automated "
                "backups; set backup_gb to what the backups hold)")
    result.quantities["backup_gb"] = backup_gb
    return result
