"""Artifact Registry repositories: stored images and packages."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field

from archplan.components.base import ComponentSpec, Usage, UsageContext


class Spec(ComponentSpec):
    category: ClassVar[str] = "operations"
    kind: Literal["artifact_registry"]
    format: Literal["docker", "npm", "python", "maven"] = Field(
        default="docker", description="repository format: docker, npm, python or maven (default docker)")
    storage_gb: Decimal = Field(ge=0, description="artifacts stored, GB")


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    return Usage()
