"""Cost across load for the page's curve: `archplan scale` over the plan's phases (or 1/10 to 100x its users),
with the first limit each component reaches and the phase boundaries marked. The numbers are scale's; this
module only picks them for the picture."""
from __future__ import annotations

from decimal import Decimal

from archplan.errors import SpecError
from archplan.serve import edits

MAX_POINTS = 24
MAX_CACHED = 16  # curves kept per plan version (one is a few hundred kB for a big plan)


def _points(spec, raw: str | None) -> list[Decimal]:
    from archplan.scale.load import default_points, parse_points

    if raw:
        try:
            points = parse_points(raw)
        except ValueError as error:
            raise edits.EditError(f"points: {error}") from None
        if not points or len(points) > MAX_POINTS:
            raise edits.EditError(f"points: 1 to {MAX_POINTS} load points (e.g. 1k..2M or 1000,20000)")
        return points
    points = default_points(spec)
    if points is None:
        raise edits.EditError("no cost-per-user curve: the plan states no users to scale "
                              "(traffic.daily_active_users or monthly_active_users); /api/curve takes points=... "
                              "instead")
    return points


def cost_curve(session, view, raw_points: str | None) -> dict:
    from archplan.assess import plain_data
    from archplan.render import charts
    from archplan.scale import scale
    from archplan.serve.evaluate import json_safe

    saved = session.baseline(view)
    spec = saved.assessment.spec
    points = _points(spec, raw_points)
    key = (session.snapshot().version, view.environment, tuple(points))
    cached = session.curves.get(key)
    if cached is not None:
        return cached
    try:
        result = scale(str(session.path), points, view.environment)
    except SpecError as error:
        error.file = session.display
        raise edits.EditError(str(error)) from None
    from archplan.render.shown_money import from_data

    currency = result["currency"]
    fx = from_data(result["exchange_rate"], currency)

    def shown(usd) -> float:
        return float(fx.chosen(Decimal(str(usd))))

    curve = [(float(p["load"]), shown(p["per_unit_usd"])) for p in result["points"] if p["per_unit_usd"] is not None]
    marks = [(float(limit["reached_at"]), f"{limit['component']}: {limit['limit']}")
             for limit in result["first_limits"] if limit["reached_at"] and not limit["already_at_start"]]
    marks += [(float(phase["min_users"]), f"phase {phase['phase']}") for phase in result["phases"]
              if phase["min_users"]]
    basis = str(result["basis"] or "users").replace("_", " ")
    picture = charts.curve(f"Cost {result['per_unit']} a month ({currency}) as load grows", curve, basis,
                           f"{currency} {result['per_unit']}", marks)
    answer = json_safe(plain_data({"currency": currency, "scale": result, "svg": picture}))
    if len(session.curves) >= MAX_CACHED:  # every points= asked for was kept, however many
        session.curves.pop(next(iter(session.curves)), None)
    session.curves[key] = answer
    return answer
