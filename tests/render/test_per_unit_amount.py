"""A cost per user or per request is shown with at least three significant digits and the currency's decimals:
the document showed "€0.00965073" (six), `scale` and the growth table "$0.0000" for a cost of $0.00003."""
from decimal import Decimal

import pytest

from archplan.render.numbers import per_unit_amount


@pytest.mark.parametrize("value, currency, shown", [
    ("0.00965073", "EUR", "€0.00965"),
    ("0.0326", "USD", "$0.0326"),
    ("0.000031234", "USD", "$0.0000312"),  # not $0.0000
    ("0.5", "GBP", "£0.500"),  # three significant digits, as the rows around it have
    ("0.0070", "USD", "$0.00700"),
    ("0.9999", "USD", "$1.00"),
    ("1.234", "INR", "₹1.23"),  # from one unit up, a total's form
    ("12345.678", "JPY", "¥12,346"),
    ("1.2664", "JPY", "¥1.27"),  # a currency without cents: three significant digits below 100 units
    ("52.38", "JPY", "¥52.4"),
    ("99.96", "JPY", "¥100"),  # rounds up to a total's form
    ("0.851", "JPY", "¥0.851"),
    ("52.386", "USD", "$52.39"),  # cents are three significant digits from one unit up
    ("0.0099996", "USD", "$0.0100"),
    ("0", "EUR", "€0.00"),
])
def test_three_significant_digits_below_one_unit(value, currency, shown):
    assert per_unit_amount(Decimal(value), currency) == shown
