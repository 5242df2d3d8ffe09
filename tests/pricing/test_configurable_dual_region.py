"""Configurable dual-regions (a bucket with two chosen regions): the pair rules, the derived storage price,
replication between the two regions, residency, diagrams' text and Terraform's custom_placement_config."""
from decimal import Decimal

import pytest
import yaml

from archplan import catalog
from archplan.cli import main
from archplan.plan import resolve
from archplan.pricing.cloud_storage import dual_region_ratio
from archplan.spec.load import load_spec

BUCKET = {"kind": "cloud_storage", "location_type": "dual-region", "location": "asia",
          "data_locations": ["asia-south1", "asia-southeast1"], "storage_gb": 1000, "written_gb_per_month": 100}


def _write(tmp_path, bucket: dict, project: dict | None = None):
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump({"project": {"name": "t", "region": "asia-south1", **(project or {})},
                                    "components": {"docs": bucket}}, sort_keys=False))
    return path


def _lines(tmp_path, bucket: dict):
    from archplan.analysis.cost import cost_report

    plan = resolve(load_spec(_write(tmp_path, bucket), None, catalog.supported_regions()))
    report = cost_report(plan)
    return report.line_items


def test_the_ratio_comes_from_the_predefined_dual_regions():
    ratio, how = dual_region_ratio("standard")
    # Cyclenerd data: asia1 0.0506 = 1.1 x (0.023 + 0.023); eur4 and nam4 0.044 = 1.1 x (0.02 + 0.02)
    assert ratio == Decimal("1.1")
    assert "asia1 0.0506 / (0.023 + 0.023) = 1.100" in how and "nam4 0.044 / (0.02 + 0.02) = 1.100" in how


def test_storage_is_derived_from_both_regions(tmp_path):
    lines = _lines(tmp_path, BUCKET)
    (storage,) = [line for line in lines if line.sku == "storage_standard_dual_region"]
    # (0.023 Mumbai + 0.020 Singapore) x 1.1 = 0.0473 per GiB-month; x 1,000 GiB = $47.30
    assert storage.unit_price_usd == Decimal("0.0473") and storage.quantity == 1000
    assert storage.monthly_usd == Decimal("47.3")
    assert "asia-south1+asia-southeast1" in storage.description
    assert any("(0.023 asia-south1 + 0.02 asia-southeast1) x 1.100 = 0.0473" in note for note in storage.notes)


def test_replication_runs_between_the_two_regions(tmp_path):
    (replication,) = [line for line in _lines(tmp_path, BUCKET) if "replication of writes" in line.description]
    assert "asia-south1 -> asia-southeast1" in replication.description
    assert replication.sku == "within_asia" and replication.quantity == 100


def test_turbo_on_a_configurable_pair(tmp_path):
    (turbo,) = [line for line in _lines(tmp_path, {**BUCKET, "turbo_replication": True})
                if "replication" in line.description]
    assert turbo.description == "turbo replication of writes (15-minute target): asia-south1+asia-southeast1"


@pytest.mark.parametrize("change, words", [
    ({"data_locations": ["asia-south1", "europe-west1"]}, "two regions of one continent"),
    ({"location": "eu"}, "asia-south1 is in Asia, not in multi-region eu (location: asia)"),
    ({"location": "eu", "data_locations": ["europe-west1", "europe-west2"]}, "europe-west2 (United Kingdom) is outside the EU"),
    ({"location": "us", "data_locations": ["us-east1", "northamerica-northeast1"]}, "outside the US multi-region"),
    ({"data_locations": ["asia-south1", "asia-south1"]}, "exactly two different data_locations"),
    ({"data_locations": ["asia-south1", "asia-south2", "asia-east1"]}, "exactly two different data_locations"),
    ({"location": "asia1"}, "the multi-region that holds both"),
    ({"location_type": "multi-region"}, "set location_type: dual-region"),
    ({"data_locations": ["asia-south1", "asia-south9"]}, "data_locations[1]: unknown or unsupported region"),
    ({"data_locations": ["australia-southeast1", "australia-southeast2"]},
     "australia-southeast1 is in Oceania, not in multi-region asia (no multi-region of Oceania holds dual-regions)"),
])
def test_bad_pairs_are_one_line(tmp_path, capsys, change, words):
    path = _write(tmp_path, {**BUCKET, **change})
    assert main(["cost", str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and words in err and f"{path}:" in err, err


def test_residency_looks_at_both_regions(tmp_path):
    from archplan.check import run_checks

    def residency(bucket):
        plan = resolve(load_spec(_write(tmp_path, bucket, {"data_residency": "India"}), None,
                                 catalog.supported_regions()))
        return [f for f in run_checks(plan).findings if f.id == "SEC-008"]

    assert not residency({**BUCKET, "data_locations": ["asia-south1", "asia-south2"]})
    (finding,) = residency(BUCKET)
    assert "stores data in asia-southeast1 (Singapore)" in finding.detail


def test_terraform_custom_placement(tmp_path):
    from tests.generate.conftest import generate
    from tests.generate.test_terraform import resources

    code, _, err = generate(_write(tmp_path, {**BUCKET, "turbo_replication": True}), tmp_path / "out",
                            "--target", "terraform")
    assert code == 0, err
    bucket = resources(tmp_path, "out")["google_storage_bucket.docs"]
    assert bucket["location"] == "ASIA" and bucket["rpo"] == "ASYNC_TURBO"
    assert bucket["custom_placement_config"][0]["data_locations"] == ["ASIA-SOUTH1", "ASIA-SOUTHEAST1"]


def test_predefined_dual_region_is_priced_as_before(tmp_path):
    lines = _lines(tmp_path, {"kind": "cloud_storage", "location_type": "dual-region", "location": "asia1",
                              "storage_gb": 10})
    (storage,) = [line for line in lines if line.sku == "storage_standard_dual_region"]
    assert storage.unit_price_usd == Decimal("0.0506") and not any("derived" in n for n in storage.notes)
