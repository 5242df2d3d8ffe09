"""`check --format sarif|github`, `--fail-on`, `cost --format focus` and `--fail-if-over-budget`: the formats
CI systems read, validated against the SARIF 2.1.0 schema and the FOCUS 1.0 column list (tests/fixtures/)."""
import csv
import io
import json
import re
from decimal import Decimal

import jsonschema
import pytest
import yaml

from tests.conftest import EXAMPLES, ROOT
from tests.test_cli import run

FIXTURES = ROOT / "tests" / "fixtures"
ALL_EXAMPLES = sorted(EXAMPLES.glob("*.yaml"))
PUBLIC_DB = {"project": {"name": "t", "region": "us-central1"},
             "components": {"db": {"kind": "cloud_sql", "engine": "postgres", "tier": "db-custom-1-3840",
                                   "storage_gb": 10}}}


@pytest.fixture(scope="module")
def sarif_schema():
    return json.loads((FIXTURES / "sarif" / "sarif-schema-2.1.0.json").read_text())


@pytest.mark.parametrize("example", ALL_EXAMPLES, ids=lambda p: p.stem)
def test_sarif_of_every_example_validates_against_the_schema(example, sarif_schema):
    result = run("check", str(example), "--format", "sarif", "--fail-on", "never")
    assert result.returncode == 0, result.stderr
    log = json.loads(result.stdout)
    jsonschema.validate(log, sarif_schema)
    text_findings = json.loads(run("check", str(example), "--format", "json").stdout)["findings"]
    results = log["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == [f["id"] for f in text_findings]
    lines = example.read_text().splitlines()
    for sarif_result in results:
        location = sarif_result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == str(example)
        assert 1 <= location["region"]["startLine"] <= len(lines)
        rule = log["runs"][0]["tool"]["driver"]["rules"][sarif_result["ruleIndex"]]
        assert rule["id"] == sarif_result["ruleId"]


def test_sarif_points_at_the_line_of_the_finding(tmp_path, sarif_schema):
    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump(PUBLIC_DB, sort_keys=False))
    log = json.loads(run("check", str(plan), "--format", "sarif").stdout)
    jsonschema.validate(log, sarif_schema)
    sec = [r for r in log["runs"][0]["results"] if r["ruleId"] == "SEC-001"]
    assert len(sec) == 1 and sec[0]["level"] == "error"
    line = sec[0]["locations"][0]["physicalLocation"]["region"]["startLine"]
    assert plan.read_text().splitlines()[line - 1].strip().startswith("db:")
    assert sec[0]["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "components.db"


def test_github_annotations_one_per_finding_escaped(tmp_path):
    plan = tmp_path / "a,b.yaml"  # a comma in the file name must be escaped in the property
    plan.write_text(yaml.safe_dump(PUBLIC_DB, sort_keys=False))
    result = run("check", str(plan), "--format", "github")
    assert result.returncode == 1
    findings = json.loads(run("check", str(plan), "--format", "json").stdout)["findings"]
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == len(findings)
    pattern = re.compile(r"^::(error|warning|notice) file=([^,]+),line=(\d+),title=([^,]+)::(.+)$")
    for annotation, finding in zip(annotations, findings):
        match = pattern.match(annotation)
        assert match, annotation
        assert match.group(1) == {"error": "error", "warning": "warning", "info": "notice"}[finding["severity"]]
        assert match.group(2) == str(plan).replace(",", "%2C")
        assert match.group(4).startswith(finding["id"])
        assert "\n" not in match.group(5)


def test_fail_on_thresholds(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump(PUBLIC_DB, sort_keys=False))
    counts = json.loads(run("check", str(plan), "--format", "json").stdout)["counts"]
    assert counts["error"] >= 1 and counts["warning"] >= 1  # the plan has both, so every threshold matters
    assert run("check", str(plan)).returncode == 1  # default: error
    assert run("check", str(plan), "--fail-on", "error").returncode == 1
    assert run("check", str(plan), "--fail-on", "never").returncode == 0
    # Only warnings: skip every error-level rule of this plan, then --fail-on warning still fails.
    errors = sorted({f["id"] for f in json.loads(run("check", str(plan), "--format", "json").stdout)["findings"]
                     if f["severity"] == "error"})
    only_warnings = dict(PUBLIC_DB, checks={"skip": [{"id": i, "reason": "test"} for i in errors]})
    plan.write_text(yaml.safe_dump(only_warnings, sort_keys=False))
    assert run("check", str(plan)).returncode == 0
    assert run("check", str(plan), "--fail-on", "warning").returncode == 1
    assert run("check", str(plan), "--fail-on", "bogus").returncode == 2


def _focus_columns():
    return json.loads((FIXTURES / "focus" / "focus-1.0-columns.json").read_text())["columns"]


DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def _check_focus_row(row, columns):
    for column in columns:
        value = row[column["id"]]
        if value == "":
            assert column["allows_nulls"], f"{column['id']} may not be null"
            continue
        if column["allowed_values"]:
            assert value in column["allowed_values"], (column["id"], value)
        if column["data_type"] == "Decimal":
            Decimal(value)
        elif column["data_type"] == "Date/Time":
            assert DATE.match(value), (column["id"], value)
        elif column["data_type"] == "JSON":
            assert isinstance(json.loads(value), dict)


@pytest.mark.parametrize("example", ALL_EXAMPLES, ids=lambda p: p.stem)
def test_focus_has_every_column_and_one_row_per_line_item(example):
    columns = _focus_columns()
    result = run("cost", str(example), "--format", "focus", "--period", "2026-12")
    assert result.returncode == 0, result.stderr
    reader = csv.DictReader(io.StringIO(result.stdout))
    assert reader.fieldnames == [c["id"] for c in columns]  # all 43, in the specification's order
    rows = list(reader)
    items = [i for c in json.loads(run("cost", str(example), "--format", "json").stdout)["components"]
             for i in c["line_items"]]
    assert len(rows) == len(items)
    for row in rows:
        _check_focus_row(row, columns)
        assert row["BillingPeriodStart"] == "2026-12-01T00:00:00Z"
        assert row["BillingPeriodEnd"] == "2027-01-01T00:00:00Z"  # the month rolls over the year
    billed = sum(Decimal(r["BilledCost"]) for r in rows)
    subtotal = Decimal(str(json.loads(run("cost", str(example), "--format", "json").stdout)["subtotal"]["usd"]))
    assert abs(billed - subtotal) <= Decimal("0.01")
    # each row adds up: quantity x unit price is the cost (unit prices are not rounded to a millionth: Cloud
    # Run's $0.0000004 a request was written 0 beside a cost of dollars)
    for row, item in zip(rows, items):
        cost = Decimal(row["EffectiveCost"])
        if Decimal(row["ListUnitPrice"]) and not item.get("tiered"):
            assert Decimal(row["PricingQuantity"]) * Decimal(row["ContractedUnitPrice"]) == pytest.approx(
                cost, abs=Decimal("0.000002") + cost * Decimal("1e-6")), row
        assert Decimal(row["ContractedUnitPrice"]) == pytest.approx(Decimal(str(item["unit_price_usd"])),
                                                                rel=Decimal("1e-9"))


def test_focus_committed_use_line_shows_list_and_effective_cost(tmp_path):
    # Cloud SQL with a 1-year commitment: list cost = effective cost / (1 - discount).
    plan = tmp_path / "plan.yaml"
    document = {"project": {"name": "t", "region": "us-central1", "free_tiers": False},
                "components": {"db": dict(PUBLIC_DB["components"]["db"], commitment="1y")}}
    plan.write_text(yaml.safe_dump(document, sort_keys=False))
    rows = list(csv.DictReader(io.StringIO(run("cost", str(plan), "--format", "focus").stdout)))
    committed = [r for r in rows if r["PricingCategory"] == "Committed"]
    assert committed, rows
    items = [i for c in json.loads(run("cost", str(plan), "--format", "json").stdout)["components"]
             for i in c["line_items"]]
    for row in committed:
        item = next(i for i in items if i["sku"] == row["SkuId"])
        discount = Decimal(str(item["discount"]))
        assert row["CommitmentDiscountStatus"] == "Used" and row["CommitmentDiscountCategory"] == "Usage"
        assert abs(Decimal(row["ListCost"]) * (1 - discount) - Decimal(row["EffectiveCost"])) < Decimal("0.00001")
        _check_focus_row(row, _focus_columns())


def test_focus_sustained_use_line_is_standard_pricing_with_its_list_cost(tmp_path):
    """A VM running 260 h of the month earns a sustained-use discount, not a committed-use one (found by a
    trial, whose part-month VM was exported as "Committed" with a commitment id). n2-standard-8 in
    us-central1: the first 182.5 h at the on-demand rate, the other 77.5 h at 1 - 2/3 x the full-month
    discount; list cost 260 h x the on-demand rate."""
    from archplan import catalog

    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump({"project": {"name": "t", "region": "us-central1"}, "components": {
        "reports": {"kind": "compute_engine", "machine_type": "n2-standard-8", "hours_per_month": 260}}}))
    rows = list(csv.DictReader(io.StringIO(run("cost", str(plan), "--format", "focus").stdout)))
    [row] = [r for r in rows if r["SkuId"] == "instance/n2-standard-8"]
    book = catalog.service("compute_engine")
    on_demand = book.price("instance/n2-standard-8", "us-central1").usd
    step = (1 - book.price("instance/n2-standard-8/sud", "us-central1").usd / on_demand) * 2 / 3
    assert row["PricingCategory"] == "Standard" and row["CommitmentDiscountId"] == ""
    assert row["CommitmentDiscountType"] == "" and row["CommitmentDiscountStatus"] == ""
    assert abs(Decimal(row["ListCost"]) - 260 * on_demand) < Decimal("0.00001")
    assert abs(Decimal(row["EffectiveCost"]) - (Decimal("182.5") + Decimal("77.5") * (1 - step)) * on_demand) \
        < Decimal("0.00001")
    _check_focus_row(row, _focus_columns())
    explained = " ".join(run("explain", str(plan), "reports").stdout.split())
    assert "sustained-use discount) =" in explained and "committed-use" not in explained
    rate = re.search(r"260 instance-hour x \$([0-9.]+) per instance-hour", explained).group(1)
    assert len(rate.replace("0.", "", 1)) <= 12  # 12 significant digits, not Decimal's 28


def test_fail_if_over_budget(tmp_path):
    plan = tmp_path / "plan.yaml"
    document = dict(PUBLIC_DB)
    # db-custom-1-3840 alone is well above 1 USD a month: over budget.
    document["project"] = {"name": "t", "region": "us-central1", "monthly_budget": {"amount": 1, "currency": "USD"}}
    plan.write_text(yaml.safe_dump(document, sort_keys=False))
    over = run("cost", str(plan), "--fail-if-over-budget")
    assert over.returncode == 1 and "over budget" in over.stderr and len(over.stderr.splitlines()) == 1
    document["project"]["monthly_budget"]["amount"] = 100000
    plan.write_text(yaml.safe_dump(document, sort_keys=False))
    assert run("cost", str(plan), "--fail-if-over-budget").returncode == 0
    del document["project"]["monthly_budget"]
    plan.write_text(yaml.safe_dump(document, sort_keys=False))
    missing = run("cost", str(plan), "--fail-if-over-budget")
    assert missing.returncode == 1 and "monthly_budget" in missing.stderr and "Traceback" not in missing.stderr
    assert run("cost", str(plan), "--format", "focus", "--period", "2026-13").returncode == 2
