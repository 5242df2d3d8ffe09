"""BigQuery ingestion by hand: the Storage Write API (per GiB, first 2 TiB a month free), legacy streaming
inserts (tabledata.insertAll, per 200 MiB, each row at least 1 KB) and batch loading (free, not priced).

Unit prices (catalog bigquery.yaml):
  storage_write_api   us 0.025/GiB; eu 0.025 (the us figure, derived); asia-south1 0.025 x 7.50/6.25 = 0.03
  streaming_insert    us, eu, us-central1 0.00005/MiB (0.01 per 200 MiB); asia-south1 0.00005 x 1.2 = 0.00006
  free: storage_write_api 2,048 GiB a month per billing account; insertAll none.
"""
from __future__ import annotations

import contextlib
import io
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archplan import catalog
from archplan.analysis.cost import cost_report
from archplan.cli import main
from archplan.plan import resolve
from archplan.spec.load import load_spec
from tests.conftest import close, items, write_plan

WAREHOUSE = {"kind": "bigquery", "active_storage_gb": 0, "query_tib_per_month": 0}


def warehouse(streaming: dict | None = None, **fields) -> dict:
    return {"wh": {**WAREHOUSE, **({"streaming": streaming} if streaming else {}), **fields}}


# --- Storage Write API --------------------------------------------------------------------------------------

@pytest.mark.parametrize("location, unit_usd", [("us", "0.025"), ("eu", "0.025"), ("asia-south1", "0.03")])
def test_storage_write_above_the_free_2_tib_pays_only_the_excess(priced, location, unit_usd):
    report = priced(warehouse({"api": "storage_write", "gib_per_month": 3000}, location=location), free_tiers=True)
    # (3,000 - 2,048) GiB x unit: us/eu 952 x 0.025 = 23.80; asia-south1 952 x 0.03 = 28.56
    assert close(items(report)["storage_write_api"], 952 * Decimal(unit_usd))


@pytest.mark.parametrize("location", ["us", "eu", "asia-south1"])
def test_storage_write_below_the_free_2_tib_is_free(priced, location):
    report = priced(warehouse({"api": "storage_write", "gib_per_month": 1500}, location=location), free_tiers=True)
    # 1,500 GiB <= 2,048 GiB free: 0
    assert items(report)["storage_write_api"] == 0
    assert any("storage_write_api: 2,048 GiB a month" in use.description for use in report.free_tiers_applied)


def test_storage_write_without_free_tiers_pays_every_gib(priced):
    report = priced(warehouse({"api": "storage_write", "gib_per_month": 3000}, location="us"))
    assert close(items(report)["storage_write_api"], 3000 * 0.025)  # 75.00


def test_storage_write_by_rows_has_no_minimum_row_size(priced):
    report = priced(warehouse({"api": "storage_write", "rows_per_month": 1_000_000_000, "avg_row_bytes": 500},
                              location="us"))
    # 10^9 rows x 500 bytes = 5 x 10^11 bytes / 2^30 = 465.66128730773926 GiB x 0.025 = 11.641532182693481
    assert close(items(report)["storage_write_api"], 5 * 10**11 / 2**30 * 0.025)


def test_storage_write_in_asia_south1_says_it_is_derived(priced):
    report = priced(warehouse({"api": "storage_write", "gib_per_month": 100}), region="asia-south1")
    assert close(items(report)["storage_write_api"], 100 * 0.03)  # 3.00
    assert any("asia-south1 figure derived, not published: us 0.025 x (query_on_demand 7.50 in asia-south1 / "
               "6.25 in us) = 0.03" in line for line in report.assumptions)


# --- legacy streaming inserts (tabledata.insertAll) ---------------------------------------------------------

@pytest.mark.parametrize("location, unit_usd", [("us", "0.00005"), ("eu", "0.00005"), ("us-central1", "0.00005"),
                                                ("asia-south1", "0.00006")])
def test_insert_all_small_rows_are_billed_at_the_1_kb_minimum(priced, location, unit_usd):
    report = priced(warehouse({"api": "legacy_insert_all", "rows_per_month": 100_000_000, "avg_row_bytes": 300},
                              location=location), free_tiers=True)
    # 10^8 rows x 1,024 bytes (not 300) / 2^20 = 97,656.25 MiB; x 0.00005 = 4.8828125; x 0.00006 = 5.859375
    assert close(items(report)["streaming_insert"], Decimal("97656.25") * Decimal(unit_usd))
    assert any("1,024-byte minimum per row, not 300" in line for line in report.assumptions)


@pytest.mark.parametrize("location, unit_usd", [("us", "0.00005"), ("eu", "0.00005"), ("asia-south1", "0.00006")])
def test_insert_all_large_rows_are_billed_at_their_size(priced, location, unit_usd):
    report = priced(warehouse({"api": "legacy_insert_all", "rows_per_month": 10_000_000, "avg_row_bytes": 4096},
                              location=location))
    # 10^7 rows x 4,096 bytes / 2^20 = 39,062.5 MiB; x 0.00005 = 1.953125; x 0.00006 = 2.34375
    assert close(items(report)["streaming_insert"], Decimal("39062.5") * Decimal(unit_usd))
    assert not any("minimum per row, not" in line for line in report.assumptions)


def test_insert_all_rows_exactly_1_kb_cost_the_same_as_smaller_ones(priced):
    small = priced(warehouse({"api": "legacy_insert_all", "rows_per_month": 5_000_000, "avg_row_bytes": 1}))
    exact = priced(warehouse({"api": "legacy_insert_all", "rows_per_month": 5_000_000, "avg_row_bytes": 1024}))
    # both 5 x 10^6 x 1,024 / 2^20 = 4,882.8125 MiB x 0.00005 = 0.244140625 (plan region us-central1)
    assert close(small.total_usd, 4882.8125 * 0.00005) and close(exact.total_usd, small.total_usd)


def test_insert_all_by_gib_has_no_free_allowance_and_says_the_minimum_is_not_applied(priced):
    report = priced(warehouse({"api": "legacy_insert_all", "gib_per_month": 100}, location="us"), free_tiers=True)
    # 100 GiB = 102,400 MiB x 0.00005 = 5.12, nothing free
    assert close(items(report)["streaming_insert"], 5.12)
    assert any("which only rows_per_month with avg_row_bytes can apply" in line for line in report.assumptions)


# --- batch loading ------------------------------------------------------------------------------------------

def test_batch_loading_is_free_and_the_report_says_so(priced):
    loaded = priced(warehouse(batch_load_gib_per_month=500, active_storage_gb=100, query_tib_per_month=2))
    plain = priced(warehouse(active_storage_gb=100, query_tib_per_month=2))
    assert loaded.total_usd == plain.total_usd
    assert not any("load" in item.sku for item in loaded.line_items)
    assert any(line.startswith("wh: batch loading 500 GiB a month: free, not priced") for line in loaded.assumptions)
    assert not any("batch loading" in line for line in plain.assumptions)


# --- every location -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("sku", ["storage_write_api", "streaming_insert"])
def test_ingestion_is_priced_in_every_supported_region_and_multi_region(sku):
    book = catalog.service("bigquery")
    for where in [*catalog.supported_regions(), "us", "eu"]:
        assert book.price(sku, where).usd > 0, where


# --- monotone in volume -------------------------------------------------------------------------------------

def total(component: dict, region: str = "us-central1", free_tiers: bool = True) -> Decimal:
    document = {"project": {"name": "p", "region": region, "free_tiers": free_tiers}, "components": {"wh": component}}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.yaml"
        path.write_text(yaml.safe_dump(document))
        return cost_report(resolve(load_spec(path, None, catalog.supported_regions()))).total_usd


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(api=st.sampled_from(["storage_write", "legacy_insert_all"]),
       location=st.sampled_from(["us", "eu", "asia-south1", "us-central1"]),
       free_tiers=st.booleans(),
       by_rows=st.booleans(),
       volumes=st.lists(st.integers(0, 10**7), min_size=2, max_size=2),
       row_bytes=st.lists(st.integers(1, 10**5), min_size=2, max_size=2))
def test_cost_is_monotone_non_decreasing_in_ingested_volume(api, location, free_tiers, by_rows, volumes, row_bytes):
    low, high = sorted(volumes)
    if by_rows:  # more rows, and bigger rows, never cost less
        small_bytes, big_bytes = sorted(row_bytes)
        less = {"api": api, "rows_per_month": low * 100, "avg_row_bytes": small_bytes}
        more = {"api": api, "rows_per_month": high * 100, "avg_row_bytes": big_bytes}
    else:
        less, more = {"api": api, "gib_per_month": low}, {"api": api, "gib_per_month": high}
    cheaper = total({**WAREHOUSE, "location": location, "streaming": less}, free_tiers=free_tiers)
    dearer = total({**WAREHOUSE, "location": location, "streaming": more}, free_tiers=free_tiers)
    assert cheaper <= dearer


# --- bad input ----------------------------------------------------------------------------------------------

def cli_error(path) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["cost", str(path)])
    return code, err.getvalue()


def block_plan(tmp_path: Path, streaming: str) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text("project: {name: t, region: us-central1}\ncomponents:\n  wh:\n    kind: bigquery\n"
                    "    active_storage_gb: 10\n    query_tib_per_month: 1\n    streaming:\n" + streaming)
    return path


@pytest.mark.parametrize("streaming, line, key, says", [
    ("      api: storage_write\n      gib_per_month: -5\n", 9, "components.wh.streaming.gib_per_month",
     "greater than or equal to 0"),
    ("      api: kafka\n      gib_per_month: 5\n", 8, "components.wh.streaming.api",
     "'storage_write' or 'legacy_insert_all'"),
    ("      api: legacy_insert_all\n      rows_per_month: -1\n      avg_row_bytes: 100\n", 9,
     "components.wh.streaming.rows_per_month", "greater than or equal to 0"),
    ("      api: legacy_insert_all\n      rows_per_month: 10\n", 7, "components.wh.streaming",
     "rows_per_month and avg_row_bytes go together"),
])
def test_bad_streaming_is_one_line_with_file_line_and_key(tmp_path, streaming, line, key, says):
    path = block_plan(tmp_path, streaming)
    code, err = cli_error(path)
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith(f"error: {path}:{line}: {key}: ") and says in err, err


def test_negative_batch_load_is_one_line(tmp_path):
    path = write_plan(tmp_path, warehouse(batch_load_gib_per_month=-1))
    code, err = cli_error(path)
    assert code == 1 and err.count("\n") == 1 and "components.wh.batch_load_gib_per_month: " in err, err
