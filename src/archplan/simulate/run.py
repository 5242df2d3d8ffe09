"""Run every service of a plan through the engine for each seed and gather the results."""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from archplan.errors import SpecError
from archplan.simulate import engine as E
from archplan.simulate.load import shape as load_shape
from archplan.simulate.model import QuotaModel, ServiceModel, build, rate_per_second

SERIES_POINTS = 720  # points per picture
# Above this many simulated requests (all services, all seeds) a run takes a minute or more (the engine did
# about three million a second on this project's 2-core machine, 60 million in 19.7 s): standard error says so
# up front, with the options that shorten it. Above the most, about ten minutes, the run is refused, with them.
LARGE_RUN_REQUESTS = 2e8
MOST_RUN_REQUESTS = 2e9
# The engine walks every step of every service for each seed, requests or not: about 12 ns a step on the
# same machine (20 services x 10 days x 4 seeds, 69 million steps, in 0.85 s). Above this many, ten minutes
# or more, the run is refused.
MOST_RUN_STEPS = 5e10
# What a run holds per service until it is reported: its latency histogram per series bin (bins x HIST_BINS
# int64, 1.8 MB at 720 bins) and its per-minute arrival rates (with a cache's refusals and waits, three
# floats a minute). 2,000 services took 3.9 GB; above this the run is refused.
MOST_RUN_BYTES = 1 << 30


@dataclass
class ServiceRun:
    model: ServiceModel
    totals: np.ndarray        # seeds x N_TOTALS
    hist: np.ndarray          # pooled latency histogram of served requests
    delay_hist: np.ndarray    # pooled histogram of the time before service starts (wait + cold start)
    series: np.ndarray        # bins x N_SERIES, mean over seeds
    series_hist: np.ndarray   # bins x HIST_BINS, pooled


@dataclass
class QuotaRun:
    model: QuotaModel
    calls: np.ndarray         # per seed
    rejected: np.ndarray      # per seed
    series_calls: np.ndarray  # per minute, mean over seeds
    series_rejected: np.ndarray


@dataclass
class SimulationRun:
    plan: object
    options: object
    duration_s: float
    bin_s: float
    services: list[ServiceRun]
    quotas: list[QuotaRun]
    notes: list[str] = field(default_factory=list)
    caches: list = field(default_factory=list)  # cache.CacheModel, one per Memorystore a service depends on


def seed_for(base: int, replicate: int, index: int) -> int:
    """The engine seed of one service in one replicate: the same on every machine."""
    return int(np.random.SeedSequence([base, replicate, index]).generate_state(1)[0] & 0x7FFFFFFF)


class Progress:
    """A bar on standard error, shown only on a terminal and only once the run has taken a second."""

    def __init__(self, total: int, stream=None):
        import sys

        self.stream = stream if stream is not None else sys.stderr
        self.total = max(1, total)
        self.done = 0
        self.started = time.monotonic()
        self.shown = False
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()

    def step(self, amount: int = 1) -> None:
        self.done += amount
        if not self.enabled or time.monotonic() - self.started < 1.0:
            return
        share = self.done / self.total
        filled = int(share * 30)
        elapsed = time.monotonic() - self.started
        left = elapsed * (1 - share) / share if 0 < share < 1 else 0.0
        eta = f" {int(left // 60)}m{int(left % 60):02d}s left" if left else ""
        self.stream.write(f"\rsimulate [{'#' * filled}{'.' * (30 - filled)}] {share:4.0%}{eta}   ")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 70 + "\r")
            self.stream.flush()


def simulate(plan, options, progress: Progress | None = None) -> SimulationRun:
    duration = options.days * 86400.0
    shape, notes = load_shape(plan.spec.traffic, options.days, options.spikes)
    services, quotas, model_notes = build(plan, options, shape)
    notes += model_notes
    if options.services:
        known = [s.name for s in services] + [s.component for s in services] + [q.name for q in quotas]
        for wanted in options.services:
            if wanted not in known:
                from archplan.spec.load import suggest

                names = sorted(set(known)) or ["(the plan has no service to simulate)"]
                raise SpecError(f"no simulated service {wanted!r}; " + suggest(wanted, names), plan.file, None,
                                "--service")
        services = [s for s in services if s.name in options.services or s.component in options.services]
        quotas = [q for q in quotas if q.name in options.services]
    step = options.resolution_s
    bin_s = step * max(1, math.ceil(duration / SERIES_POINTS / step))
    if progress is None:
        progress = Progress(0)
        progress.enabled = False
    progress.total = max(1, len(services) * options.seeds + len(quotas))
    from archplan.simulate import cache

    _refuse_too_big(services, options, duration, step, bin_s)
    rates = [rate_per_second(service) for service in services]
    requests = sum(float(np.sum(rate)) * 60 for rate in rates) * options.seeds  # rates are per minute
    if requests > LARGE_RUN_REQUESTS:
        import sys

        shorter = ([f"--seeds {max(1, options.seeds // 4)}"] if options.seeds > 1 else []) \
            + ([f"--days {max(1, int(options.days // 4))}"] if options.days >= 2 else []) \
            + (["a smaller --spike"] if options.spikes else []) \
            + (["--service NAME (one service)"] if len(services) > 1 else [])
        shorter = shorter or [f"--days {options.days / 4:g}"]  # a fraction of a day, when nothing else is shorter
        what = (f"{requests:,.0f} requests to simulate ({options.seeds} seed(s) x {options.days:g} day(s)"
                + (f", {len(options.spikes)} spike(s)" if options.spikes else "") + ")")
        if requests > MOST_RUN_REQUESTS:
            from archplan.errors import UsageError

            raise UsageError(f"simulate: {what}, more than the {MOST_RUN_REQUESTS:,.0f} a run takes in about ten "
                             f"minutes: {' or '.join(shorter)} shortens it")
        print(f"simulate: {what}; this takes minutes: {' or '.join(shorter)} shortens it", file=sys.stderr)
    caches, cache_effects, cache_notes = cache.build(plan, services, rates)
    notes += cache_notes + [note for model in caches for note in model.notes]
    jobs, prepared = [], []
    for index, service in enumerate(services):
        rate = rates[index]
        refused_share, cache_wait_s = cache_effects[index]
        params = service.params.copy()
        params[E.P_DURATION] = duration
        params[E.P_STEP] = step
        params[E.P_BIN] = bin_s
        prepared.append(service)
        jobs += [(np.random.default_rng(seed_for(options.seed, replicate, index)), rate, params, refused_share,
                  cache_wait_s) for replicate in range(options.seeds)]
    results = E.run_many(iter(jobs))  # every service's seeds share the cores; results come back in order
    runs = []
    for service in prepared:
        totals, delays, series, pooled_bins = [], 0, 0, 0
        for _replicate in range(options.seeds):
            t, d, s, h = next(results)
            totals.append(t)
            delays = delays + d
            series = series + s
            pooled_bins = pooled_bins + h.astype(np.int64)
            progress.step()
        runs.append(ServiceRun(service, np.stack(totals), pooled_bins.sum(axis=0), delays,
                               series / options.seeds, pooled_bins))
    quota_runs = [_quota(q, options, progress) for q in quotas]
    progress.close()
    return SimulationRun(plan, options, duration, bin_s, runs, quota_runs, notes, caches)


def _quota(quota: QuotaModel, options, progress) -> QuotaRun:
    per_minute = quota.calls_per_day / 1440 * quota.load
    limit = math.inf
    if quota.rpm is not None:
        limit = quota.rpm
    if quota.tpm is not None and quota.tokens_per_call > 0:
        limit = min(limit, math.floor(quota.tpm / quota.tokens_per_call))
    calls, rejected, series_calls, series_rejected = [], [], np.zeros(len(per_minute)), np.zeros(len(per_minute))
    for replicate in range(options.seeds):
        rng = np.random.default_rng(seed_for(options.seed, replicate, 10_000))
        counts = rng.poisson(per_minute).astype(float)
        over = np.maximum(0.0, counts - limit) if math.isfinite(limit) else np.zeros_like(counts)
        calls.append(counts.sum())
        rejected.append(over.sum())
        series_calls += counts / options.seeds
        series_rejected += over / options.seeds
    progress.step()
    return QuotaRun(quota, np.array(calls), np.array(rejected), series_calls, series_rejected)


def _refuse_too_big(services, options, duration: float, step: float, bin_s: float) -> None:
    """Refuse, with one line naming the figures, a run whose steps would take hours or whose arrays would not
    fit in memory: both grow with the number of services, which the request count does not see."""
    from archplan.errors import UsageError

    steps = math.ceil(duration / step - 1e-9)
    bins = math.ceil(steps / max(1, round(bin_s / step)))
    minutes = math.ceil(duration / 60)
    walked = len(services) * steps * options.seeds
    held = len(services) * (bins * E.HIST_BINS * 8 + 3 * minutes * 8)
    fewer = ["--service NAME (fewer services at once)"] if len(services) > 1 else []
    if walked > MOST_RUN_STEPS:
        shorter = " or ".join(fewer + ["fewer --days", "fewer --seeds", "a coarser --resolution"])
        raise UsageError(f"simulate: {len(services):,} service(s) x {steps:,} steps x {options.seeds} seed(s) is "
                         f"{walked:,.0f} engine steps, more than the {MOST_RUN_STEPS:,.0f} a run takes in about ten "
                         f"minutes: {shorter} shortens it")
    if held > MOST_RUN_BYTES:
        raise UsageError(f"simulate: {len(services):,} service(s) x ({bins:,} series bins x {E.HIST_BINS} latency "
                         f"buckets + {minutes:,} minutes of rates) would hold {held / 2**30:.1f} GiB, more than "
                         f"the {MOST_RUN_BYTES / 2**30:g} GiB a run may: "
                         f"{' or '.join(fewer + ['fewer --days'])} shrinks it")


def percentile_from_hist(hist: np.ndarray, q: float) -> float:
    """The q-quantile (0..1) of a histogram over the engine's log-spaced buckets, log-interpolated."""
    total = hist.sum()
    if total <= 0:
        return math.nan
    cumulative = np.cumsum(hist)
    target = q * total
    k = int(np.searchsorted(cumulative, target, side="left"))
    k = min(k, len(hist) - 1)
    before = cumulative[k - 1] if k > 0 else 0
    inside = (target - before) / hist[k] if hist[k] else 0.0
    low = E.HIST_MIN_LOG10 + k / E.HIST_PER_DECADE
    return 10 ** (low + inside / E.HIST_PER_DECADE)
