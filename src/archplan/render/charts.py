"""Charts as inline SVG, drawn from the `cost` and `check` JSON documents: cost by category, cost by
component, availability per entry point, and a cost-per-user curve. Used by `doc` (no script needed to read
them) and by `serve`. Geometry only: every number printed is one the analyses computed."""
from __future__ import annotations

from html import escape

WIDTH = 640
BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 190
VALUE_WIDTH = 120
COLOURS = {"compute": "#188038", "data": "#8430ce", "network": "#1a73e8", "operations": "#e37400",
           "ai": "#d93025", "external": "#5f6368"}
MAX_BARS = 12
SYMBOLS = {"USD": "$", "INR": "₹", "EUR": "€", "GBP": "£", "JPY": "¥"}


def amount(money: dict, currency: str) -> float:
    """A money object of the JSON reports in the chosen currency (USD when it carries no such figure)."""
    return money.get(currency.lower(), money.get("converted", {}).get(currency, money["usd"])) \
        if isinstance(money, dict) else float(money)


def format_money(value: float, currency: str) -> str:
    symbol = SYMBOLS.get(currency, currency + " ")
    return f"{symbol}{value:,.2f}"


def _svg(height: int, title: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
            f'width="100%" preserveAspectRatio="xMinYMin meet"><title>{escape(title)}</title>'
            + "".join(body) + "</svg>")


def bars(title: str, rows: list[tuple[str, float, str, str]], scale_max: float | None = None) -> str:
    """Horizontal bars: (label, value, printed value, colour)."""
    rows = rows[:MAX_BARS]
    top = max([value for _label, value, _text, _colour in rows] + [scale_max or 0]) or 1
    height = 30 + len(rows) * (BAR_HEIGHT + GAP)
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 10
    body = [f'<text x="0" y="16" font-size="14" font-weight="600" fill="#202124">{escape(title)}</text>']
    for index, (label, value, text, colour) in enumerate(rows):
        y = 30 + index * (BAR_HEIGHT + GAP)
        width = max(1.0, room * max(value, 0) / top)
        body.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" font-size="12" text-anchor="end" '
                    f'fill="#3c4043">{escape(label[:28])}</text>')
        body.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" rx="3" '
                    f'fill="{colour}"><title>{escape(label)}: {escape(text)}</title></rect>')
        body.append(f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + 15}" font-size="12" '
                    f'fill="#202124">{escape(text)}</text>')
    return _svg(height, title, body)


def cost_by_category(cost: dict) -> str:
    currency = cost["currency"]
    rows = [(category, amount(money, currency), format_money(amount(money, currency), currency),
             COLOURS.get(category, "#5f6368"))
            for category, money in cost["categories"].items() if amount(money, currency) > 0]
    rows.sort(key=lambda row: -row[1])
    return bars(f"Monthly cost by category ({currency})", rows)


def cost_by_component(cost: dict) -> str:
    currency = cost["currency"]
    rows = [(c["name"], amount(c["monthly"], currency), format_money(amount(c["monthly"], currency), currency),
             COLOURS.get(c["category"] or "", "#5f6368")) for c in cost["components"]]
    rows = sorted((row for row in rows if row[1] > 0), key=lambda row: -row[1])
    if len(rows) > MAX_BARS:
        rest = rows[MAX_BARS - 1:]
        other = sum(row[1] for row in rest)
        rows = rows[:MAX_BARS - 1] + [(f"{len(rest)} others", other, format_money(other, currency), "#9aa0a6")]
    return bars(f"Monthly cost by component ({currency})", rows)


def availability_by_path(check: dict) -> str | None:
    availability = check.get("availability")
    if not availability:
        return None
    slo = availability.get("slo_percent")
    # Each path against its own target (user paths: the SLO; background paths and flows: theirs, if any).
    rows = [(entry.get("name") or entry["entry"], entry["percent"], entry.get("slo_percent", slo))
            for entry in availability.get("entries", []) if entry.get("percent") is not None]
    if availability.get("composite_percent") is not None and not any("name" in e for e in availability.get("entries", [])):
        rows.append(("whole request path", availability["composite_percent"], slo))
    # Bars show downtime a month (what people compare), labelled with the availability itself.
    minutes = [(label, (100 - percent) / 100 * 43800,
                f"{percent:.3f}% · {(100 - percent) / 100 * 43800:,.1f} min/month",
                "#d93025" if target is not None and percent < float(target) else "#188038")
               for label, percent, target in rows]
    title = "Availability per path (bar = downtime a month)"
    if slo is not None:
        title += f"; SLO {slo}%"
    return bars(title, minutes)


def curve(title: str, points: list[tuple[float, float]], x_label: str, y_label: str,
          marks: list[tuple[float, str]] = ()) -> str:
    """A line on log-x axes, points labelled; marks are vertical lines (limits, phase edges)."""
    import math

    if not points:
        return _svg(40, title, [f'<text x="0" y="16" font-size="14">{escape(title)}: no points</text>'])
    height, left, right, top, bottom = 300, 70, 20, 30, 40
    xs = [math.log10(max(x, 1e-9)) for x, _y in points]
    low, high = min(xs), max(xs)
    high = high if high > low else low + 1
    y_top = max(y for _x, y in points) or 1

    def px(x):
        return left + (math.log10(max(x, 1e-9)) - low) / (high - low) * (WIDTH - left - right)

    def py(y):
        return height - bottom - y / y_top * (height - top - bottom)

    body = [f'<text x="0" y="16" font-size="14" font-weight="600" fill="#202124">{escape(title)}</text>',
            f'<line x1="{left}" y1="{height - bottom}" x2="{WIDTH - right}" y2="{height - bottom}" stroke="#9aa0a6"/>',
            f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#9aa0a6"/>',
            f'<text x="{WIDTH - right}" y="{height - 8}" font-size="11" text-anchor="end">{escape(x_label)}</text>',
            f'<text x="4" y="{top - 6}" font-size="11">{escape(y_label)}</text>']
    for value, label in marks:
        x = px(value)
        body.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - bottom}" stroke="#e37400" '
                    f'stroke-dasharray="4 3"><title>{escape(label)}</title></line>')
        body.append(f'<text x="{x + 3:.1f}" y="{top + 10}" font-size="10" fill="#e37400">{escape(label[:30])}</text>')
    path = " ".join(f"{'M' if i == 0 else 'L'}{px(x):.1f},{py(y):.1f}" for i, (x, y) in enumerate(points))
    body.append(f'<path d="{path}" fill="none" stroke="#1a73e8" stroke-width="2"/>')
    for x, y in points:
        body.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="#1a73e8">'
                    f'<title>{x:,.0f}: {y:,.4f}</title></circle>')
        body.append(f'<text x="{px(x):.1f}" y="{height - bottom + 14}" font-size="10" '
                    f'text-anchor="middle">{x:,.0f}</text>')
    return _svg(height, title, body)


def all_charts(cost: dict, check: dict) -> dict[str, str]:
    charts = {"cost_by_category": cost_by_category(cost), "cost_by_component": cost_by_component(cost)}
    availability = availability_by_path(check)
    if availability:
        charts["availability"] = availability
    return charts
