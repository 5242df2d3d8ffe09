"""Secret Manager: active secret versions, access operations, rotations."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from typing import Annotated

from pydantic import Field, field_validator

from archplan.components.base import ComponentSpec, Usage, UsageContext


class Spec(ComponentSpec):
    category: ClassVar[str] = "operations"
    kind: Literal["secret_manager"]
    secrets: list[Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,255}$")]] | Annotated[int, Field(ge=0, le=100_000)] = \
        Field(description="secret names, or how many")
    versions_per_secret: int = Field(default=1, ge=1, description="active (enabled or disabled) versions")
    replication_locations: int = Field(default=1, ge=1, description="1 for automatic replication")
    access_ops_per_month: Decimal = Field(ge=0, description="secret accesses, e.g. at each instance start")
    rotations_per_month: Decimal = Field(default=Decimal(0), ge=0)

    @field_validator("secrets")
    @classmethod
    def _unique(cls, secrets):
        from archplan.spec.names import unique_names

        return unique_names(secrets, "secrets") if isinstance(secrets, list) else secrets


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    count = len(spec.secrets) if isinstance(spec.secrets, list) else spec.secrets
    return Usage({"active_versions": Decimal(count * spec.versions_per_secret * spec.replication_locations)})
