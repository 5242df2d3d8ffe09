"""What a simulation run is asked for: days, spikes, seeds, resolution. Parsing errors are one line."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from archplan.errors import SpecError

_DURATION = re.compile(r"^(\d+(?:\.\d+)?)(ms|s|m|h|d)$")
_UNIT_S = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_SPIKE = re.compile(r"^(\d+(?:\.\d+)?)x@(?:d(\d+)-)?([01]?\d|2[0-3]):([0-5]\d)/(\d+(?:\.\d+)?(?:ms|s|m|h|d))$")
SPIKE_FORM = "FACTORx@HH:MM/DURATION, or FACTORx@dDAY-HH:MM/DURATION for one day (e.g. 20x@18:00/2h, 50x@d3-09:30/90m)"
MAX_STEPS = 200_000_000


@dataclass(frozen=True)
class Spike:
    factor: float
    start_s: float  # seconds after midnight
    duration_s: float
    day: int | None  # 1-based day of the run; None: every day

    def label(self) -> str:
        day = f"day {self.day}, " if self.day else "every day, "
        hours, minutes = divmod(int(self.start_s) // 60, 60)
        return f"{self.factor:g}x {day}{hours:02d}:{minutes:02d} for {duration_label(self.duration_s)}"


@dataclass(frozen=True)
class SimulationOptions:
    days: float = 30.0
    spikes: tuple[Spike, ...] = ()
    seeds: int = 20
    seed: int = 0
    resolution_s: float = 1.0
    services: tuple[str, ...] = ()  # empty: every service the plan has
    extra: dict = field(default_factory=dict, compare=False)


def duration_label(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:g}{unit}"
    return f"{seconds * 1000:g}ms"


def duration_label_any(seconds: float) -> str:
    """A duration however short or odd, for a message (duration_label wants whole units)."""
    return duration_label(seconds) if seconds >= 0.001 and (seconds * 1000) % 1 == 0 else f"{seconds:.3g} s"


def parse_duration(text: str, file: str, key: str) -> float:
    match = _DURATION.match(str(text).strip())
    if not match:
        raise SpecError(f"cannot read {text!r} as a duration: a number and ms, s, m, h or d (e.g. 1s, 100ms)",
                        file, None, key)
    return float(match.group(1)) * _UNIT_S[match.group(2)]


# A spike multiplies every simulated request: a thousand times the day's load is past any event-day surge a
# plan is sized for, and a factor beyond it (1e9x) would simulate billions of requests a minute.
MAX_SPIKE_FACTOR = 1000.0


def parse_spike(text: str, file: str) -> Spike:
    match = _SPIKE.match(str(text).strip())
    if not match:
        raise SpecError(f"cannot read spike {text!r}; write {SPIKE_FORM}", file, None, "--spike")
    factor = float(match.group(1))
    if not 0 < factor <= MAX_SPIKE_FACTOR:
        raise SpecError(f"spike {text!r}: the factor must be above 0 and at most {MAX_SPIKE_FACTOR:g}", file, None,
                        "--spike")
    duration = parse_duration(match.group(5), file, "--spike")
    if duration <= 0:
        raise SpecError(f"spike {text!r}: the duration must be above 0", file, None, "--spike")
    day = int(match.group(2)) if match.group(2) else None
    if day is not None and day < 1:
        raise SpecError(f"spike {text!r}: days count from d1", file, None, "--spike")
    return Spike(factor, int(match.group(3)) * 3600 + int(match.group(4)) * 60, duration, day)


def build_options(file: str, days: float = 30.0, spikes=(), seeds: int = 20, seed: int = 0,
                  resolution: str | float = "1s", services=()) -> SimulationOptions:
    """Validated options; every problem is one SpecError naming the option."""
    if not days > 0 or days > 3660:
        raise SpecError(f"must be above 0 and at most 3660 (got {days:g})", file, None, "--days")
    if seeds < 1 or seeds > 10_000:
        raise SpecError(f"must be 1 to 10000 (got {seeds})", file, None, "--seeds")
    if seed < 0 or seed > 2**31 - 1:
        raise SpecError(f"must be 0 to 2147483647 (got {seed})", file, None, "--seed")
    resolution_s = parse_duration(resolution, file, "--resolution") if isinstance(resolution, str) else float(resolution)
    if resolution_s < 0.001 - 1e-12:
        raise SpecError(f"must be at least 1ms (got {duration_label(resolution_s)})", file, None,
                        "--resolution")
    steps = days * 86400 / resolution_s
    if steps < 1 - 1e-9:  # the engine would simulate no step at all (and its arrays have no row)
        raise SpecError(f"{days:g} day(s) is {duration_label_any(days * 86400)}, shorter than one --resolution step "
                        f"({duration_label(resolution_s)}); simulate at least one step", file, None, "--days")
    if steps > MAX_STEPS:
        raise SpecError(f"--resolution {duration_label(resolution_s)} over {days:g} days is {steps:,.0f} steps; "
                        f"at most {MAX_STEPS:,} (use a coarser resolution or fewer days)", file, None, "--resolution")
    parsed = tuple(parse_spike(s, file) for s in spikes)
    for spike in parsed:
        if spike.day is not None and spike.day > days + 1e-9 and spike.day - 1 >= days:
            raise SpecError(f"spike on day {spike.day} is after the last simulated day ({days:g})", file, None,
                            "--spike")
    return SimulationOptions(days=float(days), spikes=parsed, seeds=int(seeds), seed=int(seed),
                             resolution_s=resolution_s, services=tuple(services))
