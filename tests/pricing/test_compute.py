"""GKE and Compute Engine against hand-computed figures."""
from tests.conftest import close, items


def test_regional_standard_cluster_pays_the_fee_and_every_node(priced):
    report = priced({"gke": {"kind": "gke", "mode": "standard", "location_type": "regional",
                             "node_pools": [{"name": "default", "machine_type": "e2-standard-4", "nodes": 9}]}},
                    region="asia-south1", free_tiers=True)
    got = items(report)
    assert close(got["cluster_management"], 730 * 0.10)  # no free credit for regional clusters
    assert close(got["instance/e2-standard-4/sud"], 9 * 730 * 0.16096872)  # 1,057.56
    assert close(got["pd_balanced"], 9 * 100 * 0.12)


def test_zonal_cluster_fee_is_covered_by_the_free_credit(priced):
    report = priced({"gke": {"kind": "gke", "mode": "standard", "location_type": "zonal",
                             "node_pools": [{"name": "a", "machine_type": "e2-standard-4", "nodes": 1}]}},
                    free_tiers=True)
    fee = next(i for i in report.line_items if i.sku == "cluster_management")
    assert fee.free_quantity == 730 and fee.monthly_usd == 0


def test_autopilot_bills_pod_requests(priced):
    report = priced({"gke": {"kind": "gke", "mode": "autopilot", "location_type": "regional",
                             "deployments": [{"name": "api", "replicas": 3, "cpu": "500m", "memory": "1Gi"}]}})
    got = items(report)
    assert close(got["autopilot_vcpu"], 1.5 * 730 * 0.0445)
    assert close(got["autopilot_memory"], 3 * 730 * 0.0049225)


def test_committed_vm_uses_the_commitment_price_and_part_month_uses_on_demand(priced):
    report = priced({
        "vm": {"kind": "compute_engine", "machine_type": "n2-standard-4", "count": 2, "commitment": "1y"},
        "batch": {"kind": "compute_engine", "machine_type": "n2-standard-4", "hours_per_month": 100},
    })
    assert close(items(report, "vm")["instance/n2-standard-4/cud_1y"], 2 * 730 * 0.122364)
    assert close(items(report, "batch")["instance/n2-standard-4"], 100 * 0.194236)
    assert close(items(report, "vm")["pd_balanced"], 2 * 10 * 0.1)


def test_spot_node_pool(priced):
    report = priced({"gke": {"kind": "gke", "mode": "standard", "location_type": "zonal",
                             "node_pools": [{"name": "s", "machine_type": "e2-standard-2", "nodes": 2,
                                             "spot": True, "disk_gb": 50, "disk_type": "pd-standard"}]}})
    assert "instance/e2-standard-2/spot" in items(report)
    assert close(items(report)["pd_standard"], 2 * 50 * 0.04)
