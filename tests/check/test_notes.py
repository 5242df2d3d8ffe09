"""Notes are the author's commentary, shown apart from the computed explanation. A note must not state a
figure that disagrees with the one archplan computes for the claim it annotates.

Fault: notes contradicted the computed figures they sat next to (₹86.55 vs "Rs 122", ₹28,909.52 vs "₹28,864").

A money figure in a note annotates the computed figure when it follows the word "archplan", or when it is
within 0.3% of it (a restatement, rounded); either way it must equal the computed figure at the precision it
is written in. Figures further away are the document's own numbers or parts of the sum, and are left alone.
"""
import re
from decimal import Decimal

import pytest

from archplan.check import run
from tests.conftest import EXAMPLES

MONEY = re.compile(r"(?P<cur>₹|Rs\.? ?|\$|USD ?|INR ?)(?P<num>\d[\d,]*(?:\.\d+)?)(?P<scale>\s?[KkLM]\b)?")
SCALE = {"k": 1_000, "K": 1_000, "L": 100_000, "M": 1_000_000}


def figures(note: str, currency: str):
    """(value, tolerance, follows 'archplan') for every money figure in the note in the claim's currency."""
    for match in MONEY.finditer(note):
        symbol = match["cur"].strip().rstrip(".")
        is_usd = symbol in ("$", "USD")
        if is_usd != (currency == "USD"):
            continue
        digits = match["num"].replace(",", "")
        scale = SCALE.get((match["scale"] or "").strip(), 1)
        places = len(digits.split(".")[1]) if "." in digits else 0
        value = float(Decimal(digits)) * scale
        tolerance = 0.5 * 10 ** -places * scale + 1e-9
        before = note[max(0, match.start() - 45):match.start()]
        yield value, tolerance, bool(re.search(r"archplan(?:'s)?(?: cost[^)(]*)?:? \(?$", before))


def disagreements(name: str):
    report = run(EXAMPLES / f"{name}.yaml")
    found = []
    for verdict in report.claims:
        claim = next(c for c in report_claims(name) if c.id == verdict.id)
        if not verdict.note or verdict.computed_value is None or claim.currency is None:
            continue
        computed = verdict.computed_value
        for value, tolerance, after_archplan in figures(verdict.note, claim.currency):
            near = abs(value - computed) <= 0.003 * abs(computed)
            if (after_archplan or near) and abs(value - computed) > tolerance:
                found.append(f"{verdict.id}: note says {value:,.2f}, archplan computes {computed:,.2f}")
    return found


def report_claims(name):
    from archplan import catalog
    from archplan.spec.load import load_spec

    return load_spec(EXAMPLES / f"{name}.yaml", None, catalog.supported_regions()).claims


@pytest.mark.parametrize("name", ["anwesha", "cotton-erp", "drivopay", "ecommerce-chatbot", "event-platform"])
def test_notes_agree_with_the_computed_figures(name):
    assert disagreements(name) == []


def test_the_check_catches_a_stale_note():
    assert [(v, after) for v, _t, after in figures("Total $346.4 = ₹28,864.", "INR")] == [(28864.0, False)]
    value, tolerance, after = next(figures("archplan ₹1,94,871 ($2,338.55)", "INR"))
    assert (value, after) == (194871.0, True)
    assert abs(value - 194871.45) <= tolerance  # rounded to the rupee: agrees
    assert abs(28864 - 28909.52) > 0.5  # the cotton-erp Cloud Run note's old figure would fail
