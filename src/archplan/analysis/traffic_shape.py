"""The shape of the plan's traffic over time, relative to its mean: a daily and weekly profile, times spikes.
Read by `simulate` (its arrivals, minute by minute) and `scale` (the pods and nodes autoscalers run over a
day, whose mean is what a month bills).

The profile has mean 1 over a week, so a month of it matches the requests `cost` prices.
Default daily shape (no `traffic.daily_profile`): a von Mises curve exp(k cos(2π(h - peak_hour)/24)) / I0(k),
whose mean over the day is exactly 1 and whose peak is e^k / I0(k); k is chosen so that the peak equals
`traffic.peak_to_average` (k = 0, a flat day, when the plan states no peak).
"""
from __future__ import annotations

import math

import numpy as np


def scaled_i0(k: float) -> float:
    """I0(k) e^-k, with the large-k asymptote where I0 overflows."""
    return float(np.i0(k)) * math.exp(-k) if k < 700 else 1 / math.sqrt(2 * math.pi * k)


def von_mises_k(peak_to_average: float) -> float:
    """k with e^k / I0(k) = peak_to_average, by bisection (the ratio grows with k)."""
    if peak_to_average <= 1.0:
        return 0.0

    def ratio(k: float) -> float:
        return 1 / scaled_i0(k)

    low, high = 0.0, 1.0
    while ratio(high) < peak_to_average:
        high *= 2
        if high > 1e6:
            break
    for _ in range(100):
        middle = (low + high) / 2
        if ratio(middle) < peak_to_average:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def shape(traffic, days: float, spikes) -> tuple[np.ndarray, list[str]]:
    """Relative load for each minute of the run (mean 1 over whole weeks without spikes), and how it was made."""
    minutes = int(math.ceil(days * 1440 - 1e-9))
    t_hours = (np.arange(minutes) + 0.5) / 60.0  # minute midpoints, hours since Monday 00:00
    hour_of_day = t_hours % 24
    notes = []
    if traffic is not None and traffic.daily_profile is not None:
        weights = np.array([float(w) for w in traffic.daily_profile])
        weights = weights / weights.mean()
        daily = weights[hour_of_day.astype(int) % 24]
        notes.append(f"daily profile from traffic.daily_profile (peak hour {int(np.argmax(weights)):02d}:00, "
                     f"peak/average {weights.max():.2f})")
    else:
        peak = float(traffic.peak_to_average) if traffic is not None and traffic.peak_to_average else 1.0
        peak_hour = float(traffic.peak_hour) if traffic is not None else 20.0
        k = von_mises_k(peak)
        daily = np.exp(k * (np.cos(2 * np.pi * (hour_of_day - peak_hour) / 24) - 1)) / scaled_i0(k) \
            if k > 0 else np.ones(minutes)
        notes.append(f"daily profile: von Mises curve peaking at {peak_hour:g}:00 with peak/average {peak:g} "
                     f"(k = {k:.3f}; traffic.peak_to_average" + (")" if traffic and traffic.peak_to_average
                                                                    else " not set: flat)"))
    if traffic is not None and traffic.weekly_profile is not None:
        week = np.array([float(w) for w in traffic.weekly_profile])
        week = week / week.mean()
        weekly = week[(t_hours // 24).astype(int) % 7]
        notes.append("weekly profile from traffic.weekly_profile (Monday first; the run starts Monday 00:00)")
    else:
        weekly = np.ones(minutes)
    load = daily * weekly
    minute_of_day = (np.arange(minutes) % 1440) * 60.0 + 30.0
    day_number = np.arange(minutes) // 1440 + 1
    for spike in spikes:
        inside = (minute_of_day >= spike.start_s) & (minute_of_day < spike.start_s + spike.duration_s)
        # A spike that runs past midnight carries on into the next day.
        overflow = spike.start_s + spike.duration_s - 86400
        if overflow > 0:
            after = (minute_of_day < overflow) & (day_number > 1)
            if spike.day is not None:
                after &= day_number == spike.day + 1
            inside_day = inside if spike.day is None else inside & (day_number == spike.day)
            load = np.where(inside_day | after, load * spike.factor, load)
        else:
            if spike.day is not None:
                inside &= day_number == spike.day
            load = np.where(inside, load * spike.factor, load)
        notes.append(f"spike: {spike.label()}")
    return load, notes
