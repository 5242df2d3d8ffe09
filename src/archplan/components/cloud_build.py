"""Cloud Build: build minutes a month on a machine type (the pipelines of private GKE clusters run them in a
private pool, priced at its own rate; see pricing/cloud_build.py)."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from archplan.components.base import ComponentSpec, Strict, Usage, UsageContext

EXAMPLE = {"kind": "cloud_build", "builds_per_month": 600, "minutes_per_build": 6}

MACHINE_TYPES = ("e2-medium", "e2-standard-2", "e2-highcpu-8", "e2-highcpu-32", "n1-highcpu-8", "n1-highcpu-32")
# The build config's options.machineType for each (None: the default, e2-standard-2).
BUILD_MACHINE_TYPES = {"e2-medium": "E2_MEDIUM", "e2-standard-2": None, "e2-highcpu-8": "E2_HIGHCPU_8",
                       "e2-highcpu-32": "E2_HIGHCPU_32", "n1-highcpu-8": "N1_HIGHCPU_8",
                       "n1-highcpu-32": "N1_HIGHCPU_32"}


class Repository(Strict):
    owner: str = Field(pattern=r"^[A-Za-z0-9_.-]+$", description="GitHub owner (user or organisation)")
    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$", description="GitHub repository name")
    branch: str = Field(default="main", pattern=r"^[A-Za-z0-9_./-]+$", description="branch whose pushes build")


class Spec(ComponentSpec):
    category: ClassVar[str] = "operations"
    kind: Literal["cloud_build"]
    machine_type: Literal[MACHINE_TYPES] = Field(default="e2-standard-2",
                                                 description="default-pool machine type (GCP default e2-standard-2)")
    builds_per_month: Decimal | None = Field(default=None, ge=0, description="builds a month, with "
                                                                             "minutes_per_build")
    minutes_per_build: Decimal | None = Field(default=None, gt=0, description="average build duration")
    build_minutes_per_month: Decimal | None = Field(default=None, ge=0, description="instead of builds x minutes")
    repository: Repository | None = Field(default=None, description="GitHub repository that triggers builds")

    @model_validator(mode="after")
    def _one_volume(self) -> "Spec":
        per_build = self.builds_per_month is not None or self.minutes_per_build is not None
        if per_build == (self.build_minutes_per_month is not None):
            raise ValueError("give builds_per_month with minutes_per_build, or build_minutes_per_month")
        if per_build and (self.builds_per_month is None or self.minutes_per_build is None):
            raise ValueError("builds_per_month and minutes_per_build go together")
        return self


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    if spec.build_minutes_per_month is not None:
        return Usage({"build_minutes": spec.build_minutes_per_month})
    return Usage({"build_minutes": spec.builds_per_month * spec.minutes_per_build})
