"""The pricing faults found by hand (issue 8), each with the test that would have caught it.
Figures by hand from the catalog's unit prices."""
from decimal import Decimal

from archplan import catalog
from tests.conftest import close, items


def test_usage_above_the_last_bounded_tier_pays_the_last_rate():
    # Cloud CDN Asia-Pacific tiers: 10 TiB at 0.08... the last bounded tier ends at 512,000 GiB.
    price = catalog.service("cloud_cdn").price("cache_egress_asia_pacific", "us-central1")
    last_bound, last_rate = price.tiers[-1]
    assert last_bound is not None  # every tier bounded: the case that used to be free above 512,000 GiB
    more = price.cost(Decimal(696_182)) - price.cost(Decimal(512_000))
    assert more == Decimal(696_182 - 512_000) * last_rate  # 184,182 GiB x the last tier's rate, not 0


def test_part_month_vm_keeps_its_sustained_use_discount(priced):
    full = items(priced({"vm": {"kind": "compute_engine", "machine_type": "n2-standard-4"}}))
    part = items(priced({"vm": {"kind": "compute_engine", "machine_type": "n2-standard-4", "hours_per_month": 729}}))
    full_vm = full["instance/n2-standard-4/sud"]
    part_vm = part["instance/n2-standard-4"]
    assert part_vm < full_vm
    # n2-standard-4 us-central1: on-demand 0.194236/h, full month 113.46 (20.0% SUD); the 730th hour is in the
    # last quarter, billed at 1 - 3 x (2/3 x d) of on-demand: 729 h = full month - one hour at that rate.
    on_demand = catalog.service("compute_engine").price("instance/n2-standard-4", "us-central1").usd
    d = 1 - full_vm / (on_demand * 730)
    assert close(part_vm, full_vm - on_demand * (1 - 2 * d), 4)


def test_half_month_n1_pays_the_first_two_increments(priced):
    part = items(priced({"vm": {"kind": "compute_engine", "machine_type": "n1-standard-1", "hours_per_month": 365}}))
    book = catalog.service("compute_engine")
    on_demand = book.price("instance/n1-standard-1", "us-central1").usd
    d = 1 - book.price("instance/n1-standard-1/sud", "us-central1").usd / on_demand  # 0.30 for N1
    assert abs(d - Decimal("0.3")) < Decimal("0.001")
    expected = on_demand * (Decimal("182.5") * 1 + Decimal("182.5") * (1 - 2 * d / 3))  # 100% then 80%
    assert close(part["instance/n1-standard-1"], expected, 4)


def test_nat_gateway_ips_and_public_node_ips_are_charged(priced):
    report = priced({"nat": {"kind": "cloud_nat", "gateways": 2, "vms": 3, "data_processed_gb_per_month": 0}})
    assert close(items(report)["external_ip_in_use"], 2 * 730 * 0.005)  # 2 IPs x 730 h x $0.005
    report = priced({"k": {"kind": "gke", "mode": "standard", "location_type": "zonal",
                           "node_pools": [{"name": "p", "machine_type": "e2-standard-4", "nodes": 3}]}})
    assert close(items(report)["external_ip_in_use"], 3 * 730 * 0.005)
    report = priced({"k": {"kind": "gke", "mode": "standard", "location_type": "zonal", "private_nodes": True,
                           "node_pools": [{"name": "p", "machine_type": "e2-standard-4", "nodes": 3}]}})
    assert "external_ip_in_use" not in items(report)


def test_always_free_storage_is_for_the_three_us_regions_only(priced):
    bucket = {"kind": "cloud_storage", "storage_class": "standard", "storage_gb": 10}
    multi = priced({"b": {**bucket, "location_type": "multi-region", "location": "us"}}, free_tiers=True)
    assert multi.line_items[0].free_quantity == 0  # a US multi-region bucket in a us-central1 plan
    regional = priced({"b": {**bucket, "location_type": "region"}}, free_tiers=True)
    assert regional.line_items[0].free_quantity == 5


def test_identical_tiered_components_cost_the_same_whatever_their_order(priced):
    egress = {"kind": "network_egress", "gb_per_month": 6000}
    report = priced({"a": egress, "b": dict(egress)})
    totals = report.by_component()
    assert totals["a"] == totals["b"]
    # 12,000 GiB from us-central1: 1,024 x 0.12 + 9,216 x 0.11 + 1,760 x 0.08 = 1,277.12; half each
    price = catalog.service("network").price("egress_internet", "us-central1")
    assert close(totals["a"] + totals["b"], price.cost(Decimal(12000)))


def test_instance_based_cloud_run_in_tier_2_is_derived_and_says_so(priced):
    report = priced({"api": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "cpu_allocation": "always",
                             "min_instances": 1, "requests_per_month": 0, "request_duration_ms": 100}},
                    region="asia-southeast2")
    got = items(report)
    assert close(got["cpu_instance_based"], 2_628_000 * 0.0000216)  # 730 h x 3600 s x (0.000018 x 1.2)
    assert close(got["memory_instance_based"], 2_628_000 * 0.5 * 0.0000024)
    assert any("derived, not published" in line and "x 1.2" in line for line in report.assumptions)


def test_mumbai_cloud_run_tier_conflict_is_in_the_assumptions_with_both_figures(priced):
    report = priced({"api": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "requests_per_month": 1000,
                             "request_duration_ms": 100}}, region="asia-south1")
    lines = [line for line in report.assumptions if "price group conflict" in line]
    assert any("0.000024" in line and "0.0000336" in line for line in lines)


def test_uptime_checks_are_priced_above_the_free_million(priced):
    report = priced({"mon": {"kind": "cloud_monitoring", "metric_mib_per_month": 0, "uptime_checks": 4}},
                    free_tiers=True)
    line = next(i for i in report.line_items if i.sku == "uptime_check_execution")
    assert line.quantity == 4 * 6 * 43_800  # 4 checks x 6 locations x 60 runs/h x 730 h = 1,051,200
    assert close(line.monthly_usd, (1_051_200 - 1_000_000) * 0.0003)  # 51,200 x $0.30/1,000 = 15.36


def test_always_free_e2_micro_in_the_three_us_regions_only(priced):
    vm = {"kind": "compute_engine", "machine_type": "e2-micro", "disk_gb": 30, "disk_type": "pd-standard"}
    free = priced({"vm": vm}, free_tiers=True)
    assert free.total_usd == 0  # 730 h of e2-micro and 30 GiB-month of standard PD in us-central1
    paid = priced({"vm": vm}, free_tiers=True, region="europe-west1")
    assert paid.total_usd > 0


def test_autopilot_bills_pods_as_autopilot_raises_them(priced):
    from archplan.components.gke import autopilot_billed_requests as billed
    from decimal import Decimal as D

    assert billed(D(4), D(1)) == (D(4), D(4))            # 1:1 minimum ratio: memory raised to 4 GiB
    assert billed(D("0.1"), D("0.1")) == (D("0.25"), D("0.5"))  # minimums
    assert billed(D(1), D(10)) == (D("1.75"), D(10))     # 10 / 6.5 = 1.54 vCPU, up to the 0.25 step
    report = priced({"k": {"kind": "gke", "mode": "autopilot", "location_type": "regional",
                           "deployments": [{"name": "api", "replicas": 2, "cpu": 4, "memory": "1Gi"}]}})
    got = items(report)
    vcpu = catalog.service("gke").price("autopilot_vcpu", "us-central1").usd
    memory = catalog.service("gke").price("autopilot_memory", "us-central1").usd
    assert close(got["autopilot_vcpu"], 2 * 4 * 730 * vcpu)
    assert close(got["autopilot_memory"], 2 * 4 * 730 * memory)  # 8 GiB billed, not 2
