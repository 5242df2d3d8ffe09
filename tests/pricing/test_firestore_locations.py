"""Firestore (Standard edition) by hand, in regions and multi-regions.

Published figures (Google's pages, read in their copies in apstndb/firestore-docs-mirror):
- us-central1: reads $0.03, writes $0.09, deletes $0.01 per 100,000 documents ("Query interfaces overview",
  as of 2026-05-21), stored data $0.15 per GiB-month (the product page's "Starting at", as of 2026-08-05);
- nam5: reads $0.06, writes $0.18, deletes $0.02 per 100,000, stored data $0.18 (the billing example, 2026-05-11).
Derived: eur3 and nam7 take nam5's figures; a region takes us-central1's times its Compute Engine multiplier,
e2-standard-2 on demand from ../shared/pricing/cyclenerd/pricing.yml (us-central1 $0.06701142 an hour,
europe-west1 $0.07371546, asia-south1 $0.08048436, southamerica-east1 $0.1063704), per operation rounded to
9 places and per GiB-month to 4.
"""
from decimal import ROUND_HALF_EVEN, Decimal

import pytest

from archplan import catalog
from tests.conftest import close, write_plan
from tests.pricing.test_platform_kinds import cli_error as run_cost

E2_IOWA = Decimal("0.06701142")
E2 = {"europe-west1": Decimal("0.07371546"), "asia-south1": Decimal("0.08048436"),
      "southamerica-east1": Decimal("0.1063704")}
USAGE = {"kind": "firestore", "stored_gb": 10, "reads_per_month": 10_000_000, "writes_per_month": 1_000_000,
         "deletes_per_month": 100_000, "pitr": False}  # PITR storage: its own tests below


def by_hand(read, write, delete, store):
    return 10_000_000 * read + 1_000_000 * write + 100_000 * delete + 10 * store


def derived(region):
    ratio = E2[region] / E2_IOWA
    ops = [(Decimal(p) * ratio).quantize(Decimal("1e-9"), ROUND_HALF_EVEN) for p in ("3e-7", "9e-7", "1e-7")]
    return (*ops, (Decimal("0.15") * ratio).quantize(Decimal("0.0001"), ROUND_HALF_EVEN))


def test_us_central1_published_figures(priced):
    report = priced({"db": USAGE})
    # 10M x $0.0000003 + 1M x $0.0000009 + 100K x $0.0000001 + 10 x $0.15 = 3.00 + 0.90 + 0.01 + 1.50 = $5.41
    assert close(report.total_usd, 5.41)
    assert not any("derived" in " ".join(item.notes) for item in report.line_items)


@pytest.mark.parametrize("location", ["nam5", "eur3", "nam7"])
def test_multi_regions_at_nam5s_figures(priced, location):
    report = priced({"db": {**USAGE, "location": location}})
    # 10M x 0.0000006 + 1M x 0.0000018 + 100K x 0.0000002 + 10 x 0.18 = 6.00 + 1.80 + 0.02 + 1.80 = $9.62
    assert close(report.total_usd, 9.62)
    notes = ["derived, not published: nam5" in " ".join(item.notes) for item in report.line_items]
    assert all(notes) if location != "nam5" else not any(notes)


@pytest.mark.parametrize("region", sorted(E2))
def test_a_region_is_us_central1_times_its_compute_engine_multiplier(priced, region):
    report = priced({"db": USAGE}, region=region)
    expected = by_hand(*derived(region))
    # europe-west1: ratio 1.10004 -> $0.033, $0.099, $0.011 per 100K and $0.1650 a GiB-month = $5.951
    assert close(report.total_usd, expected)
    assert all("derived, not published" in " ".join(item.notes) and "e2-standard-2" in " ".join(item.notes)
               for item in report.line_items)
    assert any("Compute Engine multiplier" in line for line in report.assumptions)


def test_europe_west1_by_the_numbers(priced):
    report = priced({"db": USAGE}, region="europe-west1")
    # 0.07371546 / 0.06701142 = 1.100043...: 3.30e-7, 9.90e-7, 1.10e-7 per document, 0.1650 per GiB-month
    assert close(report.total_usd, 3.30 + 0.99 + 0.011 + 1.650)


def test_free_quota_applies_per_day(priced):
    report = priced({"db": USAGE}, free_tiers=True)
    days = Decimal(365) / 12  # archplan's month: 30.4167 days
    reads = (10_000_000 - 50_000 * days) * Decimal("3e-7")
    writes = (1_000_000 - 20_000 * days) * Decimal("9e-7")
    deletes = max(Decimal(0), 100_000 - 20_000 * days) * Decimal("1e-7")  # all free
    storage = (10 - 1) * Decimal("0.15")
    assert close(report.total_usd, reads + writes + deletes + storage, 4)  # = 2.5437 + 0.3525 + 0 + 1.35


def test_every_firestore_location_has_figures_for_every_sku():
    book = catalog.service("firestore")
    offered = [name for name, info in catalog.locations().items() if "firestore" in info["services"]]
    assert sorted(offered) == ["eur3", "nam5", "nam7"]
    for location in [*catalog.supported_regions(), *offered]:
        for sku in ("document_read", "document_write", "document_delete", "storage", "enterprise/read_unit",
                    "enterprise/write_unit", "enterprise/realtime_update_unit", "enterprise/storage"):
            assert book.price(sku, location).usd > 0, (sku, location)


def test_derived_figures_never_undercut_us_central1():
    book = catalog.service("firestore")
    for region in catalog.supported_regions():
        assert book.price("document_read", region).usd >= book.price("document_read", "us-central1").usd


@pytest.mark.parametrize("location", ["us", "nam3", "eu"])
def test_a_location_firestore_does_not_offer_is_one_line(tmp_path, location):
    code, err = run_cost(write_plan(tmp_path, {"db": {**USAGE, "location": location}}))
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert "eur3" in err and "nam5" in err and "nam7" in err and "Traceback" not in err


@pytest.mark.parametrize(("edition", "where", "per_gib"), [
    ({}, {}, Decimal("0.15")),  # us-central1 stored data
    ({}, {"location": "nam5"}, Decimal("0.18")),
    ({"edition": "enterprise", "avg_document_kib": 1}, {}, Decimal("0.24")),
])
def test_pitr_storage_is_the_database_size_with_no_free_tier(priced, edition, where, per_gib):
    db = {**USAGE, **edition, **where, "pitr": True}
    with_pitr = priced({"db": db}, free_tiers=True)
    without = priced({"db": {**db, "pitr": False}}, free_tiers=True)
    # 10 GiB of PITR data at the location's stored-data price (derived: the PITR unit price was not readable)
    assert close(with_pitr.total_usd - without.total_usd, 10 * per_gib)
    [item] = [i for i in with_pitr.line_items if i.sku.endswith("pitr_storage")]
    assert item.free_quantity == 0 and "derived, not published" in " ".join(item.notes)


def test_pitr_off_is_said_in_terraform_and_recovery(tmp_path):
    from archplan.check import run_checks
    from archplan.cli import main
    from archplan.plan import resolve
    from archplan.spec.load import load_spec

    plan = write_plan(tmp_path, {"db": {**USAGE, "pitr": False}})
    assert main(["generate", str(plan), "-o", str(tmp_path / "out"), "--target", "terraform"]) == 0
    text = (tmp_path / "out" / "terraform" / "firestore.tf").read_text()
    assert '"POINT_IN_TIME_RECOVERY_DISABLED"' in text
    report = run_checks(resolve(load_spec(plan, None, catalog.supported_regions())))
    [row] = [r for r in report.recovery if r.component == "db" and r.scenario == "data corruption"]
    assert row.rpo_minutes == float("inf") and "pitr: false" in row.basis
