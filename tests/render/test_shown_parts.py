"""Figures as shown add up: each line to its component, the components to the subtotal, the subtotal and
contingency to the total, in every currency column. Each level was rounded on its own from exact figures, so a
reader adding the lines found a cent or three off (a reviewer's plan: lines of EUR 239.16, total EUR 239.18)."""
from decimal import Decimal

from hypothesis import given, settings, strategies as st

from archplan.render import cost_view
from archplan.render.numbers import round_money, shown_parts
from tests.conftest import price

money = st.decimals(min_value=Decimal("-50"), max_value=Decimal("100000"), places=6, allow_nan=False,
                    allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(st.lists(money, min_size=1, max_size=12))
def test_parts_add_up_to_the_rounded_sum_each_within_a_cent(values):
    parts = shown_parts(values, "USD")
    assert sum(parts) == round_money(sum(values))
    assert all(abs(part - value) < Decimal("0.01") for part, value in zip(parts, values))
    assert all(part == part.quantize(Decimal("0.01")) for part in parts)


def test_a_yen_column_adds_up_in_whole_yen():
    assert shown_parts([Decimal("0.4"), Decimal("0.4"), Decimal("0.4")], "JPY") == [1, 0, 0]


def test_three_lines_of_a_third_of_a_cent():
    """0.333 + 0.333 + 0.334 = 1.000: each rounds to 0.33 on its own, 0.99 in all; shown, 0.33 + 0.33 + 0.34."""
    assert shown_parts([Decimal("0.333"), Decimal("0.333"), Decimal("0.334")], "USD") == \
        [Decimal("0.33"), Decimal("0.33"), Decimal("0.34")]


def test_a_report_adds_up_in_each_column(tmp_path):
    report = price(tmp_path, {
        "api": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 120,
                "requests_per_month": 3_333_333, "min_instances": 1},
        "db": {"kind": "cloud_sql", "engine": "postgres", "tier": "db-custom-1-3840", "storage_gb": 33, "ha": True},
        "cache": {"kind": "memorystore_redis", "tier": "basic", "capacity_gb": 1},
        "eg": {"kind": "network_egress", "gb_per_month": 3333}}, region="europe-west1", contingency_percent=7)
    for code in ("USD", "EUR", "INR", "JPY"):
        shown = cost_view.shown(report, code)
        for name, _kind in report.component_order:
            lines = [v for item, v in zip(report.line_items, shown.lines) if item.component == name]
            assert sum(lines) == shown.components[name]
        assert sum(shown.components.values()) == shown.subtotal == sum(shown.categories.values())
        assert shown.subtotal + shown.contingency == shown.total
        places = "1" if code == "JPY" else "0.01"
        assert shown.total == round_money(report.total_usd * report.rate_for(code), places)


def test_the_table_says_when_a_line_was_moved(tmp_path):
    from archplan.render import cost_table

    report = price(tmp_path, {f"api{i}": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 37,
                                           "requests_per_month": 1_234_567 + i * 7_777} for i in range(6)})
    shown = cost_view.shown(report, "USD")
    table = cost_table.render(report, "USD")
    said = "Figures in USD are rounded so that lines add up to their component and components to the total"
    assert (said in table) == bool(shown.moved)
    assert f"{shown.moved} line(s) are shown a cent from their own rounding" in table or not shown.moved
