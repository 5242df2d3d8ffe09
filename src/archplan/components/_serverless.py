"""How busy a request-driven service is: shared by Cloud Run and Cloud Functions (not a kind)."""
from __future__ import annotations

import math
from decimal import Decimal

from archplan.components.base import SECONDS_PER_MONTH


def busy_instance_seconds(requests_per_month: Decimal, duration_ms: Decimal, concurrency: int) -> Decimal:
    """Instance-seconds with at least one request in flight, in a month.

    Requests arrive at random (Poisson) at the monthly mean rate. With few requests they rarely
    overlap: the time with at least one in flight is T(1 - e^(-load)) where load = rate x duration
    (M/G/inf). With many they are packed `concurrency` to an instance: load / concurrency instances.
    """
    if requests_per_month <= 0:
        return Decimal(0)
    load = requests_per_month * duration_ms / 1000 / SECONDS_PER_MONTH  # mean requests in flight
    sparse = Decimal(1) - Decimal(math.exp(-float(load)))
    packed = load / concurrency
    return SECONDS_PER_MONTH * max(sparse if concurrency > 1 else load, packed)
