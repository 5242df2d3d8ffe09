"""Firestore Enterprise edition by hand. us-central1, Google's query interfaces page (as of 2026-05-21): $0.05 per
million read units (4 KiB tranches), $0.26 per million write units (1 KiB tranches; writes, deletes and index
entries), $0.30 per million real-time update units (4 KiB); the product page (2026-08-05): SSD storage "Starting at
$0.24" a GB-month. Free tier (quotas page, 2026-06-16): 50,000 read units, 40,000 write units and 50,000 real-time
update units a day, 1 GiB stored. Other regions: x the Compute Engine multiplier, as for Standard edition;
multi-regions: x Standard edition's multi-region multiplier (nam5 reads 0.06/0.03 = 2, storage 0.18/0.15 = 1.2)."""
from decimal import Decimal

import pytest

from tests.conftest import close, write_plan
from tests.pricing.test_platform_kinds import cli_error as run_cost

DB = {"kind": "firestore", "edition": "enterprise", "avg_document_kib": 6, "stored_gb": 10,
      "reads_per_month": 10_000_000, "writes_per_month": 1_000_000, "deletes_per_month": 100_000,
      "pitr": False}  # PITR storage: tests/pricing/test_firestore_locations.py


def lines(report):
    return {item.sku: item for item in report.line_items}


def test_units_are_tranches_of_the_document_size(priced):
    report = priced({"db": DB})
    got = lines(report)
    assert got["enterprise/read_unit"].quantity == 20_000_000  # 10M reads x ceil(6 / 4) = 2 units
    assert got["enterprise/write_unit"].quantity == 6_600_000  # (1M + 100K) x ceil(6 / 1) = 6 units
    # 20M x $0.05/M + 6.6M x $0.26/M + 10 GiB x $0.24 = 1.00 + 1.716 + 2.40 = $5.116
    assert close(report.total_usd, 5.116)
    assert "enterprise/realtime_update_unit" not in got
    assert any("index entries written with each document are not counted" in a for a in report.assumptions)


def test_small_documents_still_cost_one_unit_and_index_entries_add_write_units(priced):
    report = priced({"db": {**DB, "avg_document_kib": 0.5, "index_kib_per_write": 2.5}})
    got = lines(report)
    assert got["enterprise/read_unit"].quantity == 10_000_000  # a 0.5 KiB read is one unit
    # 1.1M documents x 1 unit + 1M writes x ceil(2.5) = 3 index units = 4.1M
    assert got["enterprise/write_unit"].quantity == 4_100_000
    assert close(report.total_usd, Decimal("0.50") + Decimal("1.066") + Decimal("2.40"))


def test_realtime_updates_and_the_daily_free_tier(priced):
    report = priced({"db": {**DB, "realtime_updates_per_month": 2_000_000}}, free_tiers=True)
    days = Decimal(365) / 12
    reads = (20_000_000 - 50_000 * days) * Decimal("5e-8")
    writes = (6_600_000 - 40_000 * days) * Decimal("2.6e-7")
    realtime = (4_000_000 - 50_000 * days) * Decimal("3e-7")  # 2M updates x 2 units
    storage = 9 * Decimal("0.24")
    assert close(report.total_usd, reads + writes + realtime + storage, 4)  # = 0.9240 + 1.3997 + 0.7437 + 2.16


def test_a_region_and_a_multi_region(priced):
    ratio = Decimal("0.07371546") / Decimal("0.06701142")  # europe-west1 e2-standard-2 over us-central1
    there = priced({"db": DB}, region="europe-west1")
    expected = (20_000_000 * (Decimal("5e-8") * ratio).quantize(Decimal("1e-10"))
                + 6_600_000 * (Decimal("2.6e-7") * ratio).quantize(Decimal("1e-10"))
                + 10 * (Decimal("0.24") * ratio).quantize(Decimal("0.0001")))
    assert close(there.total_usd, expected)  # 20M x 0.055/M + 6.6M x 0.286/M + 10 x 0.264 = $5.6276
    multi = priced({"db": {**DB, "location": "nam5"}})
    # 20M x $0.10/M + 6.6M x $0.52/M + 10 x $0.288 = 2.00 + 3.432 + 2.88
    assert close(multi.total_usd, 8.312)
    assert all("derived, not published" in " ".join(item.notes) for item in multi.line_items)


def test_enterprise_terraform_sets_the_edition(tmp_path):
    from archplan.cli import main

    plan = write_plan(tmp_path, {"db": DB})
    assert main(["generate", str(plan), "-o", str(tmp_path / "out"), "--target", "terraform"]) == 0
    text = (tmp_path / "out" / "terraform" / "firestore.tf").read_text()
    assert 'database_edition                  = "ENTERPRISE"' in text


@pytest.mark.parametrize(("db", "words"), [
    ({**DB, "avg_document_kib": None}, "set avg_document_kib"),
    ({k: v for k, v in DB.items() if k not in ("edition",)}, "only apply to edition: enterprise"),
    ({**DB, "edition": "premium"}, "enterprise"),
    ({**DB, "avg_document_kib": 2048}, "1024")])
def test_edition_mistakes_are_one_line(tmp_path, db, words):
    db = {k: v for k, v in db.items() if v is not None}
    code, err = run_cost(write_plan(tmp_path, {"db": db}))
    assert code == 1 and len(err.strip().splitlines()) == 1 and words in err and "Traceback" not in err


def test_import_reads_the_edition_back(tmp_path):
    import yaml

    from archplan.cli import main

    plan = write_plan(tmp_path, {"db": DB})
    assert main(["generate", str(plan), "-o", str(tmp_path / "out"), "--target", "terraform"]) == 0
    imported = tmp_path / "imported.yaml"
    assert main(["import", "terraform", str(tmp_path / "out" / "terraform"), "--region", "us-central1",
                 "-o", str(imported)]) == 0
    document = yaml.safe_load(imported.read_text())
    db = document["components"]["db"]
    assert db["edition"] == "enterprise" and db["avg_document_kib"] == 1  # a placeholder, listed as missing usage
    assert "components.db.avg_document_kib" in document["missing_usage"]


def test_commitments_discount_what_google_says_they_cover(priced):
    """Spend-based CUDs, 20% for 1 year and 40% for 3 (Google's CUD pages for Spanner and Firestore, as of
    2026-05-11): Spanner's on compute capacity only, Firestore's on reads, writes and deletes only."""
    spanner = priced({"s": {"kind": "spanner", "nodes": 1, "storage_gib": 10, "commitment": "3y"}})
    # 730 h x $0.90 x (1 - 0.40) = $394.20 (the CUD page's own 3-year figure, $0.54 a node-hour) + storage
    # 10 GiB x 3 replicas x $0.10 = $3.00, not discounted
    assert close(spanner.total_usd, Decimal("394.20") + Decimal("3.00"))
    firestore = priced({"f": {**DB, "edition": "standard", "avg_document_kib": None, "commitment": "1y",
                              "pitr": True}})
    # 10M x $0.0000003 x 0.8 + 1M x $0.0000009 x 0.8 + 100K x $0.0000001 x 0.8 = 2.40 + 0.72 + 0.008; storage and
    # PITR data 10 GiB x $0.15 each, not discounted
    assert close(firestore.total_usd, Decimal("3.128") + Decimal("3.00"))


def test_enterprise_with_a_commitment_is_one_line(tmp_path):
    code, err = run_cost(write_plan(tmp_path, {"db": {**DB, "commitment": "1y"}}))
    assert code == 1 and len(err.strip().splitlines()) == 1 and "Standard edition" in err
