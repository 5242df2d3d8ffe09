"""Charts as inline SVG, drawn from the `cost` and `check` JSON documents: cost by category, cost by
component, availability per entry point, and a cost-per-user curve. Used by `doc` (no script needed to read
them) and by `serve`. Geometry only: every number printed is one the analyses computed."""
from __future__ import annotations

import re
from html import escape

from archplan.render.numbers import short_count

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
    """As the reports write it: ₹1,19,918.49 (lakh grouping), ¥12,345 (no minor unit), BRL 6,938.23."""
    from decimal import Decimal

    from archplan.render.numbers import amount as written

    return written(Decimal(repr(float(value))), currency)


EM = 0.6  # a character's width as a share of the font size: DejaVu Sans' digits are 0.64, lower case about 0.55
LINE_GAP = 1.25  # between the baselines of a wrapped text's lines, in font sizes
BREAK_INSIDE = re.compile(r"[^/_.-]*[/_.-]*")  # a name's parts: where a word longer than a line may break


def _wrap(text: str, width: float, font_size: float, max_lines: int = 3) -> list[str]:
    """`text` in lines that fit `width` px at `font_size`, broken at spaces (a path's arrows); a word longer
    than a line after a '/', '_', '.' or '-', else where it must. What does not fit in `max_lines` ends the
    last line in '…'."""
    per_line = max(2, int(width / (font_size * EM)))
    pieces = []
    for word in re.findall(r"\S+\s*", text) or [text]:
        if len(word.rstrip()) <= per_line:
            pieces.append(word)
            continue
        for part in (match for match in BREAK_INSIDE.findall(word) if match):
            pieces += [part[at:at + per_line] for at in range(0, len(part), per_line)]
    lines, line = [], ""
    for piece in pieces:
        if line and len(line + piece.rstrip()) > per_line:
            lines.append(line.rstrip())
            line = ""
        line += piece
    lines.append(line.rstrip())
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][:per_line - 1].rstrip() + "…"
    return lines


def _text(x: float, y: float, lines: list[str], font_size: float, attributes: str = "") -> str:
    """One <text> (first baseline at y), a <tspan> a line when there are several."""
    head = f'<text x="{x:.1f}" y="{y:.1f}" font-size="{font_size:g}"{attributes}>'
    if len(lines) == 1:
        return head + escape(lines[0]) + "</text>"
    step = font_size * LINE_GAP
    return head + "".join(f'<tspan x="{x:.1f}" dy="{0 if i == 0 else step:g}">{escape(line)}</tspan>'
                          for i, line in enumerate(lines)) + "</text>"


def _heading(title: str, font_size: float = 14) -> tuple[str, int]:
    """The chart's title, wrapped to its width (two lines at most), and how many px lower than a one-line
    title the chart under it starts."""
    lines = _wrap(title, WIDTH, font_size, 2)
    return (_text(0, 16, lines, font_size, ' font-weight="600" fill="#202124"'),
            round((len(lines) - 1) * font_size * LINE_GAP))


def _beside_line(x: float, y: float, label: str, font_size: float, colour: str, left: float, right: float) -> str:
    """A vertical line's label on one line: right of it, or left of it near the right edge, cut with '…' to
    the room there is between the line and the plot's edge."""
    to_the_left = x > WIDTH * 0.6
    room = x - left - 3 if to_the_left else WIDTH - right - x - 3
    return _text(x - 3 if to_the_left else x + 3, y, _wrap(label, room, font_size, 1), font_size,
                 f' fill="{colour}"' + (' text-anchor="end"' if to_the_left else ""))


def _svg(height: int, title: str, body: list[str], css: str = "chart") -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="{css}" role="img" viewBox="0 0 {WIDTH} {height}" '
            f'width="100%" preserveAspectRatio="xMinYMin meet"><title>{escape(title)}</title>'
            + "".join(body) + "</svg>")


def bars(title: str, rows: list[tuple[str, float, str, str]], scale_max: float | None = None) -> str:
    """Horizontal bars: (label, value, printed value, colour)."""
    rows = rows[:MAX_BARS]
    top = max([value for _label, value, _text, _colour in rows] + [scale_max or 0]) or 1
    # The printed values' column is as wide as the longest of them, so none runs off the right edge.
    value_width = max([VALUE_WIDTH] + [len(text) * 12 * EM + 16 for _label, _value, text, _colour in rows])
    # The names' column widens for long names and paths, up to two fifths of the chart; they wrap past that.
    label_width = min(max([LABEL_WIDTH] + [len(label) * 12 * EM + 8 for label, *_rest in rows]), WIDTH * 2 / 5)
    room = max(WIDTH - label_width - value_width, WIDTH / 5)
    heading, lower = _heading(title)
    body = [heading]
    y = 30 + lower
    for label, value, text, colour in rows:
        # A long name or path wraps onto more lines (the bar's row grows), where it was cut at 28 characters.
        lines = _wrap(label, label_width - 8, 12)
        row_height = max(BAR_HEIGHT, len(lines) * 12 * LINE_GAP + 4)
        middle = y + row_height / 2
        width = max(1.0, room * max(value, 0) / top)
        body.append(_text(label_width - 8, middle + 4 - (len(lines) - 1) * 6 * LINE_GAP, lines, 12,
                          ' text-anchor="end" fill="#3c4043"'))
        body.append(f'<rect x="{label_width:g}" y="{middle - BAR_HEIGHT / 2:g}" width="{width:.1f}" '
                    f'height="{BAR_HEIGHT}" rx="3" fill="{colour}"><title>{escape(label)}: {escape(text)}</title></rect>')
        body.append(f'<text x="{label_width + width + 6:.1f}" y="{middle + 4:g}" font-size="12" '
                    f'fill="#202124">{escape(text)}</text>')
        y += row_height + GAP
    return _svg(round(y), title, body)


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
    heading, lower = _heading(title)
    height, left, right, top, bottom = 310 + lower, 70, 20, 40 + lower, 40
    xs = [math.log10(max(x, 1e-9)) for x, _y in points]
    low, high = min(xs), max(xs)
    high = high if high > low else low + 1
    y_top = max(y for _x, y in points) or 1

    def px(x):
        return left + (math.log10(max(x, 1e-9)) - low) / (high - low) * (WIDTH - left - right)

    def py(y):
        return height - bottom - y / y_top * (height - top - bottom)

    body = [heading,
            f'<line x1="{left}" y1="{height - bottom}" x2="{WIDTH - right}" y2="{height - bottom}" stroke="#9aa0a6"/>',
            f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#9aa0a6"/>',
            f'<text x="{WIDTH - right}" y="{height - 8}" font-size="11" text-anchor="end">{escape(x_label)}</text>',
            f'<text x="4" y="{top - 6}" font-size="11">{escape(y_label)}</text>']
    for value, label in marks:
        x = px(value)
        body.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - bottom}" stroke="#e37400" '
                    f'stroke-dasharray="4 3"><title>{escape(label)}</title></line>')
        body.append(_beside_line(x, top + 10, label, 10, "#e37400", left, right))
    path = " ".join(f"{'M' if i == 0 else 'L'}{px(x):.1f},{py(y):.1f}" for i, (x, y) in enumerate(points))
    body.append(f'<path d="{path}" fill="none" stroke="#1a73e8" stroke-width="2"/>')
    for tick in _ticks(0, y_top, False):
        if tick <= y_top:
            body.append(f'<line x1="{left - 4}" y1="{py(tick):.1f}" x2="{left}" y2="{py(tick):.1f}" stroke="#9aa0a6"/>')
            body.append(f'<text x="{left - 6}" y="{py(tick) + 4:.1f}" font-size="10" text-anchor="end">'
                        f'{escape(_tick_text(tick))}</text>')
    last_label = -math.inf
    for x, y in points:
        body.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="#1a73e8">'
                    f'<title>{x:,.0f}: {y:,.4f}</title></circle>')
        if px(x) - last_label >= MIN_LABEL_GAP:  # every point keeps its tooltip; labels do not overlap
            body.append(f'<text x="{px(x):.1f}" y="{height - bottom + 14}" font-size="10" '
                        f'text-anchor="middle">{escape(short_count(x))}</text>')
            last_label = px(x)
    return _svg(height, title, body)


MIN_LABEL_GAP = 36  # px between the centres of two x labels of a curve


def all_charts(cost: dict, check: dict) -> dict[str, str]:
    charts = {"cost_by_category": cost_by_category(cost), "cost_by_component": cost_by_component(cost)}
    availability = availability_by_path(check)
    if availability:
        charts["availability"] = availability
    return charts


LINE_COLOURS = ("#1a73e8", "#d93025", "#188038", "#e37400", "#8430ce", "#007b83", "#b31412", "#5f6368",
                "#f9ab00", "#174ea6")
DASHES = {"-": "", ":": ' stroke-dasharray="1 3"', "--": ' stroke-dasharray="6 3"'}


def _ticks(low: float, high: float, log_scale: bool) -> list[float]:
    """A few round values between low and high: powers of ten on a log axis, 1-2-5 steps otherwise."""
    import math

    if log_scale:
        return [10.0 ** p for p in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)]
    raw = (high - low) / 4 or 1
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return [i * step for i in range(math.floor(low / step), math.ceil(high / step) + 1)]


def _tick_text(value: float, prefix: str = "") -> str:
    """A tick's number, grouped as the reports group it: lakh and crore after the rupee sign."""
    if prefix == "₹" and (abs(value) >= 10 or value == int(value)):
        from archplan.render.numbers import group_indian

        return ("-" if value < 0 else "") + group_indian(round(abs(value)))
    return f"{value:,.0f}" if abs(value) >= 10 or value == int(value) else f"{value:.3g}"


def time_series(title: str, x: list[float], x_label: str, y_label: str,
                lines: list[tuple[str, list[float], str]], log_scale: bool = False) -> str:
    """Lines over one x axis (the simulated time): (label, y values, style `-`, `:` or `--`); a value that is
    not a number (an interval with no request has no latency) breaks its line. A legend lists every line."""
    import math

    heading, lower = _heading(title)
    height, left, right, top, bottom = 290 + lower, 70, 20, 42 + lower, 40
    legend_rows = math.ceil(len(lines) / 3)
    total_height = height + 16 * legend_rows + (6 if lines else 0)
    finite = [v for _label, values, _style in lines for v in values
              if math.isfinite(v) and (v > 0 or not log_scale)]
    if not finite or not x:
        return _svg(40, title, [f'<text x="0" y="16" font-size="14">{escape(title)}: nothing to draw</text>'],
                    "time-series")
    low, high = (min(finite), max(finite)) if log_scale else (min(0.0, min(finite)), max(finite))
    if high <= low:
        high = low * 10 if log_scale else low + 1
    y_ticks = _ticks(low, high, log_scale)
    low, high = min(y_ticks[0], low), max(y_ticks[-1], high)
    x_low, x_high = min(x), max(x)
    x_high = x_high if x_high > x_low else x_low + 1

    def px(value: float) -> float:
        return left + (value - x_low) / (x_high - x_low) * (WIDTH - left - right)

    def py(value: float) -> float:
        share = (math.log10(value) - math.log10(low)) / (math.log10(high) - math.log10(low)) if log_scale \
            else (value - low) / (high - low)
        return height - bottom - share * (height - top - bottom)

    body = [heading,
            f'<line x1="{left}" y1="{height - bottom}" x2="{WIDTH - right}" y2="{height - bottom}" stroke="#9aa0a6"/>',
            f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#9aa0a6"/>',
            f'<text x="{WIDTH - right}" y="{height - 8}" font-size="11" text-anchor="end">{escape(x_label)}</text>',
            f'<text x="4" y="{top - 6}" font-size="11">{escape(y_label)}</text>']
    for tick in y_ticks:
        y = py(tick)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" stroke="#e8eaed"/>')
        body.append(f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end">{_tick_text(tick)}</text>')
    for tick in _ticks(x_low, x_high, False):
        if x_low <= tick <= x_high:
            body.append(f'<text x="{px(tick):.1f}" y="{height - bottom + 14}" font-size="10" '
                        f'text-anchor="middle">{_tick_text(tick)}</text>')
    of_style: dict[str, int] = {}
    for index, (label, values, style) in enumerate(lines):
        # One colour per service: its p50, p95 and p99 lines differ by dash, each the n-th of its style.
        colour = LINE_COLOURS[of_style.get(style, 0) % len(LINE_COLOURS)]
        of_style[style] = of_style.get(style, 0) + 1
        path, pen_down = [], False
        for x_value, y_value in zip(x, values):
            if not math.isfinite(y_value) or (log_scale and y_value <= 0):
                pen_down = False
                continue
            path.append(f"{'L' if pen_down else 'M'}{px(x_value):.1f},{py(y_value):.1f}")
            pen_down = True
        body.append(f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" stroke-width="1.5"{DASHES[style]}>'
                    f'<title>{escape(label)}</title></path>')
        column, row = index % 3, index // 3
        lx, ly = 10 + column * 205, height + 4 + row * 16
        body.append(f'<line x1="{lx}" y1="{ly + 6}" x2="{lx + 18}" y2="{ly + 6}" stroke="{colour}" '
                    f'stroke-width="2"{DASHES[style]}/>')
        body.append(_text(lx + 22, ly + 10, _wrap(label, 205 - 22 - 6, 10, 1), 10, ' fill="#3c4043"'))
    return _svg(total_height, title, body, "time-series")


def load_panels(title: str, loads: list[float], x_label: str, panels: list[tuple[str, list[float], str]],
                bands: list[tuple[float, float, str]] = (), marks: list[tuple[float, str]] = ()) -> str:
    """Figures against load, both axes logarithmic: one panel per figure (label, values, the text before each
    y tick, e.g. a currency symbol), stacked on one x axis; `bands` shade ranges of load (low, high, label:
    phases), `marks` are vertical red lines (load, label: the first limit a component reaches). A value that
    is not positive breaks its line."""
    import math

    if not loads or min(loads) <= 0:
        return _svg(40, title, [f'<text x="0" y="16" font-size="14">{escape(title)}: nothing to draw</text>'],
                    "load-panels")
    heading, lower = _heading(title, 12)
    left, right, top, panel_height, gap, bottom = 80, 20, 34 + lower, 150, 26, 40
    x_low, x_high = math.log10(min(loads)), math.log10(max(loads))
    x_high = x_high if x_high > x_low else x_low + 1

    def px(value: float) -> float:
        return left + (math.log10(value) - x_low) / (x_high - x_low) * (WIDTH - left - right)

    height = top + len(panels) * (panel_height + gap) - gap + bottom
    plot_bottom = height - bottom
    body = [heading]
    for index, (low, high, label) in enumerate(bands):
        low, high = max(low, min(loads)), min(high, max(loads))
        if high > low:
            body.append(f'<rect x="{px(low):.1f}" y="{top}" width="{px(high) - px(low):.1f}" '
                        f'height="{plot_bottom - top}" fill="{("#f1f3f4", "#e8f0fe")[index % 2]}">'
                        f'<title>{escape(label)}</title></rect>')
            body.append(_text(px(low) + 3, top - 4, _wrap(label, max(px(high) - px(low) - 6, 60), 10, 1), 10,
                              ' fill="#5f6368"'))
    for index, (at, label) in enumerate(marks):
        if min(loads) <= at <= max(loads):
            x = px(at)
            body.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{plot_bottom}" stroke="#d93025" '
                        f'stroke-dasharray="2 3"><title>{escape(label)}</title></line>')
            body.append(_beside_line(x, top + 12 + 11 * (index % 8), label, 9, "#d93025", left, right))
    for index, (label, values, prefix) in enumerate(panels):
        panel_top = top + index * (panel_height + gap)
        panel_bottom = panel_top + panel_height
        positive = [v for v in values if math.isfinite(v) and v > 0]
        low, high = (min(positive), max(positive)) if positive else (1.0, 10.0)
        ticks = _ticks(low, high if high > low else low * 10, True)
        low, high = ticks[0], ticks[-1] if ticks[-1] > ticks[0] else ticks[0] * 10

        def py(value: float) -> float:
            share = (math.log10(value) - math.log10(low)) / (math.log10(high) - math.log10(low))
            return panel_bottom - share * panel_height

        body.append(f'<line x1="{left}" y1="{panel_bottom}" x2="{WIDTH - right}" y2="{panel_bottom}" stroke="#9aa0a6"/>')
        body.append(f'<line x1="{left}" y1="{panel_top}" x2="{left}" y2="{panel_bottom}" stroke="#9aa0a6"/>')
        body.append(f'<text x="{left + 4}" y="{panel_top + 10}" font-size="11" fill="#202124">{escape(label)}</text>')
        for tick in ticks:
            y = py(tick)
            body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" stroke="#e8eaed"/>')
            body.append(f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end">'
                        f'{escape(prefix)}{_tick_text(tick, prefix)}</text>')
        colour = LINE_COLOURS[index % len(LINE_COLOURS)]
        path, pen_down = [], False
        for load, value in zip(loads, values):
            if not (math.isfinite(value) and value > 0):
                pen_down = False
                continue
            path.append(f"{'L' if pen_down else 'M'}{px(load):.1f},{py(value):.1f}")
            body.append(f'<circle cx="{px(load):.1f}" cy="{py(value):.1f}" r="2.5" fill="{colour}">'
                        f'<title>{load_label(load)}: {escape(prefix)}{_tick_text(value, prefix)}</title></circle>')
            pen_down = True
        body.append(f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" stroke-width="1.5">'
                    f'<title>{escape(label)}</title></path>')
    for power in range(math.ceil(x_low - 1e-9), math.floor(x_high + 1e-9) + 1):
        body.append(f'<text x="{px(10.0 ** power):.1f}" y="{plot_bottom + 14}" font-size="10" '
                    f'text-anchor="middle">{load_label(10.0 ** power)}</text>')
    body.append(f'<text x="{WIDTH - right}" y="{height - 8}" font-size="11" text-anchor="end">{escape(x_label)}</text>')
    return _svg(height, title, body, "load-panels")


def load_label(value: float) -> str:
    """A load on an axis: 1500 -> 1.5k, 3000000 -> 3M, 1e12 -> 1T."""
    return short_count(value, 6)
