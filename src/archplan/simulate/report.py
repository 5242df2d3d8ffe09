"""Plain figures from a SimulationRun: per service, per entry point, and the month's cost as P5/P50/P95
over the seeds next to `cost`'s point figure. Renderers only format these."""
from __future__ import annotations

import math
from decimal import Decimal

import numpy as np

from archplan.components.base import DAYS_PER_MONTH
from archplan.plan import with_usage
from archplan.simulate import engine as E
from archplan.simulate.cache import summary as cache_summary
from archplan.simulate.run import SimulationRun, percentile_from_hist, seed_for

ENTRY_SAMPLES = 100_000


def _decimal(value) -> Decimal:
    return Decimal(f"{float(value):.6f}")


def _mean(values) -> float:
    return float(np.mean(values)) if len(values) else 0.0


def service_summary(run, duration_s: float) -> dict:
    totals = run.totals
    arrivals = totals[:, E.T_ARRIVALS]
    served = totals[:, E.T_SERVED]
    per = lambda index: _mean(totals[:, index])  # noqa: E731 - mean over seeds
    requests = per(E.T_ARRIVALS)
    share = lambda index: per(index) / requests if requests else 0.0  # noqa: E731
    mean_latency = float(totals[:, E.T_SUM_LATENCY].sum() / served.sum()) if served.sum() else math.nan
    return {
        "service": run.model.name, "kind": run.model.kind,
        "requests": requests,
        "served": per(E.T_SERVED),
        "latency_ms": {"mean": mean_latency * 1000,
                       "p50": percentile_from_hist(run.hist, 0.50) * 1000,
                       "p95": percentile_from_hist(run.hist, 0.95) * 1000,
                       "p99": percentile_from_hist(run.hist, 0.99) * 1000},
        "mean_latency_ms_p5_p95_over_seeds": _seed_spread(run),
        "cold_starts": per(E.T_COLD), "cold_start_share": share(E.T_COLD),
        "queued": per(E.T_QUEUED), "queued_share": share(E.T_QUEUED),
        "rejected_429": per(E.T_REJECTED), "rejected_share": share(E.T_REJECTED),
        "refused_by_redis": per(E.T_CACHE_REFUSED), "refused_by_redis_share": share(E.T_CACHE_REFUSED),
        "timeouts": per(E.T_TIMEOUTS), "timeout_share": share(E.T_TIMEOUTS),
        "max_backlog": float(totals[:, E.T_MAX_BACKLOG].max()),
        "instances": {"min": float(totals[:, E.T_MIN_ALIVE].min()),
                      "mean": per(E.T_INSTANCE_S) / duration_s,
                      "max": float(totals[:, E.T_MAX_ALIVE].max())},
        "instance_seconds": per(E.T_INSTANCE_S),
        "busy_instance_seconds": per(E.T_BUSY_S),
        "instances_started": per(E.T_STARTED),
        "arrivals_by_seed": [float(a) for a in arrivals],
    }


def _seed_spread(run) -> list[float]:
    """How much the seeds differ: P5 and P95 of their mean latencies (the percentiles above are pooled)."""
    served = run.totals[:, E.T_SERVED]
    means = np.where(served > 0, run.totals[:, E.T_SUM_LATENCY] / np.maximum(served, 1), np.nan) * 1000
    return [float(v) for v in np.nanpercentile(means, [5, 95])] if np.isfinite(means).any() else []


def _sample_hist(hist: np.ndarray, size: int, rng) -> np.ndarray:
    total = hist.sum()
    if total <= 0:
        return np.zeros(size)
    buckets = rng.choice(len(hist), size=size, p=hist / total)
    logs = E.HIST_MIN_LOG10 + (buckets + rng.random(size)) / E.HIST_PER_DECADE
    values = 10 ** logs
    values[buckets == 0] = 0.0  # the first bucket holds the zero waits
    return values


def entry_points(simulation: SimulationRun, summaries: dict[str, dict]) -> list[dict]:
    """Latency and failures seen at each entry point: the first simulated service on its path, plus the
    waiting and cold starts of the simulated services that one calls (each in proportion to its calls;
    the caller's own service time already includes the time its calls take)."""
    from archplan.check.availability import request_path

    plan = simulation.plan
    runs = {run.model.component: run for run in simulation.services if run.model.kind != "gke"}
    if not runs:
        return []
    _path, entries = request_path(plan)
    depends = {c.name: [d.name for d in c.spec.depends_on] for c in plan.components}
    out = []
    for entry in entries:
        fronts, seen, todo = [], set(), [entry]
        while todo:
            name = todo.pop(0)
            if name in seen:
                continue
            seen.add(name)
            if name in runs:
                fronts.append(name)
                continue
            todo += depends.get(name, [])
        for front in fronts:
            run = runs[front]
            rng = np.random.default_rng(seed_for(simulation.options.seed, 0, 20_000 + len(out)))
            latency = _sample_hist(run.hist, ENTRY_SAMPLES, rng)
            failure = summaries[front]["rejected_share"] + summaries[front]["timeout_share"]
            calls = []
            front_requests = summaries[front]["requests"] or 1.0
            for callee in depends.get(front, []):
                if callee not in runs or callee == front:
                    continue
                share = min(1.0, summaries[callee]["requests"] / front_requests)
                called = rng.random(ENTRY_SAMPLES) < share
                latency = latency + called * _sample_hist(runs[callee].delay_hist, ENTRY_SAMPLES, rng)
                failure += share * (summaries[callee]["rejected_share"] + summaries[callee]["timeout_share"])
                calls.append({"service": callee, "calls_per_request": share})
            out.append({"entry": entry, "first_service": front, "requests": summaries[front]["requests"],
                        "cold_start_share": summaries[front]["cold_start_share"], "calls": calls,
                        "latency_ms": {q: float(np.percentile(latency, v)) * 1000
                                       for q, v in (("p50", 50), ("p95", 95), ("p99", 99))},
                        "failed_share": min(1.0, failure)})
    return out


def profile_busy_seconds(component, load: np.ndarray) -> Decimal:
    """`cost`'s busy time (M/G/inf at a constant rate: a month x max(1 - e^-L, L / concurrency), L = rate x
    duration) applied to each minute's rate of the simulated shape (the month's rate x `load`, mean 1) and
    averaged: the busy seconds a month the simulation should find, where `cost` takes the month's mean rate."""
    from archplan.components._serverless import busy_instance_seconds

    spec = component.spec
    duration = spec.request_duration_ms if component.kind == "cloud_run" else spec.duration_ms
    requests = component.usage.get("requests")
    if not len(load) or not requests:
        return Decimal(0)
    levels, minutes = np.unique(np.round(load, 9), return_counts=True)  # a daily shape repeats: price each once
    total = sum((busy_instance_seconds(requests * Decimal(repr(float(level))), duration, spec.concurrency) * int(count)
                 for level, count in zip(levels, minutes)), Decimal(0))
    return total / len(load)


def _shaped_requests(component, load: np.ndarray) -> Decimal:
    """`cost`'s requests a month times the simulated shape's mean (1 over whole weeks; above 1 with spikes)."""
    requests = component.usage.get("requests")
    more = float(load.mean()) if len(load) else 1.0
    return requests if abs(more - 1) < 1e-9 else requests * Decimal(repr(more))


def _gap(name, component, model, busy_point, busy_profile, busy_p50, point_usd, profile_usd, p50_usd) -> str:
    """Why the simulated month differs from `cost`'s, in figures: the busy seconds at the mean rate against
    the same formula over the simulated shape, each priced by `cost`."""
    from archplan.components.base import SECONDS_PER_MONTH

    spec = component.spec
    duration_s = float(spec.request_duration_ms if component.kind == "cloud_run" else spec.duration_ms) / 1000
    rate = float(component.usage.get("requests")) / float(SECONDS_PER_MONTH)
    peak = float(model.load.max()) if len(model.load) else 1.0
    # spikes (or part of a weekly profile) put more or fewer requests in the simulated days than the month's mean
    month, shaped = component.usage.get("requests"), _shaped_requests(component, model.load)
    requests = " at the same requests." if shaped == month else (
        f", with {float(shaped / month):.4g}x the month's mean requests (spikes), {float(shaped):,.0f} a month, "
        f"which the shaped and simulated months bill too.")
    return (f"{name}: cost bills the busy seconds at the month's mean rate: {int(SECONDS_PER_MONTH):,} s x "
            f"max(1 - e^-L, L / {spec.concurrency}), L = {rate:.4g} req/s x {duration_s:g} s = {rate * duration_s:.4g} "
            f"in flight -> {busy_point:,.0f} s, ${point_usd:,.2f}. The simulated load follows the day's shape "
            f"(peak {peak:.3g}x the mean): the same formula minute by minute, L(t) = L x shape(t), averaged "
            f"-> {busy_profile:,.0f} s, ${profile_usd:,.2f} (simulated, P50 over the seeds: {busy_p50:,.0f} s, "
            f"${p50_usd:,.2f}). 1 - e^-L is concave: requests overlap more at the peak and the service idles "
            f"off-peak, so a shaped day has {(busy_profile / busy_point - 1) * 100 if busy_point else 0:+.1f}% busy "
            f"seconds" + requests)


def cost_ranges(simulation: SimulationRun) -> list[dict]:
    """Each simulated component's month, priced by `cost` itself from each seed's simulated usage; for a
    request-billed service, the month `cost`'s own formula gives over the simulated shape, and why it
    differs from the point figure."""
    from archplan.analysis.cost import cost_report
    from archplan.render.shown_money import shown

    plan = simulation.plan
    fx = shown(plan)
    point = cost_report(plan).by_component()
    scale = float(DAYS_PER_MONTH) / simulation.options.days
    duration = simulation.duration_s
    by_component: dict[str, list] = {}
    for run in simulation.services:
        by_component.setdefault(run.model.component, []).append(run)
    if not by_component:
        return []
    per_seed = {name: [] for name in by_component}
    busy_seeds = {name: [] for name in by_component}
    component_of = {c.name: c for c in plan.components}
    shaped = {name: runs[0].model for name, runs in by_component.items()
              if runs[0].model.kind in ("cloud_run", "cloud_functions") and runs[0].model.billing == "request"}
    profile = {name: profile_busy_seconds(component_of[name], model.load) for name, model in shaped.items()}
    # the shaped month bills the requests of the simulated shape too (its mean is above 1 with spikes)
    profile_usd = cost_report(with_usage(plan, {
        name: ({"busy_instance_seconds": busy, "requests": _shaped_requests(component_of[name], shaped[name].load)}, {})
        for name, busy in profile.items()})).by_component() if shaped else {}
    for replicate in range(simulation.options.seeds):
        overrides = {}
        for name, runs in by_component.items():
            first = runs[0].model
            totals = [run.totals[replicate] for run in runs]
            if first.kind in ("cloud_run", "cloud_functions"):
                t = totals[0]
                requests = (t[E.T_SERVED] + t[E.T_TIMEOUTS]) * scale
                busy = t[E.T_BUSY_S] * scale
                busy_seeds[name].append(busy)
                update = {}
                if first.billing == "instance":
                    update = {"avg_instances": _decimal(t[E.T_INSTANCE_S] / duration)}
                overrides[name] = ({"requests": _decimal(requests),
                                    "busy_instance_seconds": _decimal(busy)}, update)
            elif first.billing == "autopilot":
                vcpu = sum(run.model.cpu * t[E.T_INSTANCE_S] / duration for run, t in zip(runs, totals))
                memory = sum(run.model.memory_gib * t[E.T_INSTANCE_S] / duration for run, t in zip(runs, totals))
                component = component_of[name]
                simulated = {run.model.name.split("/", 1)[1] for run in runs}
                vcpu += sum(float(d.cpu * d.replicas) for d in component.spec.deployments if d.name not in simulated)
                memory += sum(float(d.memory * d.replicas) for d in component.spec.deployments
                              if d.name not in simulated)
                overrides[name] = ({"pod_vcpu": _decimal(vcpu),
                                    "pod_memory_gib": _decimal(memory)}, {})
        report = cost_report(with_usage(plan, overrides))
        totals_usd = report.by_component()
        for name in per_seed:
            per_seed[name].append(float(totals_usd[name]))
    out = []
    for name, values in per_seed.items():
        if by_component[name][0].model.billing == "nodes":
            continue  # Standard node pools are billed per node all month, whatever the load
        p5, p50, p95 = (float(v) for v in np.percentile(values, [5, 50, 95]))
        row = {"component": name, "cost_usd": float(point[name]), "p5_usd": p5, "p50_usd": p50, "p95_usd": p95,
               **{key: float(v) for key, v in fx.fields("p50", Decimal(repr(p50))).items()},
               "currency": fx.code, "per_usd": float(fx.per_usd)}
        if name in shaped:
            component = component_of[name]
            busy_point = float(component.usage.get("busy_instance_seconds"))
            busy_p50 = float(np.percentile(busy_seeds[name], 50))
            row["busy_seconds"] = {"cost": busy_point, "profile": float(profile[name]), "simulated_p50": busy_p50}
            row["profile_usd"] = float(profile_usd[name])
            row["explanation"] = _gap(name, component, shaped[name], busy_point, float(profile[name]), busy_p50,
                                      float(point[name]), float(profile_usd[name]), p50)
        out.append(row)
    return out


def quota_summary(run) -> dict:
    model = run.model
    calls = _mean(run.calls)
    latency = {}
    if model.latency_mean_s is not None:
        from archplan.simulate.model import Z95

        if model.latency_sigma > 0:
            mu = math.log(model.latency_mean_s) - model.latency_sigma ** 2 / 2
            z = {"p50": 0.0, "p95": Z95, "p99": 2.3263478740408408}
            latency = {q: math.exp(mu + v * model.latency_sigma) * 1000 for q, v in z.items()}
        else:
            latency = {q: -model.latency_mean_s * math.log(1 - v) * 1000
                       for q, v in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99))}
    return {"service": model.name, "kind": "llm", "requests": calls, "rejected_429": _mean(run.rejected),
            "rejected_share": _mean(run.rejected) / calls if calls else 0.0,
            "rpm_quota": model.rpm, "tpm_quota": model.tpm, "tokens_per_call": model.tokens_per_call,
            "latency_ms": latency, "peak_calls_per_minute": float(run.series_calls.max()) if len(run.series_calls) else 0.0}


def summarise(simulation: SimulationRun, costs: bool = True) -> dict:
    """Everything a renderer shows, as plain data (the JSON output is exactly this). Without `costs` there
    is no "costs" entry: pricing the whole plan once per seed is most of a large plan's summary, and the
    document's simulated day does not show the cost ranges."""
    options = simulation.options
    summaries = {run.model.name: service_summary(run, simulation.duration_s) for run in simulation.services}
    return {
        "schema": "archplan.simulate/v1",
        "file": simulation.plan.file,
        "days": options.days, "seeds": options.seeds, "seed": options.seed,
        "resolution_s": options.resolution_s,
        "spikes": [s.label() for s in options.spikes],
        "services": list(summaries.values()),
        "quotas": [quota_summary(q) for q in simulation.quotas],
        "caches": [cache_summary(c) for c in simulation.caches],
        "entry_points": entry_points(simulation, {r.model.component: summaries[r.model.name]
                                                  for r in simulation.services if r.model.kind != "gke"}),
        **({"costs": cost_ranges(simulation)} if costs else {}),
        "month_scale": float(DAYS_PER_MONTH) / options.days,
        "assumptions": simulation.notes,
    }
