"""Charts drawn from the cost and check JSON: every bar is a figure the reports computed, bar lengths are in
proportion, text is escaped, and `doc` writes them inline (HTML) and as files (Markdown)."""
import json
import xml.etree.ElementTree as ET

from archplan.cli import main
from archplan.render import charts

SVG = "{http://www.w3.org/2000/svg}"


def cli_json(capsys, *argv):
    capsys.readouterr()
    main(list(argv))
    return json.loads(capsys.readouterr().out)


def bars_of(svg_text):
    root = ET.fromstring(svg_text)
    return [(rect.find(f"{SVG}title").text, float(rect.get("width"))) for rect in root.iter(f"{SVG}rect")]


def test_cost_by_category_bars_are_the_report_figures_in_proportion(capsys):
    cost = cli_json(capsys, "cost", "examples/event-platform.yaml", "--format", "json")
    svg = charts.cost_by_category(cost)
    bars = dict(bars_of(svg))
    expected = {c: m["inr"] for c, m in cost["categories"].items() if m["inr"] > 0}
    assert set(bars) == {f"{c}: {charts.format_money(v, 'INR')}" for c, v in expected.items()}
    widths = {title.split(":")[0]: width for title, width in bars_of(svg)}
    top = max(expected, key=expected.get)
    for category, value in expected.items():  # width / widest = value / largest
        assert abs(widths[category] / widths[top] - value / expected[top]) < 0.01 or widths[category] == 1.0


def test_cost_by_component_folds_the_tail_into_others_and_keeps_the_sum():
    components = [{"name": f"c{i}", "category": "compute", "monthly": {"usd": float(i + 1), "inr": 0.0}}
                  for i in range(20)]
    cost = {"currency": "USD", "components": components}
    bars = bars_of(charts.cost_by_component(cost))
    assert len(bars) == charts.MAX_BARS
    others = next(title for title, _w in bars if title.startswith("9 others"))
    assert others == f"9 others: {charts.format_money(sum(range(1, 10)), 'USD')}"


def test_availability_chart_shows_each_entry_and_its_downtime():
    check = {"availability": {"composite_percent": 99.9, "slo_percent": 99.95,
                              "entries": [{"entry": "web", "components": ["a"], "percent": 99.99}]}}
    titles = [title for title, _w in bars_of(charts.availability_by_path(check))]
    assert titles[0] == "web: 99.990% · 4.4 min/month"  # (100 - 99.99) / 100 x 43,800 min
    assert titles[1] == "whole request path: 99.900% · 43.8 min/month"


def test_hostile_names_are_escaped_and_the_svg_still_parses():
    hostile = '</text><script>alert(1)</script>&"\''
    cost = {"currency": "USD", "components": [{"name": hostile, "category": "data",
                                               "monthly": {"usd": 5.0, "inr": 400.0}}]}
    svg = charts.cost_by_component(cost)
    assert "<script>" not in svg
    assert bars_of(svg)[0][0].startswith(hostile)


def test_doc_writes_charts_inline_and_as_files(tmp_path):
    assert main(["doc", "examples/starter.yaml", "-o", str(tmp_path)]) == 0
    page = (tmp_path / "index.html").read_text()
    markdown = (tmp_path / "architecture.md").read_text()
    for name in ("chart-cost-by-category.svg", "chart-cost-by-component.svg", "chart-availability.svg"):
        ET.fromstring((tmp_path / name).read_bytes())
        assert f"]({name})" in markdown
    assert page.count('<figure class="picture"><svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 3
    # the simulated day's four pictures, drawn by the same module
    assert page.count('<figure class="picture"><svg xmlns="http://www.w3.org/2000/svg" class="time-series"') == 4


def _paths(svg_text):
    root = ET.fromstring(svg_text)
    return [(path.find(f"{SVG}title").text, path.get("d")) for path in root.iter(f"{SVG}path")]


def test_time_series_draws_every_line_with_its_label_and_breaks_at_gaps():
    nan = float("nan")
    lines = [("api <b>&", [1.0, 2.0, 4.0, 2.0], "-"), ("worker", [0.0, 0.0, 1.0, 3.0], "-")]
    svg = charts.time_series("Load", [0.5, 1.5, 2.5, 3.5], "hour of the run", "requests per second", lines)
    drawn = _paths(svg)
    assert [title for title, _d in drawn] == ["api <b>&", "worker"]  # escaped in the SVG, intact once parsed
    assert all(d.count("M") == 1 and d.count("L") == 3 for _title, d in drawn)
    ys = {title: [float(step.split(",")[1]) for step in d.replace("M", "").split(" L")] for title, d in drawn}
    assert ys["api <b>&"][2] < ys["api <b>&"][1] < ys["api <b>&"][0]  # larger values higher on the page
    legend = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert "api <b>&" in legend and "worker" in legend
    gaps = charts.time_series("Latency", [0, 1, 2, 3, 4], "hour", "ms", [("api p95", [10, nan, 100, 1000, nan], "-")],
                              log_scale=True)
    (_title, d), = _paths(gaps)
    assert d.count("M") == 2 and d.count("L") == 1  # the hour with no request has no latency: the line breaks
    empty = charts.time_series("Latency", [0, 1], "hour", "ms", [("api", [nan, nan], "-")], log_scale=True)
    assert "nothing to draw" in empty


def _doc_starts_matplotlib(plan: str, site) -> bool:
    """Whether `archplan doc plan -o site`, run in a fresh interpreter, imported matplotlib."""
    import subprocess
    import sys

    probe = ("import sys\nfrom archplan.cli import main\n"
             f"assert main(['doc', {plan!r}, '-o', {str(site)!r}]) == 0\n"
             "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return out.strip() == "True"


def test_the_documents_simulated_day_is_drawn_without_matplotlib(tmp_path):
    """ecommerce-chatbot states no users (no Growth section): its document starts no plotting library."""
    site = tmp_path / "site"
    assert not _doc_starts_matplotlib("examples/ecommerce-chatbot.yaml", site)
    pictures = sorted(p.name for p in site.glob("simulate-*"))
    assert pictures == [f"simulate-{w}.svg" for w in ("instances", "latency", "load", "rejections")]
    for name in pictures:
        assert _paths((site / name).read_text())  # a line per service


def test_load_panels_put_each_figure_on_log_axes_with_phases_and_limits():
    import math

    loads = [1_000.0, 10_000.0, 100_000.0, 1_000_000.0]
    panels = [("monthly cost ($)", [100.0, 1_000.0, 10_000.0, 100_000.0], "$"),
              ("cost per user <$>", [0.1, 0.1, -1.0, 0.1], "$")]  # not positive: no point, the line breaks
    svg = charts.load_panels("Cost & load", loads, "users", panels, [(500.0, 50_000.0, "launch <1>")],
                             [(20_000.0, "db: max_connections")])
    root = ET.fromstring(svg)  # parses: every label escaped
    drawn = dict(_paths(svg))
    assert list(drawn) == ["monthly cost ($)", "cost per user <$>"]
    cost = [tuple(map(float, step.split(","))) for step in drawn["monthly cost ($)"].replace("M", "").split(" L")]
    xs, ys = [x for x, _y in cost], [y for _x, y in cost]
    # both axes logarithmic: loads and costs each 10x apart are equally far apart on the page
    assert all(math.isclose(b - a, xs[1] - xs[0], abs_tol=0.2) for a, b in zip(xs, xs[1:]))
    assert all(math.isclose(a - b, ys[0] - ys[1], abs_tol=0.2) for a, b in zip(ys, ys[1:])) and ys[0] > ys[-1]
    assert drawn["cost per user <$>"].count("M") == 2 and drawn["cost per user <$>"].count("L") == 1
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert "launch <1>" in titles and "db: max_connections" in titles and "1M: $100,000" in titles
    band = next(r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title").text == "launch <1>")
    assert math.isclose(float(band.get("x")), xs[0], abs_tol=0.2)  # a band starting before the first load is cut there
    assert "nothing to draw" in charts.load_panels("Cost", [], "users", panels)


def test_rupee_ticks_are_grouped_in_lakhs_and_crores():
    """The growth picture's axis wrote ₹100,000 beside the tables' ₹1,00,000."""
    loads = [1_000.0, 100_000.0]
    svg = charts.load_panels("Cost", loads, "users", [("monthly cost (₹)", [100_000.0, 12_345_678.0], "₹")])
    texts = ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert "₹1,00,000" in texts and "₹1,00,00,000" in texts and "₹100,000" not in texts
    titles = [t.text for t in ET.fromstring(svg).iter(f"{SVG}title")]
    assert "100k: ₹1,23,45,678" in titles


def test_the_documents_growth_picture_is_drawn_without_matplotlib(tmp_path):
    """starter states users (a Growth section): its document draws scale.svg without starting a plotting
    library, and matplotlib's scale.png only with --png."""
    site = tmp_path / "site"
    assert not _doc_starts_matplotlib("examples/starter.yaml", site)
    picture = (site / "scale.svg").read_text()
    assert 'class="load-panels"' in picture and not (site / "scale.png").exists()
    assert 'class="load-panels"' in (site / "index.html").read_text()  # inlined in the page


def test_money_is_written_as_the_reports_write_it():
    """The bars wrote every currency as ,.2f after its symbol: ₹119,918.49 beside the tables' ₹1,19,918.49 (an INR
    plan over a lakh), ¥12,345.00 where the tables write ¥12,345."""
    components = [{"name": "db", "category": "data", "monthly": {"usd": 1.0, "inr": 119918.49}}]
    titles = [title for title, _w in bars_of(charts.cost_by_component({"currency": "INR", "components": components}))]
    assert titles == ["db: ₹1,19,918.49"]
    components = [{"name": "db", "category": "data", "monthly": {"usd": 1.0, "jpy": 12345.4}}]
    titles = [title for title, _w in bars_of(charts.cost_by_component({"currency": "JPY", "components": components}))]
    assert titles == ["db: ¥12,345"]


def _texts(svg_text):
    """Each <text> as drawn: (x, its lines, its anchor)."""
    out = []
    for text in ET.fromstring(svg_text).iter(f"{SVG}text"):
        spans = [span.text or "" for span in text.iter(f"{SVG}tspan")] or [text.text or ""]
        out.append((float(text.get("x")), spans, text.get("text-anchor", "start"), float(text.get("font-size"))))
    return out


def test_long_paths_wrap_whole_inside_the_chart_where_they_were_cut_at_28_characters():
    """drivopay's availability chart labelled eight different paths 'dns -> cdn -> lb -> gke/api-', ran
    'scheduler => recommendations' off the left edge and each '99.561% · 192.4 min/month' off the right."""
    services = ["auth-service", "wallet-service", "platform-integration-service", "core-api"]
    paths = [f"dns -> cdn -> lb -> gke/api-gateway -> gke/{name}" for name in services]
    check = {"availability": {"slo_percent": 99.95, "entries": [
        {"entry": path, "components": ["a"], "percent": 99.561} for path in paths]
        + [{"entry": "scheduler => recommendations (async)", "components": ["b"], "percent": 99.9}]}}
    svg = charts.availability_by_path(check)
    labels = [(x, lines, size) for x, lines, anchor, size in _texts(svg) if anchor == "end"]
    assert ["".join(lines).replace(" ", "") for _x, lines, _size in labels] == \
        [label.replace(" ", "") for label in paths + ["scheduler => recommendations (async)"]]  # nothing cut
    for x, lines, size in labels:  # ends at x: starts inside the chart
        assert all(x - len(line) * size * charts.EM >= 0 for line in lines)
    values = [(x, lines, size) for x, lines, anchor, size in _texts(svg) if anchor == "start" and "min/month" in lines[0]]
    assert len(values) == 5 and all(x + len(lines[0]) * size * charts.EM <= charts.WIDTH for x, lines, size in values)


def test_a_long_title_wraps_and_a_label_too_long_for_its_lines_ends_in_an_ellipsis():
    title = "examples/" + "a-very-long-folder-name/" * 4 + "plan.yaml: cost as load grows (red: first limit)"
    svg = charts.load_panels(title, [1_000.0, 10_000.0], "users", [("monthly cost ($)", [1.0, 10.0], "$")])
    heading = _texts(svg)[0][1]
    assert len(heading) == 2 and "".join(heading).replace(" ", "") == title.replace(" ", "")
    assert charts._wrap("x" * 200, 100, 10) == ["x" * 16, "x" * 16, "x" * 15 + "…"]
    assert charts._wrap("scheduler => recommendations", 182, 12) == ["scheduler =>", "recommendations"]
