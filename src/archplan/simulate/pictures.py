"""Four pictures of a run, each as SVG and PNG: load, instances, latency percentiles, rejections over
time (one line per service, means over the seeds; percentiles pooled over the seeds)."""
from __future__ import annotations

import io

import numpy as np

from archplan.simulate import engine as E
from archplan.simulate.run import SimulationRun, percentile_from_hist

PICTURES = ("load", "instances", "latency", "rejections")


def _axis_hours(simulation: SimulationRun) -> tuple[np.ndarray, str]:
    bins = simulation.services[0].series.shape[0] if simulation.services else 0
    centres = (np.arange(bins) + 0.5) * simulation.bin_s
    if simulation.duration_s > 3 * 86400:
        return centres / 86400, "day of the run"
    return centres / 3600, "hour of the run"


def _figures(simulation: SimulationRun):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    x, label = _axis_hours(simulation)
    bin_s = simulation.bin_s
    figures = {}
    for what in PICTURES:
        figure = Figure(figsize=(9, 3.6), dpi=100)
        axes = figure.add_subplot(1, 1, 1)
        for run in simulation.services:
            series = run.series
            if what == "load":
                axes.plot(x, series[:, E.S_ARRIVALS] / bin_s, label=run.model.name, linewidth=1)
                axes.set_ylabel("requests per second")
            elif what == "instances":
                axes.plot(x, series[:, E.S_INSTANCE_S] / bin_s, label=run.model.name, linewidth=1)
                axes.set_ylabel("instances (mean in interval)")
            elif what == "latency":
                # With many services only the p95 lines stay readable.
                quantiles = ((0.5, ":"), (0.95, "-"), (0.99, "--")) if len(simulation.services) <= 2 else ((0.95, "-"),)
                for q, style in quantiles:
                    values = np.array([percentile_from_hist(h, q) * 1000 for h in run.series_hist])
                    axes.plot(x, values, style, linewidth=1, marker=".", markersize=2,
                              label=f"{run.model.name} p{int(q * 100)}")
                axes.set_yscale("log")
                axes.set_ylabel("latency, ms")
            else:
                axes.plot(x, (series[:, E.S_REJECTED] + series[:, E.S_TIMEOUTS]) / bin_s * 60,
                          label=run.model.name, linewidth=1)
                axes.set_ylabel("rejected + timed out per minute")
        axes.set_xlabel(label)
        axes.set_title({"load": "Load", "instances": "Instances",
                        "latency": "Latency p50 / p95 / p99" if len(simulation.services) <= 2 else "Latency p95",
                        "rejections": "Rejections (429) and timeouts"}[what])
        axes.grid(True, alpha=0.3)
        if simulation.services:
            axes.legend(fontsize=6, ncol=3 if what == "latency" else 2, loc="upper right")
        figure.tight_layout()
        figures[what] = figure
    return figures


def render(simulation: SimulationRun) -> dict[str, bytes]:
    """File name -> content: simulate-<picture>.svg and .png. Deterministic (no dates, fixed hash salt)."""
    import matplotlib

    matplotlib.rcParams["svg.hashsalt"] = "archplan"
    matplotlib.rcParams["svg.fonttype"] = "none"  # text as text: small files, no glyph definitions
    files = {}
    for what, figure in _figures(simulation).items():
        for extension in ("svg", "png"):
            buffer = io.BytesIO()
            metadata = {"Date": None} if extension == "svg" else {"Software": None}
            figure.savefig(buffer, format=extension, metadata=metadata)
            files[f"simulate-{what}.{extension}"] = buffer.getvalue()
    return files
