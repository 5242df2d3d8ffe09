"""How busy a request-driven service is: shared by Cloud Run and Cloud Functions (not a kind)."""
from __future__ import annotations

import math
from decimal import Decimal
from typing import NamedTuple

from archplan.components.base import SECONDS_PER_MONTH


class Busy(NamedTuple):
    """busy_instance_seconds and the terms it is the larger of."""
    load: Decimal  # mean requests in flight
    sparse: Decimal  # share of the month with one or more in flight, arrivals at random
    packed: Decimal  # instances needed with `concurrency` requests each
    seconds: Decimal


def busy_terms(requests_per_month: Decimal, duration_ms: Decimal, concurrency: int) -> Busy:
    """Instance-seconds with at least one request in flight, in a month, with its terms.

    Requests arrive at random (Poisson) at the monthly mean rate. With few requests they rarely
    overlap: the time with at least one in flight is T(1 - e^(-load)) where load = rate x duration
    (M/G/inf). With many they are packed `concurrency` to an instance: load / concurrency instances.
    """
    if requests_per_month <= 0:
        return Busy(Decimal(0), Decimal(0), Decimal(0), Decimal(0))
    load = requests_per_month * duration_ms / 1000 / SECONDS_PER_MONTH
    sparse = Decimal(1) - Decimal(math.exp(-float(load)))
    packed = load / concurrency
    return Busy(load, sparse, packed, SECONDS_PER_MONTH * max(sparse if concurrency > 1 else load, packed))


def busy_instance_seconds(requests_per_month: Decimal, duration_ms: Decimal, concurrency: int) -> Decimal:
    """Instance-seconds with at least one request in flight, in a month (busy_terms says how)."""
    return busy_terms(requests_per_month, duration_ms, concurrency).seconds


def busy_explanation(name: str, requests_per_month: Decimal, duration_ms: Decimal, concurrency: int,
                     what: str = "requests") -> str:
    """The assumption line saying how busy_instance_seconds came out, with the plan's numbers."""
    load, sparse, packed, busy = busy_terms(requests_per_month, duration_ms, concurrency)
    if concurrency > 1:
        rule = (f"max(1 - e^-{load:.4g} = {sparse:.4g} (arrivals at random, M/G/inf: time with one or more in "
                f"flight), {load:.4g} / concurrency {concurrency} = {packed:.4g} (packed)) = {busy / SECONDS_PER_MONTH:.4g}")
    else:
        rule = f"{load:.4g} (one request an instance)"
    return (f"{name}: busy instance-seconds = {SECONDS_PER_MONTH:,.0f} s a month x {rule} = {busy:,.0f}; "
            f"{load:.4g} {what} in flight on average = {requests_per_month:,.0f} a month x {duration_ms:g} ms / "
            f"{SECONDS_PER_MONTH:,.0f} s")
