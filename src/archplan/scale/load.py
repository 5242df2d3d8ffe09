"""Load points and how a plan is set to a load: users (or requests a month) at each point, the fields that
grow with it, and spike months.

Rule: at a load point the plan's traffic figures (monthly and daily active users, concurrent users,
requests a month) and every volume a component states per month or per day (`*_per_month`,
`*_per_day`, plus `working_set_gb` and a component's monthly active users) are multiplied by point / base
load, where the base load is the plan's own figure (users by that alone: a spike adds requests, not users). Provisioned sizes (instances, tiers, storage_gb, capacity_gb) stay as written:
they are the plan's settings, and `scale` shows where they stop being enough. A stated item billed per
month (unit `month`, a subscription) does not grow either, nor does a VM's `hours_per_month` (how long it
runs, a schedule of at most 730 h, not a volume).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from archplan.memo import LIMIT as MEMO_LIMIT

SUFFIXES = {"k": Decimal(10) ** 3, "m": Decimal(10) ** 6, "b": Decimal(10) ** 9, "g": Decimal(10) ** 9,
            "t": Decimal(10) ** 12}  # as load_text writes them
TRAFFIC_FIELDS = ("monthly_active_users", "daily_active_users", "concurrent_users", "requests_per_month")
VOLUME_KEY = re.compile(r"(_per_month|_per_day)$")
GROWING_SIZES = ("working_set_gb",)
# users a component states (Identity Platform's monthly active users) are the load itself
USER_COUNTS = ("monthly_active_users", "enterprise_monthly_active_users")
SCHEDULES = ("hours_per_month",)  # named like a volume, but a running time the load does not change
MAX_POINTS = 200


def number(text: str) -> Decimal:
    """'1k' -> 1000, '2M' -> 2000000, '1.5k' -> 1500."""
    text = text.strip().replace(",", "").replace("_", "")
    multiplier = Decimal(1)
    if text and text[-1].lower() in SUFFIXES:
        multiplier = SUFFIXES[text[-1].lower()]
        text = text[:-1]
    try:
        value = Decimal(text) * multiplier
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number (e.g. 5000, 10k, 2M)") from None
    if not value.is_finite() or value < 0:
        raise ValueError(f"{text!r} is not a load (a number of 0 or more)")
    return value


def _one_two_five(low: Decimal, high: Decimal) -> list[Decimal]:
    """1, 2, 5 per decade between the ends, and both ends."""
    points = {low, high}
    decade = Decimal(1)
    while decade * 10 <= max(low, 1):
        decade *= 10
    while decade / 10 >= max(low, 1):
        decade /= 10
    while decade <= high:
        for step in (1, 2, 5):
            value = decade * step
            if low <= value <= high:
                points.add(value)
        decade *= 10
    return sorted(points)


def parse_points(text: str) -> list[Decimal]:
    """`1k..2M` (1-2-5 steps), `1k..2M:12` (12 points evenly spaced on a log scale), `1k,10k,100k`."""
    text = text.strip()
    if ".." in text:
        span, _, count_text = text.partition(":")
        low_text, _, high_text = span.partition("..")
        low, high = number(low_text), number(high_text)
        if high <= low:
            raise ValueError(f"{text!r}: the range must rise (got {low} .. {high})")
        if not count_text:
            points = _one_two_five(low, high)
        else:
            try:
                count = int(count_text)
            except ValueError:
                raise ValueError(f"{text!r}: the number of points after ':' must be a whole number") from None
            if count < 2:
                raise ValueError(f"{text!r}: a range needs at least 2 points")
            if low == 0:
                points = [low + (high - low) * i / (count - 1) for i in range(count)]
            else:
                ratio = (high / low) ** (Decimal(1) / (count - 1))
                points = [(low * ratio ** i).quantize(Decimal(1)) if i not in (0, count - 1) else (low, high)[i > 0]
                          for i in range(count)]
    else:
        points = sorted({number(part) for part in text.split(",") if part.strip()})
    if not points:
        raise ValueError("no load points given")
    if len(points) > MAX_POINTS:
        raise ValueError(f"{len(points)} load points: at most {MAX_POINTS}")
    return points


def parse_labelled(text: str) -> tuple[list[Decimal], dict[Decimal, str]]:
    """`light=200k,medium=1M,heavy=4M`: listed points with names (a document's scenarios); anything else
    as `parse_points`, with no names."""
    if "=" not in text:
        return parse_points(text), {}
    labels: dict[Decimal, str] = {}
    for part in (p.strip() for p in text.split(",") if p.strip()):
        name, _, value = part.partition("=")
        name = name.strip()
        if not value or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]{0,30}", name):
            raise ValueError(f"{part!r}: a named point is NAME=LOAD, e.g. light=200k")
        load = number(value)
        if load in labels:
            raise ValueError(f"{part!r}: {labels[load]} is already at {value}")
        labels[load] = name
    points = sorted(labels)
    if len(points) > MAX_POINTS:
        raise ValueError(f"{len(points)} load points: at most {MAX_POINTS}")
    return points, labels


def parse_multiple(text: str) -> Decimal:
    """'10x' -> 10."""
    value = number(text.lower().removesuffix("x"))
    if value < 1:
        raise ValueError(f"--spike {text!r}: a spike is 1x or more of the normal load")
    return value


@dataclass(frozen=True)
class Spike:
    """Event days: for `hours` on each of `days` days a month, traffic runs at `multiple` x the average."""

    multiple: Decimal
    days: Decimal
    hours: Decimal

    @property
    def month_factor(self) -> Decimal:
        """Requests in the month relative to a month without events."""
        return 1 + (self.multiple - 1) * self.hours * self.days / 730

    def describe(self) -> str:
        return (f"{self.days:g} event day(s) a month, {self.hours:g} h each at {self.multiple:g}x the average "
                f"load: the month carries {self.month_factor:.4f}x the requests (1 + ({self.multiple:g} - 1) x "
                f"{self.hours:g} h x {self.days:g} / 730 h), and the peak is {self.multiple:g}x the average")


def base_basis(traffic: dict | None) -> tuple[str, Decimal] | None:
    """The traffic figure load points are counted in, and its value in the (merged) plan data."""
    traffic = traffic or {}
    for key in ("monthly_active_users", "daily_active_users"):
        if traffic.get(key) not in (None, 0):
            return key, Decimal(str(traffic[key]))
    if traffic.get("requests_per_month") not in (None, 0):
        return "requests_per_month", Decimal(str(traffic["requests_per_month"]))
    return None


def _scaled(node, factor: Decimal, path: tuple, scaled: list[str], users: Decimal | None = None):
    """The node with every growing volume multiplied by `factor` (user counts by `users`, default the same): a
    new mapping (or list) where something in it grows, the node itself where nothing does (copy on write: the
    parse it may come from stays as it was)."""
    changed = None
    users = factor if users is None else users
    if isinstance(node, dict):
        is_subscription = str(node.get("unit", "")).strip().lower() == "month"
        for key, value in node.items():
            # a free allowance stays what the vendor gives; a schedule stays what the plan sets
            grows = (VOLUME_KEY.search(str(key)) or key in GROWING_SIZES or key in USER_COUNTS) \
                and not is_subscription and not str(key).startswith("free_") and key not in SCHEDULES
            if grows and isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                new = Decimal(str(value)) * (users if key in USER_COUNTS else factor)
                scaled.append(".".join(str(p) for p in path + (key,)))
            else:
                new = _scaled(value, factor, path + (key,), scaled, users)
                if new is value:
                    continue
            changed = changed if changed is not None else dict(node)
            changed[key] = new
    elif isinstance(node, list):
        for index, item in enumerate(node):
            new = _scaled(item, factor, path + (index,), scaled, users)
            if new is not item:
                changed = changed if changed is not None else list(node)
                changed[index] = new
    return node if changed is None else changed


# (id(body), name, factor) -> (body, its grown copy, the fields grown): inside shared_growth only, else None
_GROWN: dict | None = None


def shared_growth():
    """Within it, a component body grown by the same factor is the same grown body in every run of `scale`
    (validate runs the document's growth section in each environment, and most components are the same in
    each): it is grown once and validated once (spec.load.share_body). Left, everything shared is dropped."""
    from archplan.memo import scoped
    from archplan.spec.load import forget_shared_bodies

    return scoped(__name__, "_GROWN", forget_shared_bodies)


def _grown(body, factor: Decimal, name: str, scaled: list[str], users: Decimal):
    """_scaled(body), made once per body and factors inside shared_growth."""
    if _GROWN is None:
        return _scaled(body, factor, ("components", name), scaled, users)
    key = (id(body), name, str(factor), str(users))  # str: 2 and 2.0 grow alike in value, not in how written
    hit = _GROWN.get(key)
    if hit is not None and hit[0] is body:
        scaled.extend(hit[2])
        return hit[1]
    mark = len(scaled)
    grown = _scaled(body, factor, ("components", name), scaled, users)
    if grown is not body and len(_GROWN) < MEMO_LIMIT:
        from archplan.spec.load import share_body

        _GROWN[key] = (body, grown, scaled[mark:])
        share_body(grown)
    return grown


def set_load(data: dict, factor: Decimal, spike: Spike | None, scaled: list[str], steady: dict | None = None) -> None:
    """Multiply the plan's load by `factor` (and the spike's month factor). The traffic mapping is changed in
    place; a component that grows is replaced by a grown copy, one that does not is left as it is. `steady`
    (id -> body, kept by the caller across load points) holds the component bodies found to have nothing that
    grows, which are not walked again (what grows depends on the keys, not the factor; holding the body keeps
    its id from being reused)."""
    month = spike.month_factor if spike else Decimal(1)
    traffic = data.setdefault("traffic", {}) or {}
    data["traffic"] = traffic
    for key in TRAFFIC_FIELDS:
        if traffic.get(key) is not None:
            value = Decimal(str(traffic[key])) * factor
            # Users are who is there; the spike adds requests, so it scales only the request volumes.
            traffic[key] = value * (month if key == "requests_per_month" else 1)
    if spike and traffic.get("requests_per_month") is None and traffic.get("requests_per_user_per_day") is not None:
        traffic["requests_per_user_per_day"] = Decimal(str(traffic["requests_per_user_per_day"])) * month
    if spike:
        normal_peak = Decimal(str(traffic.get("peak_to_average") or 1))
        traffic["peak_to_average"] = max(normal_peak, spike.multiple) / month
    components = data.get("components")
    if isinstance(components, dict) and steady is not None:
        grown = {}
        for name, body in components.items():
            if id(body) in steady:
                continue
            grown[name] = _grown(body, factor * month, name, scaled, factor)
            if grown[name] is body:
                steady[id(body)] = body
        if any(grown[name] is not components[name] for name in grown):
            data["components"] = {name: grown.get(name, body) for name, body in components.items()}
    elif components:
        data["components"] = _scaled(components, factor * month, ("components",), scaled, factor)


def default_points(spec) -> list[Decimal] | None:
    """Load points when none are given: across the phases if the plan has them, else 1/10 to 100x its
    users (1-2-5 steps); None when the plan states no users."""
    if spec.phases:
        top = spec.phases[-1].max_users or spec.phases[-1].min_users * 10
        low = max(spec.phases[0].min_users, (top / 2000).quantize(Decimal(1)), Decimal(1))
        return _one_two_five(low, max(top, low * 10))
    found = base_basis(spec.traffic.model_dump() if spec.traffic else {})
    if found is None or found[0] == "requests_per_month":
        return None
    return _one_two_five(max(found[1] / 10, Decimal(1)).quantize(Decimal(1)), found[1] * 100)


def default_request_points(spec) -> list[Decimal] | None:
    """Load points in requests a month for a plan that states requests, not users: 1/10 to 100x its
    traffic.requests_per_month (1-2-5 steps); None when it states neither."""
    found = base_basis(spec.traffic.model_dump() if spec.traffic else {})
    if found is None or found[0] != "requests_per_month":
        return None
    return _one_two_five(max(found[1] / 10, Decimal(1)).quantize(Decimal(1)), found[1] * 100)
