"""API Gateway: a managed gateway in front of Cloud Run services or functions, billed per API call."""
from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from archplan.components._api_management import ApiSpec, usage  # noqa: F401  (the kind's usage)

EXAMPLE = {"kind": "api_gateway", "backend": "example-cloud-run", "calls_per_month": 5_000_000}


class Spec(ApiSpec):
    kind: Literal["api_gateway"]
    backend: str = Field(description="the cloud_run or cloud_functions component the gateway calls")
    references: ClassVar[tuple[str, ...]] = ("backend",)
    reference_kinds: ClassVar[dict[str, tuple[str, ...]]] = {"backend": ("cloud_run", "cloud_functions")}
    deploy_regions: ClassVar[tuple[str, str] | None] = ("service_control", "api_gateway_regions")
