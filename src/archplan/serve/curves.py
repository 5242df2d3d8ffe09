"""Cost across load for the page's curve: the plan priced at daily-active-user points around its own figure.
Each point is a what-if change of traffic.daily_active_users evaluated by the same pipeline."""
from __future__ import annotations

from archplan.serve import edits

DEFAULT_FACTORS = (0.1, 0.3, 1, 3, 10, 30, 100)
MAX_POINTS = 12


def _points(current: float | None, raw: str | None) -> list[float]:
    if raw:
        try:
            values = [float(part) for part in raw.split(",") if part.strip()]
        except ValueError:
            raise edits.EditError("points: comma-separated numbers of daily active users, e.g. 1000,10000") from None
        if not values or len(values) > MAX_POINTS or any(not 1 <= v <= 1e9 for v in values):
            raise edits.EditError(f"points: 1 to {MAX_POINTS} figures from 1 to 10^9")
        return sorted(set(values))
    if not current:
        raise edits.EditError("the plan has no traffic.daily_active_users to vary; give points=...")
    return [round(current * factor) for factor in DEFAULT_FACTORS if current * factor >= 1]


def cost_curve(session, environment: str | None, raw_points: str | None) -> dict:
    from archplan.render import charts

    saved = session.baseline(environment).data
    knob = next((k for k in saved["traffic_knobs"] if k["key"] == "daily_active_users"), None)
    current = knob["value"] if knob else None
    currency = saved["currency"]
    rows = []
    for users in _points(current, raw_points):
        changes = edits.parse_changes([{"path": ["traffic", "daily_active_users"], "value": int(users)}])
        result = session.evaluate(changes, environment).data
        total = charts.amount(result["cost"]["total"], currency)
        rows.append({"daily_active_users": int(users), "monthly": result["cost"]["total"],
                     "per_user": round(total / users, 4), "errors": result["check"]["counts"]["error"]})
    picture = charts.curve(f"Cost per daily active user ({currency} a month)",
                           [(r["daily_active_users"], r["per_user"]) for r in rows], "daily active users",
                           f"{currency} per user",
                           [(current, "this plan")] if current else [])
    return {"currency": currency, "current_daily_active_users": current, "points": rows, "svg": picture}
