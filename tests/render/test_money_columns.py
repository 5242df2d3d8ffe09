"""The CSV's second money column and `explain`'s second figure are in the currency `cost` shows beside USD
(the plan's own for a plan in EUR or AUD), not INR always (found by a trial plan in AUD)."""
import csv
import io
import re
import subprocess
import sys
from decimal import Decimal

import pytest

PLAN = """project: {name: web, region: australia-southeast1, currency: AUD}
traffic: {requests_per_month: 1000000, avg_request_kib: 1, avg_response_kib: 10}
components:
  api: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 50, min_instances: 1}
  uploads: {kind: cloud_storage, location_type: region, storage_gb: 100}
"""


def run(*argv):
    return subprocess.run([sys.executable, "-m", "archplan", *argv], capture_output=True, text=True,
                          check=True).stdout


def test_csv_and_explain_show_the_plans_currency_at_the_rate_cost_uses(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN)
    table = run("cost", str(plan))
    rate = Decimal(re.search(r"USD to AUD: ([\d.]+)", table).group(1))
    rows = list(csv.DictReader(io.StringIO(run("cost", str(plan), "--format", "csv"))))
    assert rows and all("monthly_aud" in row and "monthly_inr" not in row for row in rows)
    for row in rows:  # each row's AUD is its USD at the stated rate, to the cent
        assert abs(Decimal(row["monthly_aud"]) - Decimal(row["monthly_usd"]) * rate) <= Decimal("0.01")
    api_usd = sum(Decimal(row["monthly_usd"]) for row in rows if row["component"] == "api")
    explained = run("explain", str(plan), "api")
    # an AUD plan's total leads with AUD, USD beside it
    shown = Decimal(re.search(r"It costs AUD ([\d,]+\.\d\d) \(\$", explained).group(1).replace(",", ""))
    assert abs(shown - api_usd * rate) <= Decimal("0.01")  # to the cent, as cost shows it


USD_PLAN = """project: {name: web, region: us-central1, currency: USD%s}
traffic: {requests_per_month: 1000000, avg_request_kib: 1, avg_response_kib: 10}
components:
  api: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 50, min_instances: 1}
"""


def test_a_usd_plan_writing_no_rupees_is_shown_in_usd_only(tmp_path):
    """A USD plan's cost table and Markdown showed an INR column nobody asked for."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(USD_PLAN % "")
    table = run("cost", str(plan))
    assert "₹" not in table.split("Assumptions:")[0]
    assert re.search(r"^BY CATEGORY +USD +SHARE$", table, re.M)
    assert re.search(r"^Total per month +\$[\d,.]+$", table, re.M)
    markdown = run("cost", str(plan), "--format", "md")
    assert "| Category | USD | Share |" in markdown and "|  | USD |" in markdown and "₹" not in markdown
    assert "| Category | USD | INR | Share |" in run("cost", str(plan), "--format", "md", "--currency", "INR")


@pytest.mark.parametrize("stated", [", usd_inr: 80", ", monthly_budget: {amount: 50000, currency: INR}"])
def test_a_usd_plan_stating_rupees_keeps_the_inr_column(tmp_path, stated):
    plan = tmp_path / "plan.yaml"
    plan.write_text(USD_PLAN % stated)
    table = run("cost", str(plan))
    assert re.search(r"^BY CATEGORY +USD +INR +SHARE$", table, re.M)
    assert re.search(r"^Total per month +\$[\d,.]+ +₹[\d,.]+$", table, re.M)
