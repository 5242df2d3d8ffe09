"""`archplan simulate`: traffic through the plan over time, request by request, with the autoscalers,
limits and billing GCP documents; results as ranges over seeds. See docs/simulation.md (the model)
and docs/design/simulation.md (this API).

Public API (plain functions; everything else in this package is private):

    simulate_plan(plan, options) -> dict            # the summary `archplan simulate --format json` prints
    simulated_p95_ms(plan, service, ...) -> float   # one service's simulated p95, for scale/optimize
    min_instances_for_p95(plan, service, target_ms, ...) -> (min_instances or None, p95 by min_instances)
    plan_with(plan, component, **settings) -> Plan  # the plan with one component's settings changed
    build_options(file, days=..., spikes=..., ...)  # validated options (one-line errors)
"""
from __future__ import annotations

from archplan.simulate.options import SimulationOptions, Spike, build_options

__all__ = ["SimulationOptions", "Spike", "build_options", "min_instances_for_p95", "plan_with", "run_simulation",
           "simulate_plan", "simulated_p95_ms"]


def run_simulation(plan, options, progress=None):
    """The raw run (per-seed totals, histograms, series) for renderers such as the pictures."""
    from archplan.simulate.run import simulate

    return simulate(plan, options, progress)


def simulate_plan(plan, options, progress=None) -> dict:
    """Summary of a run as plain data (schema archplan.simulate/v1)."""
    from archplan.simulate.report import summarise

    return summarise(run_simulation(plan, options, progress))


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
            return float(service_summary(service_run, result.duration_s)["latency_ms"]["p95"])
    raise KeyError(service)


def plan_with(plan, component: str, **settings):
    """A copy of the resolved plan with one component's spec settings changed (usage kept), e.g.
    plan_with(plan, "api", min_instances=2). Settings are validated as the plan file's would be."""
    import copy
    import dataclasses

    components = []
    for item in plan.components:
        if item.name == component:
            spec = type(item.spec).model_validate({**item.spec.model_dump(), **settings})
            item = dataclasses.replace(item, spec=spec)
        components.append(item)
    if not any(item.name == component for item in plan.components):
        raise KeyError(component)
    clone = copy.copy(plan)
    clone.components = components
    return clone


def min_instances_for_p95(plan, service: str, target_ms: float, days: float = 1.0, seeds: int = 3, seed: int = 0,
                          spikes=(), resolution: str = "1s", largest: int | None = None):
    """The smallest min_instances of a Cloud Run service or function whose simulated p95 is at most
    `target_ms`, trying 0, 1, 2, ... up to `largest` (default: its max_instances, at most 20). Returns
    (min_instances or None when none meets it, {min_instances: p95_ms} of every value tried)."""
    component = next(c for c in plan.components if c.name == service)
    top = min(component.spec.max_instances, 20) if largest is None else largest
    tried = {}
    for count in range(0, top + 1):
        p95 = simulated_p95_ms(plan_with(plan, service, min_instances=count), service, days, seeds, seed,
                               spikes, resolution)
        tried[count] = p95
        if p95 <= target_ms:
            return count, tried
    return None, tried
