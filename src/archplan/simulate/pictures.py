"""Four pictures of a run, each as SVG and PNG: load, instances, latency percentiles, rejections over
time (one line per service, means over the seeds; percentiles pooled over the seeds)."""
from __future__ import annotations

import io

import numpy as np

from archplan.simulate import engine as E
from archplan.simulate.run import SimulationRun, percentile_from_hist

PICTURES = ("load", "instances", "latency", "rejections")


def axis_hours(simulation: SimulationRun) -> tuple[np.ndarray, str]:
    bins = simulation.services[0].series.shape[0] if simulation.services else 0
    centres = (np.arange(bins) + 0.5) * simulation.bin_s
    if simulation.duration_s > 3 * 86400:
        return centres / 86400, "day of the run"
    return centres / 3600, "hour of the run"


TITLES = {"load": "Load", "instances": "Instances", "rejections": "Rejections (429) and timeouts"}


def lines(simulation: SimulationRun, what: str) -> tuple[str, str, bool, list[tuple[str, np.ndarray, str]]]:
    """One picture's numbers: (title, y-axis label, log scale, [(line label, values per bin, style)]); the
    style is matplotlib's (`-` solid, `:` dotted, `--` dashed). Drawn here and by the document's own charts."""
    bin_s = simulation.bin_s
    drawn = []
    few = len(simulation.services) <= 2  # with many services only the p95 lines stay readable
    for run in simulation.services:
        series = run.series
        if what == "load":
            drawn.append((run.model.name, series[:, E.S_ARRIVALS] / bin_s, "-"))
        elif what == "instances":
            drawn.append((run.model.name, series[:, E.S_INSTANCE_S] / bin_s, "-"))
        elif what == "latency":
            for q, style in ((0.5, ":"), (0.95, "-"), (0.99, "--")) if few else ((0.95, "-"),):
                values = np.array([percentile_from_hist(h, q) * 1000 for h in run.series_hist])
                drawn.append((f"{run.model.name} p{int(q * 100)}", values, style))
        else:
            drawn.append((run.model.name, (series[:, E.S_REJECTED] + series[:, E.S_TIMEOUTS]) / bin_s * 60, "-"))
    if what == "latency":
        return ("Latency p50 / p95 / p99" if few else "Latency p95"), "latency, ms", True, drawn
    labels = {"load": "requests per second", "instances": "instances (mean in interval)",
              "rejections": "rejected + timed out per minute"}
    return TITLES[what], labels[what], False, drawn


def _figures(simulation: SimulationRun):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    x, label = axis_hours(simulation)
    figures = {}
    for what in PICTURES:
        figure = Figure(figsize=(9, 3.6), dpi=100)
        axes = figure.add_subplot(1, 1, 1)
        title, y_label, log_scale, drawn = lines(simulation, what)
        for name, values, style in drawn:
            if what == "latency":
                axes.plot(x, values, style, linewidth=1, marker=".", markersize=2, label=name)
            else:
                axes.plot(x, values, label=name, linewidth=1)
        if drawn:  # a run with no service keeps bare axes
            if log_scale:
                axes.set_yscale("log")
            axes.set_ylabel(y_label)
        axes.set_xlabel(label)
        axes.set_title(title)
        axes.grid(True, alpha=0.3)
        if simulation.services:
            axes.legend(fontsize=6, ncol=3 if what == "latency" else 2, loc="upper right")
        figure.tight_layout()
        figures[what] = figure
    return figures


def render(simulation: SimulationRun, extensions: tuple[str, ...] = ("svg", "png")) -> dict[str, bytes]:
    """File name -> content: simulate-<picture>.svg and .png (or the `extensions` asked for). Deterministic
    (no dates, fixed hash salt)."""
    import matplotlib

    matplotlib.rcParams["svg.hashsalt"] = "archplan"
    matplotlib.rcParams["svg.fonttype"] = "none"  # text as text: small files, no glyph definitions
    files = {}
    for what, figure in _figures(simulation).items():
        for extension in extensions:
            buffer = io.BytesIO()
            metadata = {"Date": None} if extension == "svg" else {"Software": None}
            figure.savefig(buffer, format=extension, metadata=metadata)
            files[f"simulate-{what}.{extension}"] = buffer.getvalue()
    return files
