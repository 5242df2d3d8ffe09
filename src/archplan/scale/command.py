"""`archplan scale`: parse the load points, run the plan at each, render a table, JSON or the picture."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from archplan.errors import UsageError

CHART_FORMATS = (".svg", ".png")


def _default_points(path: str, environment: str | None) -> tuple[list[Decimal], str]:
    """(points, measure): around the plan's users, else around its requests a month."""
    from archplan import assess
    from archplan.scale.load import default_points, default_request_points

    spec = assess.load(path, environment)
    points = default_points(spec)
    if points is not None:
        return points, "users"
    points = default_request_points(spec)
    if points is None:
        raise UsageError("give the load points with --users (e.g. 1k..2M) or --requests (e.g. 1M..1B)")
    return points, "requests"


def run(args) -> int:
    from archplan.scale import scale
    from archplan.scale.load import Spike, number, parse_labelled, parse_multiple

    if args.users and args.requests:
        raise UsageError("give either --users or --requests")
    try:
        labels: dict = {}
        if args.users or args.requests:
            points, labels = parse_labelled(args.users or args.requests)
        else:
            points = None
        spike = None
        if args.spike:
            days, hours = number(args.spike_days), number(args.spike_hours)
            if not 0 < hours <= 24 or not 0 < days <= 31 or days * hours > 730:
                raise ValueError("--spike-days is 1 to 31 and --spike-hours 1 to 24")
            spike = Spike(parse_multiple(args.spike), days, hours)
    except ValueError as error:
        raise UsageError(str(error)) from None
    chart = None
    if args.chart:
        chart = Path(args.chart)
        if chart.suffix.lower() not in CHART_FORMATS:
            raise UsageError(f"cannot tell the picture's format from {args.chart!r}: end the name with .svg or .png")
        from archplan.output import refuse_unsafe_file, refuse_unsafe_folder

        refuse_unsafe_folder(chart.parent)  # before the figures are worked out: a link is refused at once
        refuse_unsafe_file(chart)
    from archplan.render.shown_money import check_currency

    check_currency(args.currency)
    measure = "requests" if args.requests else "users"
    if points is None:
        points, measure = _default_points(args.plan, args.env)
    result = scale(args.plan, points, args.env, measure, spike,
                   phased=not args.no_phases, labels=labels, currency=args.currency)
    from archplan.cli import _write
    from archplan.scale import render

    if chart is not None:
        from archplan.doc.command import write_atomically
        from archplan.scale import chart as picture

        write_atomically({chart: picture.render(result)[chart.suffix.lower()]})
    if args.format == "json":
        _write(render.render_json(result), args.output)
    else:
        _write(render.render_table(result), args.output)
    return 0


def add_parser(commands):
    scale = commands.add_parser("scale", help="cost, instances and the first limit each component reaches as "
                                              "load grows, phase by phase")
    scale.add_argument("plan", help="the plan YAML file")
    scale.add_argument("--users", help="users (the plan's monthly, else daily, active users): 1k..2M, "
                                       "1k..2M:12, 1k,10k,100k or named: light=1k,heavy=20k")
    scale.add_argument("--requests", help="requests a month instead of users: 1M..1B")
    scale.add_argument("--env", help="environment to scale (project.environments)")
    scale.add_argument("--currency", type=str.upper, metavar="CODE",
                       help="currency to show the money in, as `cost` does (default: the plan's); USD too in JSON")
    scale.add_argument("--no-phases", action="store_true", help="ignore the plan's phases: one plan at every load")
    scale.add_argument("--spike", help="price months with event days at this multiple of the average load, e.g. 10x "
                                         "(simulate's --spike multiplies the daily profile's rate at its time instead)")
    scale.add_argument("--spike-days", default="2", help="event days a month (default 2)")
    scale.add_argument("--spike-hours", default="6", help="hours of each event day at the spike (default 6)")
    scale.add_argument("--format", choices=("table", "json"), default="table")
    scale.add_argument("--chart", help="also write the picture (cost and cost per user, limits marked): .svg or .png")
    scale.add_argument("-o", "--output", help="write to this file instead of standard output")
    return scale
