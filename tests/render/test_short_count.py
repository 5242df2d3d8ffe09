"""Counts in a few characters (loads in scale's table, chart labels): 1e12 read '1000B' and 999,999 '1e+03k'."""
from decimal import Decimal

import pytest

from archplan.render.charts import load_label
from archplan.render.numbers import short_count
from archplan.scale.load import number
from archplan.scale.render import load_text


@pytest.mark.parametrize("value, shown", [
    (0, "0"), (12.5, "12.5"), (0.1234, "0.123"), (999, "999"), (1500, "1.5k"), (250_000, "250k"),
    (999_999, "1M"), (2_160_000, "2.16M"), (10**9, "1B"), (999_600_000_000, "1T"), (10**12, "1T"),
    (Decimal("1234000000000"), "1.23T"), (500 * 10**12, "500T"), (10**15, "1e15"), (2.5e15, "2.5e15"),
    (1e18, "1e18"), (-1500, "-1.5k"), (float("inf"), "inf")])
def test_short_count(value, shown):
    assert short_count(value) == shown


def test_loads_past_a_billion_read_in_trillions():
    assert [load_text(v) for v in (10**9, 10**12, 2 * 10**12, 10**15)] == ["1B", "1T", "2T", "1e15"]
    assert [load_label(v) for v in (1e11, 1e12, 1.5e13, 1e15)] == ["100B", "1T", "15T", "1e15"]
    assert number("1T") == 10**12 and number("2.5t") == Decimal("2.5e12")  # what the table writes reads back


def test_scale_table_and_chart_say_1t(tmp_path):
    from archplan.cli import main
    from tests.conftest import EXAMPLES

    chart = tmp_path / "scale.svg"
    assert main(["scale", str(EXAMPLES / "starter.yaml"), "--users", "100B..1T", "--format", "json",
                 "--chart", str(chart)]) == 0
    labels = chart.read_text()
    assert ">1T<" in labels and "1000B" not in labels
