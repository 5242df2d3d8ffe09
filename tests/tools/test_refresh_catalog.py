"""tools/refresh_catalog.py on recorded API responses: pagination, pageSize 5000, SKU matching by id,
a diff that changes only the figures the API prices differently. No test touches the network."""
from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import urllib.parse
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RECORDED = Path(__file__).parent / "recorded"
spec = importlib.util.spec_from_file_location("refresh_catalog", ROOT / "tools" / "refresh_catalog.py")
refresh = importlib.util.module_from_spec(spec)
sys.modules["refresh_catalog"] = refresh
spec.loader.exec_module(refresh)

PAGES = {  # (path, pageToken) -> recorded file
    ("/v1/services", None): "services-page1.json",
    ("/v1/services", "page2"): "services-page2.json",
    ("/v1/services/9662-B51E-5089/skus", None): "cloudsql-skus-page1.json",
    ("/v1/services/9662-B51E-5089/skus", "sql2"): "cloudsql-skus-page2.json",
    ("/v1/services/E505-1604-58F8/skus", None): "networking-skus.json",
}


class Recorded:
    def __init__(self):
        self.urls: list[str] = []

    def __call__(self, url: str) -> dict:
        self.urls.append(url)
        parts = urllib.parse.urlsplit(url)
        query = dict(urllib.parse.parse_qsl(parts.query))
        assert parts.netloc == "cloudbilling.googleapis.com" and query["key"] == "TEST-KEY"
        assert query["pageSize"] == "5000"
        return json.loads((RECORDED / PAGES[(parts.path, query.get("pageToken"))]).read_text())


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a test tried to use the network")
    monkeypatch.setattr(refresh.urllib.request, "urlopen", refuse)


def test_changed_prices_are_found_by_sku_id_across_pages():
    fetch = Recorded()
    found, missing = refresh.changes("TEST-KEY", fetch)
    assert {(c.tracked.service, c.tracked.sku, c.tracked.region): c.api_usd for c in found} == {
        ("cloud_sql", "backup", "asia-south1"): Decimal("0.101"),  # 0.096 in the catalog; 101,000,000 nanos
    }  # the load balancer's 0.01 (10,000,000 nanos) equals the catalog's: not a change
    assert missing == []
    assert sum("pageToken=page2" in url for url in fetch.urls) == 1  # the second page of services was read
    assert sum("pageToken=sql2" in url for url in fetch.urls) == 1
    assert not any("6F81-5844-456A/skus" in url for url in fetch.urls)  # no SKU ids tracked for that service


def test_the_diff_changes_only_the_changed_figure(tmp_path):
    found, _missing = refresh.changes("TEST-KEY", Recorded())
    diff = refresh.proposed_diff(found)
    removed = [line for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
    added = [line for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert removed == ['-      asia-south1: "0.096"'] and added == ['+      asia-south1: "0.101"']
    # It applies cleanly to a copy of the catalog.
    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "src" / "archplan" / "catalog" / "data", copy / "src/archplan/catalog/data")
    (tmp_path / "change.diff").write_text(diff)
    result = subprocess.run(["git", "apply", "--check", str(tmp_path / "change.diff")], cwd=copy,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_sku_the_api_does_not_list_is_reported(tmp_path, capsys):
    def fetch(url):
        parts = urllib.parse.urlsplit(url)
        if parts.path == "/v1/services":
            return json.loads((RECORDED / "services-page2.json").read_text())  # no Cloud SQL service
        return json.loads((RECORDED / "networking-skus.json").read_text())
    out = tmp_path / "refresh.diff"
    assert refresh.main(["--api-key", "TEST-KEY", "--out", str(out)], fetch=fetch) == 0
    printed = capsys.readouterr().out
    assert "SKU D737-A9D2-80AB not listed by the API" in printed
    assert out.read_text() == ""  # nothing changed


def test_unit_price_takes_the_first_tier_above_zero():
    sku = json.loads((RECORDED / "cloudsql-skus-page2.json").read_text())["skus"][0]
    assert refresh.unit_price(sku) == (Decimal("0.101"), "GiBy.mo")
