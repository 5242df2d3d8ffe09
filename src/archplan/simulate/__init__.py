"""`archplan simulate`: traffic through the plan over time, request by request, with the autoscalers,
limits and billing GCP documents; results as ranges over seeds. See docs/simulation.md (the model)
and docs/design/simulation.md (this API).

Public API (plain functions; everything else in this package is private):

    simulate_plan(plan, options) -> dict            # the summary `archplan simulate --format json` prints
    simulated_p95_ms(plan, service, ...) -> float   # one service's simulated p95, for scale/optimize
    build_options(file, days=..., spikes=..., ...)  # validated options (one-line errors)
"""
from __future__ import annotations

from archplan.simulate.options import SimulationOptions, Spike, build_options

__all__ = ["SimulationOptions", "Spike", "build_options", "simulate_plan", "simulated_p95_ms", "run"]


def run(plan, options, progress=None):
    """The raw run (per-seed totals, histograms, series) for renderers such as the pictures."""
    from archplan.simulate.run import simulate

    return simulate(plan, options, progress)


def simulate_plan(plan, options, progress=None) -> dict:
    """Summary of a run as plain data (schema archplan.simulate/v1)."""
    from archplan.simulate.report import summarise

    return summarise(run(plan, options, progress))


def simulated_p95_ms(plan, service: str, days: float = 1.0, seeds: int = 5, seed: int = 0, spikes=(),
                     resolution: str = "1s") -> float:
    """The p95 latency (ms) of one service's served requests over `seeds` runs of `days` days.

    Use it where the analytic M/M/c p95 of `check` does not hold: services that scale from zero (cold
    starts), plans with spikes, or caps that queue and reject. It costs a simulation (about 0.1-1 s a
    service-day-seed on one core); the analytic model costs microseconds.
    """
    from archplan.simulate.report import service_summary
    from archplan.simulate.run import simulate

    options = build_options(plan.file, days=days, spikes=spikes, seeds=seeds, seed=seed, resolution=resolution,
                            services=(service,))
    result = simulate(plan, options)
    for service_run in result.services:
        if service_run.model.name == service or service_run.model.component == service:
            return service_summary(service_run, result.duration_s)["latency_ms"]["p95"]
    raise KeyError(service)
