"""The arrival rate over time: the plan's mean rate shaped by its daily and weekly profile and spikes
(analysis/traffic_shape.py), and a daily cron job's calls."""
from __future__ import annotations

import math

import numpy as np

from archplan.analysis.traffic_shape import scaled_i0, shape, von_mises_k  # noqa: F401 (simulate's names)

RATE_STEP_S = 60.0  # the rate is constant within each minute


def scheduled_shape(schedule: str, days: float) -> np.ndarray | None:
    """Relative load of a daily cron job ('M H * * *'): all of a day's calls within its minute."""
    parts = schedule.split()
    if len(parts) != 5 or parts[2:] != ["*", "*", "*"] or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    minute = int(parts[1]) * 60 + int(parts[0])
    if minute >= 1440:
        return None
    minutes = int(math.ceil(days * 1440 - 1e-9))
    load = np.zeros(minutes)
    load[minute::1440] = 1440.0
    return load
