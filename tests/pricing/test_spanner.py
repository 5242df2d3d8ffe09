"""Cloud Spanner by hand from the catalog's figures (1 node = 1,000 processing units): Standard edition, regional,
$0.90 per node-hour in us-central1 and $1.08 in us-west2 (Google's CUD page, docs/cuds, as of
2026-05-11, read in its copy in apstndb/spanner-docs-mirror, commit 9a7f9edf; confidence medium) and $1.17 in europe-west6 (the Zurich "Server
Node" SKU 07AA-3267-AE40 in nozomi-koborinai/terradart, commit 101e4687; confidence medium); Enterprise edition in
us-central1 at $0.41 per node-hour of each of a regional configuration's 3 read-write replicas (the Iowa
"Read-Write Replica Enterprise Edition" SKU 1D9F-E99D-5CBD, same file; the replica count from
cloud.google.com/spanner/docs/instance-configurations); Enterprise Plus at $0.57 per replica node-hour and SSD
storage at $0.10 per GiB-month per replica in us-central1 (Google's product page cloud.google.com/spanner, its
"Starting at" $0.057 per 100 processing units per hour per replica and $0.10 per GB per month per replica, as of
2026-08-05, read in its copy in apstndb/spanner-docs-mirror, commit 4ad8e37f). Other regions: x the region's Cloud SQL multiplier
(db-n1-standard-1 zonal over us-central1's 0.0676). Multi-region configurations are not priced. Granularity and
storage limits from docs.cloud.google.com/spanner/docs/compute-capacity."""
import pytest

from archplan import catalog
from archplan.check.sla import choose
from archplan.components.spanner import Spec
from tests.conftest import close, write_plan
from tests.pricing.test_platform_kinds import cli_error as run_cost

NODE_HOUR = 0.90


def test_processing_units_and_stated_storage(priced):
    report = priced({"db": {"kind": "spanner", "processing_units": 2000, "storage_gib": 500,
                            "storage_usd_per_gib_month": 0.30, "storage_price_source": "billing export"}})
    compute = 2000 * 730 * NODE_HOUR / 1000  # = $1,314.00
    storage = 500 * 0.30  # = $150.00
    assert close(report.total_usd, compute + storage, 6)  # = $1,464.00
    items = {i.sku: i for i in report.line_items}
    assert close(items["node/standard"].quantity, 1460) and items["node/standard"].source == "https://docs.cloud.google.com/spanner/docs/cuds"
    assert "billing export" in items["storage"].source and "storage/ssd" not in items  # the stated price overrides


@pytest.mark.parametrize(("capacity", "node_hours"), [({"processing_units": 100}, 73), ({"processing_units": 900}, 657),
                                                       ({"nodes": 3}, 2190), ({"processing_units": 7000}, 5110)])
def test_compute_is_processing_units_over_1000_node_hours(priced, capacity, node_hours):
    report = priced({"db": {"kind": "spanner", **capacity}})
    assert close(report.total_usd, node_hours * NODE_HOUR, 6)  # 100 PU: 0.1 x 730 x 0.90 = $65.70


def test_regional_prefix_is_the_region(priced):
    report = priced({"db": {"kind": "spanner", "config": "regional-us-central1", "nodes": 1}})
    assert close(report.total_usd, 730 * NODE_HOUR)


def test_the_assumptions_say_where_the_price_comes_from(priced):
    report = priced({"db": {"kind": "spanner", "nodes": 1}})
    text = "\n".join(report.assumptions)
    assert "from https://docs.cloud.google.com/spanner/docs/cuds (dated 2026-05-11" in text and "confidence medium" in text


@pytest.mark.parametrize(("capacity", "words"), [
    ({"processing_units": 250}, "multiples of 100"), ({"processing_units": 1500}, "multiples of 1,000"),
    ({"processing_units": 50}, "at least 100"), ({"nodes": 1, "processing_units": 1000}, "one of nodes"),
    ({}, "one of nodes")])
def test_capacity_off_spanners_steps_is_one_line(tmp_path, capacity, words):
    code, err = run_cost(write_plan(tmp_path, {"db": {"kind": "spanner", **capacity}}))
    assert code == 1 and len(err.strip().splitlines()) == 1 and words in err


def test_storage_over_the_capacitys_limit(tmp_path):
    # 300 PU hold 3 x 1,024 GiB; 3,073 GiB needs 400 PU.
    stated = {"storage_usd_per_gib_month": 0.3}
    code, err = run_cost(write_plan(tmp_path, {"db": {"kind": "spanner", "processing_units": 300,
                                                      "storage_gib": 3073, **stated}}))
    assert code == 1 and "3,072 GiB" in err
    Spec(kind="spanner", processing_units=300, storage_gib=3072, **stated)
    Spec(kind="spanner", nodes=2, storage_gib=20480, **stated)  # 10 TiB a node


STORAGE_GIB_MONTH_PER_REPLICA = 0.10


@pytest.mark.parametrize(("region", "sql_shape"), [("us-central1", 0.0676), ("asia-northeast1", 0.088),
                                                 ("southamerica-east1", 0.1013)])
def test_storage_is_gib_x_three_replicas_at_the_catalogs_ssd_rate(priced, region, sql_shape):
    # us-central1 (cited): 500 GiB x 3 replicas = 1,500 GiB-months x $0.10 = $150.00 (= $0.30 per GiB of data).
    # asia-northeast1 (derived): 0.10 x 0.088 / 0.0676 = 0.1302 (4 places) x 1,500 = $195.30.
    # southamerica-east1 (derived): 0.10 x 0.1013 / 0.0676 = 0.1499 x 1,500 = $224.85.
    report = priced({"db": {"kind": "spanner", "nodes": 1, "storage_gib": 500}}, region=region)
    items = {i.sku: i for i in report.line_items}
    per_replica = round(STORAGE_GIB_MONTH_PER_REPLICA * sql_shape / 0.0676, 4)
    assert close(items["storage/ssd"].quantity, 1500) and "x 3 read-write replicas" in items["storage/ssd"].description
    assert close(items["storage/ssd"].monthly_usd, 1500 * per_replica, 6)
    assert items["storage/ssd"].source == "https://cloud.google.com/spanner"
    node_hour = round(NODE_HOUR * sql_shape / 0.0676, 4)
    assert close(report.total_usd, 730 * node_hour + 1500 * per_replica, 6)


@pytest.mark.parametrize(("region", "sql_shape"), [("us-central1", 0.0676), ("europe-west6", 0.0878),
                                                 ("asia-south1", 0.0811)])
def test_enterprise_plus_is_three_read_write_replicas(priced, region, sql_shape):
    # us-central1 (cited): 2 nodes x 730 h x 3 replicas = 4,380 replica node-hours x $0.57 = $2,496.60.
    # europe-west6 (derived): 0.57 x 0.0878 / 0.0676 = 0.7403 (4 places) x 4,380 = $3,242.51.
    # asia-south1 (derived): 0.57 x 0.0811 / 0.0676 = 0.6838 x 4,380 = $2,995.04.
    report = priced({"db": {"kind": "spanner", "nodes": 2, "edition": "ENTERPRISE_PLUS"}}, region=region)
    (line,) = report.line_items
    rate = round(0.57 * sql_shape / 0.0676, 4)
    assert line.sku == "replica/enterprise_plus" and close(line.quantity, 4380)
    assert close(report.total_usd, 4380 * rate, 6)
    if region == "us-central1":
        assert line.source == "https://cloud.google.com/spanner"
        assert any("ENTERPRISE_PLUS compute price in us-central1" in a and "confidence medium" in a
                   for a in report.assumptions)
    else:
        assert any(f"{region} figure derived" in a for a in report.assumptions)


def test_us_west2_standard_from_googles_own_example(priced):
    # the CUD page's worked example: $1.08 per node-hour in us-west2; the rule would give 0.90 x 0.0811 / 0.0676 =
    # 1.0797 (0.03% apart): 3 nodes x 730 h = 2,190 node-hours x $1.08 = $2,365.20
    report = priced({"db": {"kind": "spanner", "nodes": 3}}, region="us-west2")
    assert close(report.total_usd, 2190 * 1.08, 6)
    assert not any("us-west2 figure derived" in a and "node/standard" in a for a in report.assumptions)


@pytest.mark.parametrize(("region", "sql_shape"), [("asia-south1", 0.0811), ("southamerica-east1", 0.1013),
                                                 ("europe-west1", 0.0676)])
def test_other_regions_are_derived_by_the_cloud_sql_multiplier(priced, region, sql_shape):
    # db-n1-standard-1 zonal: 0.0676 $/h in us-central1 (doitintl data set); Mumbai 0.90 x 0.0811 / 0.0676 =
    # 1.0797 a node-hour (4 places), x 730 = $788.18
    report = priced({"db": {"kind": "spanner", "nodes": 1}}, region=region)
    node_hour = round(NODE_HOUR * sql_shape / 0.0676, 4)
    assert close(report.total_usd, 730 * node_hour, 6)
    derived = [a for a in report.assumptions if "figure derived, not published" in a]
    assert derived and f"{region} figure derived" in derived[0] and "1.1689" in derived[0]


def test_the_derivation_rule_predicts_the_cited_zurich_figure():
    # the rule's check: the Zurich SKU is 1.17; the rule gives 0.90 x 0.0878 / 0.0676 = 1.1689 (0.1% apart)
    sql = catalog.service("cloud_sql")
    ratio = sql.price("shape/db-n1-standard-1/zonal", "europe-west6").usd / \
        sql.price("shape/db-n1-standard-1/zonal", "us-central1").usd
    assert abs(float(ratio) * NODE_HOUR / 1.17 - 1) < 0.005


def test_multi_region_needs_enterprise_plus_and_is_not_priced(tmp_path):
    code, err = run_cost(write_plan(tmp_path, {"db": {"kind": "spanner", "config": "nam3", "nodes": 1}}))
    assert code == 1 and "ENTERPRISE_PLUS" in err
    code, err = run_cost(write_plan(tmp_path, {"db": {"kind": "spanner", "config": "eur3", "nodes": 1,
                                                      "edition": "ENTERPRISE_PLUS"}}))
    assert code == 1 and len(err.strip().splitlines()) == 1 and "no citable price" in err and "eur3" in err
    assert all(f"{edition} regional" in err for edition in ("STANDARD", "ENTERPRISE", "ENTERPRISE_PLUS"))


def test_zurich_standard_from_its_own_sku(priced):
    report = priced({"db": {"kind": "spanner", "nodes": 2}}, region="europe-west6")
    assert close(report.total_usd, 2 * 730 * 1.17, 6)  # 1,460 node-hours x $1.17 = $1,708.20
    (line,) = report.line_items
    assert "101e46879d4660bd0dbe39190b3675ec98ef7a22" in line.source  # the region's own source, not the 2021 notes
    assert any("europe-west6: from nozomi-koborinai/terradart" in a and "confidence medium" in a
               for a in report.assumptions)


def test_enterprise_is_three_read_write_replicas(priced):
    report = priced({"db": {"kind": "spanner", "processing_units": 500, "edition": "ENTERPRISE"}})
    assert close(report.total_usd, 0.5 * 730 * 3 * 0.41, 6)  # 365 node-hours x 3 replicas = 1,095 x $0.41 = $448.95
    (line,) = report.line_items
    assert line.sku == "replica/enterprise" and close(line.quantity, 1095) and "x 3 read-write replicas" in \
        line.description


def test_unknown_config_lists_the_multi_regions(tmp_path):
    code, err = run_cost(write_plan(tmp_path, {"db": {"kind": "spanner", "config": "nam99", "nodes": 1}}))
    assert code == 1 and "nam3" in err and len(err.strip().splitlines()) == 1


def test_sla_regional_and_multi_region():
    facts = catalog.service("availability")
    regional = choose("spanner", Spec(kind="spanner", nodes=1))
    multi = choose("spanner", Spec(kind="spanner", nodes=1, config="nam6", edition="ENTERPRISE_PLUS"))
    assert facts.fact(regional.fact).value == "99.99" and facts.fact(multi.fact).value == "99.999"


def test_the_catalog_listing_shows_a_regions_own_source():
    import json

    from archplan.render.catalog_listing import render

    rows = json.loads(render("spanner", "json", region="europe-west6"))
    row = next(r for r in rows if r["sku"] == "node/standard")
    assert (row["usd"], row["confidence"], row["date"]) == ("1.17", "M", "2026-12-02")
    assert "nozomi-koborinai/terradart" in row["source"]
