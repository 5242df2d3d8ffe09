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
