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


def test_storage_without_a_stated_price_is_one_line_naming_the_missing_figure(tmp_path):
    code, err = run_cost(write_plan(tmp_path, {"db": {"kind": "alloydb", "storage_gb": 100}}))
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert "storage_usd_per_gb_month" in err and "no citable AlloyDB storage price" in err


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
