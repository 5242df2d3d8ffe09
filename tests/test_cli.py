"""The command line as a user runs it: exit codes, formats, files."""
import csv
import io
import json
import subprocess
import sys

from tests.conftest import EXAMPLES

STARTER = str(EXAMPLES / "starter.yaml")


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "archplan", *args], capture_output=True, text=True, cwd=cwd)


def test_cost_table_shows_totals_in_both_currencies():
    result = run("cost", STARTER)
    assert result.returncode == 0, result.stderr
    assert "Total per month" in result.stdout and "$" in result.stdout and "₹" in result.stdout
    assert "Assumptions:" in result.stdout


def test_cost_json_totals_equal_the_sum_of_components():
    data = json.loads(run("cost", STARTER, "--format", "json").stdout)
    assert data["schema"] == "archplan.cost/v1"
    components = sum(c["monthly"]["usd"] for c in data["components"])
    assert abs(components - data["subtotal"]["usd"]) < 0.01 * len(data["components"])
    assert abs(data["total"]["inr"] - data["total"]["usd"] * data["usd_inr"]) < 1


def test_cost_csv_and_markdown():
    rows = list(csv.DictReader(io.StringIO(run("cost", STARTER, "--format", "csv").stdout)))
    assert rows and {"component", "sku", "monthly_usd", "source"} <= set(rows[0])
    markdown = run("cost", STARTER, "--format", "md", "--currency", "USD").stdout
    assert markdown.startswith("# starter") and "| Line item |" in markdown


def test_currency_flag_changes_the_leading_currency():
    assert "MONTHLY USD" in run("cost", STARTER, "--currency", "USD").stdout
    assert "MONTHLY INR" in run("cost", STARTER, "--currency", "INR").stdout


def test_spec_error_is_one_line_on_stderr_with_exit_1(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("project: {name: x, region: us-central1}\ncomponents:\n  a: {kind: nope}\n")
    result = run("cost", str(bad))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and f"{bad}:3:" in result.stderr and "Traceback" not in result.stderr


def test_missing_file_is_exit_1():
    result = run("validate", "no-such-plan.yaml")
    assert result.returncode == 1 and "no such file" in result.stderr


def test_usage_errors_are_exit_2():
    assert run("cost").returncode == 2
    assert run("cost", STARTER, "--format", "xml").returncode == 2
    assert run("frobnicate").returncode == 2
    assert run("catalog", "--service", "cloud_rnu").returncode == 2


def test_output_file_is_written_only_on_success(tmp_path):
    out = tmp_path / "cost.json"
    assert run("cost", STARTER, "--format", "json", "-o", str(out)).returncode == 0
    assert json.loads(out.read_text())["project"] == "starter"
    bad = tmp_path / "bad.yaml"
    bad.write_text("project: {name: x, region: us-central1}\n")
    out2 = tmp_path / "never.json"
    assert run("cost", str(bad), "--format", "json", "-o", str(out2)).returncode == 1
    assert not out2.exists() and not list(tmp_path.glob(".*tmp*"))


def test_validate_and_schema_and_catalog():
    assert run("validate", STARTER).stdout.strip().endswith("valid (5 components)")
    schema = json.loads(run("schema").stdout)
    assert "components" in schema["properties"]
    listing = run("catalog", "--service", "cloud_run").stdout
    assert "cpu_request_based" in listing
    rows = json.loads(run("catalog", "--format", "json").stdout)
    assert all(row["source"] and row["date"] for row in rows)


def test_output_is_deterministic():
    assert run("cost", STARTER, "--format", "json").stdout == run("cost", STARTER, "--format", "json").stdout


def test_number_formats():
    from decimal import Decimal

    from archplan.render.numbers import inr, unit_price

    assert [unit_price(Decimal(v)) for v in ("5", "0.025", "0.16096872", "0.0000336", "0.000255010200408")] == \
        ["5.00", "0.025", "0.161", "0.0000336", "0.00025501"]
    assert inr(Decimal("1234567.891")) == "₹12,34,567.89"
    assert inr(Decimal("999")) == "₹999.00"


def test_absurd_figures_are_a_one_line_error(tmp_path):
    plan = tmp_path / "huge.yaml"
    plan.write_text("project: {name: x, region: us-central1}\ncomponents:\n"
                    "  logs: {kind: cloud_logging, ingestion_gb_per_month: 1e300}\n")
    result = run("cost", str(plan))
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "too large" in result.stderr
