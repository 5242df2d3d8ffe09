"""Secret Manager: active secret versions, access operations, rotations."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from typing import Annotated

from pydantic import Field, field_validator, model_validator

from archplan.components.base import ComponentSpec, Usage, UsageContext


class Spec(ComponentSpec):
    category: ClassVar[str] = "operations"
    kind: Literal["secret_manager"]
    secrets: list[Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,255}$")]] | Annotated[int, Field(ge=0, le=100_000)] = \
        Field(description="secret names, or how many")
    versions_per_secret: int = Field(default=1, ge=1, description="active (enabled or disabled) versions")
    replication_locations: int = Field(default=1, ge=1, description="1 for automatic replication")
    replication_regions: list[str] | None = Field(
        default=None, min_length=1, max_length=20,
        description="user-managed replication: the regions the secrets' replicas are kept in (billed per location; "
                    "default: automatic replication, billed as one location)")
    access_ops_per_month: Decimal = Field(ge=0, description="secret accesses, e.g. at each instance start")
    rotations_per_month: Decimal = Field(default=Decimal(0), ge=0, description="rotation notifications a month, "
                                                                               "all secrets together (default 0; "
                                                                               "the Terraform sets no rotation)")

    @field_validator("secrets")
    @classmethod
    def _unique(cls, secrets):
        from archplan.spec.names import unique_names

        return unique_names(secrets, "secrets") if isinstance(secrets, list) else secrets

    @field_validator("replication_regions")
    @classmethod
    def _unique_regions(cls, regions):
        from archplan.spec.names import unique_names

        return unique_names(regions, "replication_regions") if regions is not None else regions

    @model_validator(mode="after")
    def _locations(self) -> "Spec":
        if self.replication_regions is None:
            return self
        if "replication_locations" in self.model_fields_set and \
                self.replication_locations != len(self.replication_regions):
            raise ValueError(f"replication_locations {self.replication_locations} does not match the "
                             f"{len(self.replication_regions)} replication_regions; give one of them")
        return self

    @property
    def locations(self) -> int:
        """Replica locations each active version is billed in."""
        return len(self.replication_regions) if self.replication_regions else self.replication_locations

    @property
    def user_managed_regions(self) -> list[str]:
        """The regions user-managed replicas are in; empty for automatic replication (or a count alone)."""
        return list(self.replication_regions or [])


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    count = len(spec.secrets) if isinstance(spec.secrets, list) else spec.secrets
    return Usage({"active_versions": Decimal(count * spec.versions_per_secret * spec.locations)})
