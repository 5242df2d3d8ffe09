"""Cloud Endpoints: API management by the Extensible Service Proxy (ESPv2) that runs in front of the
backend (the proxy itself is a workload of the plan), billed per API call."""
from __future__ import annotations

from typing import Literal

from archplan.components._api_management import ApiSpec, usage  # noqa: F401  (the kind's usage)


class Spec(ApiSpec):
    kind: Literal["cloud_endpoints"]
