"""AlloyDB by hand from the catalog's n2-highmem-2 node-hour prices (doitintl alloydb-pricing.json at commit
0133443a): us-central1 $0.31136, europe-west1 $0.3425, asia-south1 $0.32384, southamerica-east1 $0.49516."""
import pytest

from tests.conftest import close, write_plan
from tests.pricing.test_platform_kinds import cli_error as run_cost

N2_HIGHMEM_2 = {"us-central1": 0.31136, "europe-west1": 0.3425, "asia-south1": 0.32384,
                "southamerica-east1": 0.49516}


@pytest.mark.parametrize("region", sorted(N2_HIGHMEM_2))
def test_ha_primary_pays_two_nodes_and_each_read_pool_node(priced, region):
    report = priced({"db": {"kind": "alloydb", "machine_type": "n2-highmem-8", "ha": True,
                            "read_pools": [{"name": "r", "machine_type": "n2-highmem-4", "nodes": 3}]}},
                    region=region)
    rate = N2_HIGHMEM_2[region]
    primary = 2 * 4 * 730 * rate  # 2 nodes (active + standby) x n2-highmem-8 = 4 x n2-highmem-2, 730 h
    pool = 3 * 2 * 730 * rate  # 3 nodes x n2-highmem-4 = 2 x n2-highmem-2, 730 h
    assert close(report.total_usd, primary + pool, 4)


def test_basic_primary_is_one_node(priced):
    report = priced({"db": {"kind": "alloydb", "machine_type": "n2-highmem-2", "ha": False}})
    assert close(report.total_usd, 1 * 1 * 730 * 0.31136, 4)  # = $227.2928


def test_shape_scaling_matches_the_data_sets_own_larger_shapes(priced):
    # The file's asia-south1 n2-highmem-16 is $2.59072 an hour and n2-highmem-32 $5.18144: 8x and 16x 0.32384.
    for machine_type, hourly in (("n2-highmem-16", 2.59072), ("n2-highmem-32", 5.18144)):
        report = priced({"db": {"kind": "alloydb", "machine_type": machine_type, "ha": False}}, region="asia-south1")
        assert close(report.total_usd, hourly * 730, 4)


def test_storage_at_the_price_the_plan_states(priced):
    report = priced({"db": {"kind": "alloydb", "ha": False, "storage_gb": 500, "storage_usd_per_gb_month": 0.3}})
    storage = [i for i in report.line_items if i.sku == "storage"]
    assert len(storage) == 1 and close(storage[0].monthly_usd, 500 * 0.3)
    assert "stated" in storage[0].source


# Storage and backups: us-east1's figures are the only citable ones (bytebase/bytebase.com pricing notes at
# commit 619bd492: $0.338939 and $0.113004 per GB-month); every other region scales them by its n2-highmem-2 node
# price over us-east1's ($0.3519).
STORAGE_US_EAST1, BACKUP_US_EAST1, NODE_US_EAST1 = 0.338939, 0.113004, 0.3519


@pytest.mark.parametrize("region", ["us-east1", "europe-west1", "asia-south1", "southamerica-east1", "us-central1"])
def test_storage_and_backups_by_hand_in_the_cited_and_derived_regions(priced, region):
    report = priced({"db": {"kind": "alloydb", "ha": False, "storage_gb": 500, "backup_gb": 800}}, region=region)
    node = N2_HIGHMEM_2.get(region, NODE_US_EAST1 if region == "us-east1" else 0.31136)
    scale = node / NODE_US_EAST1  # europe-west1: 0.3425 / 0.3519 = 0.97329; us-central1: 0.31136 / 0.3519 = 0.88480
    storage = round(STORAGE_US_EAST1 * scale, 6)  # europe-west1: 0.329885 per GB-month
    backup = round(BACKUP_US_EAST1 * scale, 6)  # europe-west1: 0.109985
    items = {i.sku: i for i in report.line_items}
    assert close(items["storage"].monthly_usd, 500 * storage, 6)
    assert close(items["backup"].monthly_usd, 800 * backup, 6)
    assert close(report.total_usd, 730 * node + 500 * storage + 800 * backup, 4)
    derived = [a for a in report.assumptions if "figure derived" in a and "db: storage" in a]
    assert (region == "us-east1") == (not derived)


def test_backups_default_to_one_copy_of_the_data_and_say_so(priced):
    report = priced({"db": {"kind": "alloydb", "ha": False, "storage_gb": 250}}, region="us-east1")
    backup = [i for i in report.line_items if i.sku == "backup"]
    assert len(backup) == 1 and close(backup[0].monthly_usd, 250 * BACKUP_US_EAST1)  # = $28.251
    assert any("backup storage estimated as one copy of storage_gb = 250 GB" in a for a in report.assumptions)
    none = priced({"db": {"kind": "alloydb", "ha": False, "storage_gb": 250, "backup_gb": 0}}, region="us-east1")
    assert not [i for i in none.line_items if i.sku == "backup"]


def test_the_storage_figure_is_old_and_the_report_warns(priced):
    report = priced({"db": {"kind": "alloydb", "ha": False, "storage_gb": 10}}, region="us-east1")
    assert any("2024-03-26" in w and "AlloyDB" in w for w in report.warnings)


def test_a_source_without_a_stated_price_is_one_line(tmp_path):
    code, err = run_cost(write_plan(tmp_path, {"db": {"kind": "alloydb", "storage_gb": 100,
                                                      "storage_price_source": "our quote"}}))
    assert code == 1 and len(err.strip().splitlines()) == 1 and "storage_usd_per_gb_month" in err


def test_unknown_machine_type_lists_the_valid_ones(tmp_path):
    code, err = run_cost(write_plan(tmp_path, {"db": {"kind": "alloydb", "machine_type": "n2-highmem-3"}}))
    assert code == 1 and "n2-highmem-2" in err and len(err.strip().splitlines()) == 1


def test_sla_is_googles_for_ha_and_assumed_for_basic(tmp_path):
    from archplan.check.availability import component_availability
    from archplan import catalog
    from archplan.plan import resolve
    from archplan.spec.load import load_spec

    path = write_plan(tmp_path, {"ha": {"kind": "alloydb"}, "basic": {"kind": "alloydb", "ha": False}})
    plan = resolve(load_spec(path, None, catalog.supported_regions()))
    by_name = {c.name: component_availability(c) for c in plan.components}
    assert by_name["ha"].percent == 99.99 and by_name["ha"].basis == "sla"
    assert by_name["basic"].percent == 99.9 and by_name["basic"].basis == "assumed"  # one VM's SLA


@pytest.mark.parametrize(("commitment", "off"), [("1y", 0.25), ("3y", 0.52)])
def test_commitment_takes_its_discount_off_nodes_only(priced, commitment, off):
    """Google's AlloyDB CUD page: 25% for 1 year, 52% for 3, on instance vCPU and memory; not storage or backups."""
    plain = priced({"db": {"kind": "alloydb", "storage_gb": 100}}, region="us-east1")
    committed = priced({"db": {"kind": "alloydb", "storage_gb": 100, "commitment": commitment}}, region="us-east1")
    nodes = 2 * 730 * NODE_US_EAST1  # HA: 1,460 node-hours x $0.3519 = $513.77
    assert close(plain.total_usd - committed.total_usd, nodes * off, 2)
    storage = {i.sku: i.monthly_usd for i in committed.line_items}
    assert close(storage["storage"], 100 * STORAGE_US_EAST1, 2) and close(storage["backup"], 100 * BACKUP_US_EAST1, 2)
