"""M/M/c and M/G/c queueing: Erlang C, the waiting-time tail and the response-time percentile, computed
once per service from closed forms.

λ arrivals per second, S the service time (mean s̄, coefficient of variation cv), c servers (Cloud Run:
instances x requests an instance serves at once), offered load a = λ s̄ Erlangs, utilisation ρ = a / c.

- Erlang C, C(c, a): the stable Erlang B recursion B(k) = a B(k-1) / (k + a B(k-1)) for c up to 2,000;
  above that the same sum 1/B = Σ_k c!/(k! a^(c-k)) in logs over the window where its terms matter
  (a ± 12 √a + 20: the terms are a Poisson pmf's shape), so the cost is O(√a), not O(c).
- Waiting time: P(Wq > t) = C e^(-θ t). For exponential service θ = cμ - λ (exact, Gross & Harris,
  Fundamentals of Queueing Theory, 2.3). For general service the Allen-Cunneen approximation scales the
  mean wait by (1 + cv²) / 2, so θ = (cμ - λ) · 2 / (1 + cv²).
- Response time T = Wq + S: for exponential service the exact M/M/c sojourn tail; otherwise S is taken
  as lognormal with the stated cv (constant when cv = 0) and P(T > t) = P(S > t) + C E[e^(-θ(t-S)); S ≤ t],
  averaged over 256 quantiles of S fixed once per service.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist

RECURSION_LIMIT = 2000
QUANTILES = 256


@lru_cache(maxsize=4096, typed=True)  # services with the same settings and load ask the same (scale: at every point)
def erlang_b(servers: int, offered_load: float) -> float:
    if offered_load <= 0:
        return 0.0
    if servers <= RECURSION_LIMIT:
        blocking = 1.0
        for k in range(1, servers + 1):
            blocking = offered_load * blocking / (k + offered_load * blocking)
        return blocking
    half_width = 12 * math.sqrt(offered_load) + 20
    low = max(0, int(offered_load - half_width))
    high = min(servers, int(offered_load + half_width) + 1)
    log_a, log_c_factorial = math.log(offered_load), math.lgamma(servers + 1)
    terms = [log_c_factorial - math.lgamma(k + 1) - (servers - k) * log_a for k in range(low, high + 1)]
    if high < servers:  # the term for k = c is 1 (log 0): always part of the sum
        terms.append(0.0)
    top = max(terms)
    return math.exp(-(top + math.log(sum(math.exp(t - top) for t in terms))))


def erlang_c(servers: int, offered_load: float) -> float:
    """Probability an arrival waits, C(c, a). 1.0 when the system is saturated (a >= c)."""
    if offered_load <= 0:
        return 0.0
    if offered_load >= servers:
        return 1.0
    blocking = erlang_b(servers, offered_load)
    rho = offered_load / servers
    return blocking / (1 - rho + rho * blocking)


@dataclass(frozen=True)
class Queue:
    """One service's queue, its constants worked out once."""

    servers: int
    arrival_rate: float  # per second
    service_time: float  # mean, seconds
    service_cv: float = 1.0

    @property
    def offered_load(self) -> float:
        return self.arrival_rate * self.service_time

    @property
    def utilization(self) -> float:
        return self.offered_load / self.servers if self.servers else math.inf

    @property
    def saturated(self) -> bool:
        return self.servers <= 0 or self.offered_load >= self.servers

    def wait_probability(self) -> float:
        cached = self.__dict__.get("_wait_probability")  # Erlang C once per queue
        if cached is None:
            cached = 1.0 if self.saturated else erlang_c(self.servers, self.offered_load)
            self.__dict__["_wait_probability"] = cached
        return cached

    def drain_rate(self) -> float:
        """θ: the rate of the waiting-time tail."""
        gap = self.servers / self.service_time - self.arrival_rate
        return gap * 2 / (1 + self.service_cv ** 2)

    def mean_wait(self) -> float:
        if self.saturated:
            return math.inf
        return self.wait_probability() / self.drain_rate()

    def percentile(self, q: float) -> float:
        """The q-quantile of the response time (wait + service), in seconds."""
        if self.saturated:
            return math.inf
        return _percentile(q, self.wait_probability(), self.drain_rate(), self.service_time, self.service_cv,
                           self.servers)

    def response_moments(self) -> tuple[float, float]:
        """(mean, variance) of the response time, seconds: service (cv) plus a wait that is 0 with
        probability 1 - C and exponential(θ) with probability C."""
        if self.saturated:
            return math.inf, math.inf
        c_wait, theta = self.wait_probability(), self.drain_rate()
        wait_mean = c_wait / theta
        wait_var = 2 * c_wait / theta ** 2 - wait_mean ** 2
        return self.service_time + wait_mean, (self.service_cv * self.service_time) ** 2 + wait_var


@lru_cache(maxsize=4096, typed=True)  # pure in its numbers: identical services ask the same (scale: each env)
def _percentile(q, c_wait, theta, mean, cv, servers) -> float:
    tail = _tail(c_wait, theta, mean, cv)
    target = 1 - q
    low, high = 0.0, mean
    while tail(high) > target:
        low, high = high, high * 2
    for _ in range(60):
        middle = (low + high) / 2
        if tail(middle) > target:
            low = middle
        else:
            high = middle
        if high - low < 1e-6 * high:
            break
    return high


def _tail(c_wait, theta, mean, cv):
    """P(T > t) as a function of t."""
    if abs(cv - 1) < 1e-9:
        mu = 1 / mean

        def tail(t: float) -> float:
            if abs(theta - mu) < 1e-12 * mu:
                return math.exp(-mu * t) * (1 + c_wait * mu * t)
            return math.exp(-mu * t) + c_wait * mu / (theta - mu) * (math.exp(-mu * t) - math.exp(-theta * t))
    else:
        if cv == 0:
            samples = [mean]
        else:
            sigma = math.sqrt(math.log(1 + cv * cv))
            location = math.log(mean) - sigma * sigma / 2
            normal = NormalDist()
            samples = [math.exp(location + sigma * normal.inv_cdf((i + 0.5) / QUANTILES)) for i in range(QUANTILES)]
        count = len(samples)

        def tail(t: float) -> float:
            total = 0.0
            for s in samples:
                total += 1.0 if s > t else c_wait * math.exp(-theta * (t - s))
            return total / count
    return tail


def sum_percentile(q: float, moments: list[tuple[float, float]]) -> float:
    """The q-quantile of a sum of independent response times (one per hop of a request path), from their
    summed mean and variance: a gamma distribution with those moments, its quantile by Wilson-Hilferty
    (exact to about 1% for shape >= 1; a constant when the variance is 0)."""
    mean = sum(m for m, _v in moments)
    variance = sum(v for _m, v in moments)
    if math.isinf(mean) or math.isinf(variance):
        return math.inf
    if mean <= 0:
        return 0.0
    if variance <= 1e-18 * mean * mean:
        return mean
    shape = mean * mean / variance
    z = NormalDist().inv_cdf(q)
    return mean * max(0.0, 1 - 1 / (9 * shape) + z * math.sqrt(1 / (9 * shape))) ** 3


# The functions below are the M/M/c special case, kept for callers that hold no Queue.
def mean_wait(servers: int, arrival_rate: float, service_time: float) -> float:
    """Mean time in queue Wq = C / (cμ - λ); infinite when saturated."""
    return Queue(servers, arrival_rate, service_time).mean_wait()


def response_time_tail(t: float, servers: int, arrival_rate: float, service_time: float,
                        service_cv: float = 1.0) -> float:
    """P(T > t) for the time in system T = wait + service."""
    queue = Queue(servers, arrival_rate, service_time, service_cv)
    if queue.saturated:
        return 1.0
    return _tail(queue.wait_probability(), queue.drain_rate(), service_time, service_cv)(t)


def response_time_percentile(q: float, servers: int, arrival_rate: float, service_time: float,
                             service_cv: float = 1.0) -> float:
    return Queue(servers, arrival_rate, service_time, service_cv).percentile(q)


def servers_for_utilization(arrival_rate: float, service_time: float, per_instance: int,
                            target_utilization: float) -> int:
    """Instances so that each runs at most `target_utilization` of its `per_instance` slots."""
    load = arrival_rate * service_time
    if load <= 0:
        return 0
    return max(1, math.ceil(load / (per_instance * target_utilization)))
