"""The catalog: every figure names its source and date; every supported region is priced."""
from decimal import Decimal

import pytest

from archplan import catalog
from archplan.errors import CatalogError


@pytest.mark.parametrize("service", catalog.services())
def test_every_price_free_tier_and_fact_has_source_date_and_unit(service):
    book = catalog.service(service)
    for section in (book.prices, book.free_tiers, book.facts):
        for key, entry in section.items():
            assert entry.get("source"), f"{service}.{key} has no source"
            assert entry.get("date"), f"{service}.{key} has no date"
            assert entry.get("unit"), f"{service}.{key} has no unit"
    for sku, entry in book.prices.items():
        values = entry.get("usd") or entry.get("tiers")
        rules = entry.get("derive") or []
        rules = rules if isinstance(rules, list) else [rules]
        if not values:  # derived in every region: from another SKU of the service, which has figures
            assert rules and all(rule.get("from_sku") in book.prices for rule in rules), f"{service}.{sku} has no figure"
            continue
        flat = [v for tiers in values.values() for _up, v in tiers] if "tiers" in entry else list(values.values())
        assert all(Decimal(str(v)) >= 0 for v in flat)
        if entry.get("fallback_region"):
            assert entry["fallback_region"] in values


@pytest.mark.parametrize("region", catalog.supported_regions())
def test_regions_have_location_and_core_prices(region):
    assert catalog.regions()[region]["country"]
    for service, sku in [("cloud_run", "cpu_request_based"), ("cloud_sql", "enterprise_vcpu"),
                         ("memorystore_redis", "standard_m1"), ("network", "egress_internet"),
                         ("compute_engine", "instance/e2-standard-4/sud"), ("cloud_storage", "storage_standard_region"),
                         ("load_balancing", "data_processed"), ("cloud_sql", "storage_ssd")]:
        book = catalog.service(service)
        machine = book.machine_types.get(sku.split("/")[1]) if sku.startswith("instance/") else None
        if region in book.unpriced_regions or (machine and region not in machine["regions"]):
            with pytest.raises(CatalogError, match="it is sold in: "):
                book.price(sku, region)  # declared not sold there: the error says where it is
            continue
        assert book.price(sku, region).first_rate > 0


def test_tiered_price_cost_crosses_tiers():
    price = catalog.service("network").price("egress_internet", "asia-south1")
    assert price.cost(Decimal(1024)) == Decimal(1024) * Decimal("0.12")
    assert price.cost(Decimal(100), already_used=Decimal(1000)) == 24 * Decimal("0.12") + 76 * Decimal("0.11")


def test_fx_rate_is_dated_and_sourced():
    fact = catalog.service("fx").fact("usd_inr")
    assert fact.decimal > 50 and fact.date
    assert fact.source.startswith("datasets/exchange-rates data/daily.csv, commit ")  # a repository at a commit


def test_the_exchange_rates_are_listed_with_their_dates(capsys):
    """The README sends users to `archplan catalog --service fx` for the rates; it listed '0 prices'."""
    import json as _json

    from archplan.cli import main

    assert main(["catalog", "--service", "fx", "--format", "json"]) == 0
    rows = _json.loads(capsys.readouterr().out)
    assert [r["currency"] for r in rows] == [c for c in catalog.currencies() if c != "USD"]
    eur = next(r for r in rows if r["currency"] == "EUR")
    assert Decimal(eur["per_usd"]) == catalog.exchange_rate("EUR").per_usd and eur["date"] and eur["source"]
    assert main(["catalog", "--service", "fx"]) == 0
    assert f"{len(rows)} exchange rates" in capsys.readouterr().out
