"""Text from the plan that a spreadsheet would run as a formula (= + - @, tab, CR first) is quoted in the
cost CSV and FOCUS outputs; numbers, negative ones too, are left as numbers."""
import csv
import io
import subprocess
import sys

import pytest

from archplan.render.csv_cells import text_cell

PLAN = """project:
  name: inj
  region: asia-south1
components:
  ext:
    kind: external
    provider: "-Evil"
    service: other
    items:
      - description: '=HYPERLINK("http://evil","x")'
        currency: USD
        unit: "+cmd|' /C calc'!A0"
        unit_price: 1
        quantity_per_month: 1
        source: "@SUM(1+1)"
"""


def test_a_formula_start_gets_a_quote_and_other_text_does_not():
    assert [text_cell(v) for v in ("=1+1", "+x", "-x", "@x", "\tx", "\rx", "plain", "", None)] == \
        ["'=1+1", "'+x", "'-x", "'@x", "'\tx", "'\rx", "plain", "", ""]


@pytest.mark.parametrize("form", ["csv", "focus"])
def test_plan_text_cannot_become_a_formula(tmp_path, form):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN)
    result = subprocess.run([sys.executable, "-m", "archplan", "cost", str(plan), "--format", form],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    cells = [cell for row in csv.reader(io.StringIO(result.stdout)) for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "@", "\t", "\r")]
    assert "'=HYPERLINK(\"http://evil\",\"x\")" in cells
    assert not [cell for cell in cells if cell.startswith("-") and not cell[1:2].isdigit()]
