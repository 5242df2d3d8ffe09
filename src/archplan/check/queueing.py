"""M/M/c queueing: Erlang C and the response-time tail, closed forms checkable by hand.

λ arrivals per second, μ = 1 / mean service time, c servers (Cloud Run: instances x concurrency),
offered load a = λ/μ Erlangs, utilisation ρ = a/c. References: Gross & Harris, Fundamentals of
Queueing Theory, ch. 2.3 (M/M/c): Erlang C, Wq tail P(Wq > t) = C e^{-(cμ-λ)t}, and the sojourn-time
distribution of T = Wq + S.
"""
from __future__ import annotations

import math


def erlang_c(servers: int, offered_load: float) -> float:
    """Probability an arrival waits, C(c, a). 1.0 when the system is saturated (a >= c)."""
    if offered_load <= 0:
        return 0.0
    if offered_load >= servers:
        return 1.0
    # Erlang B by the stable recursion B(0)=1, B(k) = a B(k-1) / (k + a B(k-1)); then C from B.
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = offered_load * blocking / (k + offered_load * blocking)
    rho = offered_load / servers
    return blocking / (1 - rho + rho * blocking)


def mean_wait(servers: int, arrival_rate: float, service_time: float) -> float:
    """Mean time in queue Wq = C / (cμ - λ); infinite when saturated."""
    mu = 1 / service_time
    if arrival_rate >= servers * mu:
        return math.inf
    return erlang_c(servers, arrival_rate * service_time) / (servers * mu - arrival_rate)


def response_time_tail(t: float, servers: int, arrival_rate: float, service_time: float) -> float:
    """P(T > t) for the time in system T = wait + service (exponential service)."""
    mu = 1 / service_time
    lam = arrival_rate
    if lam >= servers * mu:
        return 1.0
    c_wait = erlang_c(servers, lam / mu)
    gap = servers * mu - lam  # rate at which the queue drains
    if abs(gap - mu) < 1e-12:
        return math.exp(-mu * t) * (1 + c_wait * mu * t)
    return math.exp(-mu * t) + c_wait * mu / (gap - mu) * (math.exp(-mu * t) - math.exp(-gap * t))


def response_time_percentile(q: float, servers: int, arrival_rate: float, service_time: float) -> float:
    """The q-quantile (e.g. 0.95) of the time in system, by bisection on the tail."""
    if arrival_rate >= servers / service_time:
        return math.inf
    target = 1 - q
    low, high = 0.0, service_time
    while response_time_tail(high, servers, arrival_rate, service_time) > target:
        high *= 2
    for _ in range(100):
        middle = (low + high) / 2
        if response_time_tail(middle, servers, arrival_rate, service_time) > target:
            low = middle
        else:
            high = middle
    return high


def servers_for_utilization(arrival_rate: float, service_time: float, per_instance: int,
                            target_utilization: float) -> int:
    """Instances so that each runs at most `target_utilization` of its `per_instance` slots."""
    load = arrival_rate * service_time
    if load <= 0:
        return 0
    return max(1, math.ceil(load / (per_instance * target_utilization)))
