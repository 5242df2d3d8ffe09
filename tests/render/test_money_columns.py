"""The CSV's second money column and `explain`'s second figure are in the currency `cost` shows beside USD
(the plan's own for a plan in EUR or AUD), not INR always (found by a trial plan in AUD)."""
import csv
import io
import re
import subprocess
import sys
from decimal import Decimal

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
