"""Cloud Run and Cloud Functions against quantities x unit prices worked out by hand."""
import math
from decimal import Decimal

from tests.conftest import close, items

MONTH_S = 730 * 3600  # 2,628,000 seconds


def busy_seconds(requests, duration_s, concurrency):
    load = requests * duration_s / MONTH_S
    return MONTH_S * max(1 - math.exp(-load), load / concurrency)


def test_request_based_tier2_with_an_idle_min_instance(priced):
    report = priced({"api": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "min_instances": 1,
                             "request_duration_ms": 200, "requests_per_month": 1_000_000}},
                    region="asia-southeast2")
    busy = busy_seconds(1_000_000, 0.2, 80)  # about 192,580 s: requests rarely overlap
    idle = MONTH_S - busy
    got = items(report)
    assert close(got["cpu_request_based"], busy * 1 * 0.0000336, 4)
    assert close(got["memory_request_based"], busy * 0.5 * 0.0000035, 4)
    assert close(got["requests"], 1_000_000 * 0.0000004)
    assert close(got["cpu_idle_min_instance"], idle * 1 * 0.0000035, 4)
    assert close(got["memory_idle_min_instance"], idle * 0.5 * 0.0000035, 4)


def test_busy_time_packs_requests_by_concurrency_under_heavy_load(priced):
    report = priced({"api": {"kind": "cloud_run", "cpu": 2, "memory": "1Gi", "concurrency": 10,
                             "request_duration_ms": 500, "requests_per_month": 500_000_000}})
    load = 500_000_000 * 0.5 / MONTH_S  # about 95 requests in flight on average
    assert close(items(report)["cpu_request_based"], MONTH_S * load / 10 * 2 * 0.000024, 2)


def test_instance_based_bills_every_second_of_min_instances_and_no_requests(priced):
    report = priced({"api": {"kind": "cloud_run", "cpu": 2, "memory": "4Gi", "min_instances": 2,
                             "cpu_allocation": "always", "request_duration_ms": 100,
                             "requests_per_month": 1_000_000}})
    got = items(report)
    assert close(got["cpu_instance_based"], 2 * MONTH_S * 2 * 0.000018)  # 189.216
    assert close(got["memory_instance_based"], 2 * MONTH_S * 4 * 0.000002)  # 42.048
    assert "requests" not in got
    assert close(report.total_usd, 231.264)


def test_free_tier_is_worth_tier1_prices_in_a_tier2_region(priced):
    report = priced({"api": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 1000,
                             "requests_per_month": 1_000_000}}, region="asia-southeast2", free_tiers=True)
    cpu = next(i for i in report.line_items if i.sku == "cpu_request_based")
    assert close(cpu.free_quantity, 180_000 * 0.000024 / 0.0000336, 3)  # 128,571.43 vCPU-s
    requests = next(i for i in report.line_items if i.sku == "requests")
    assert requests.free_quantity == 1_000_000 and requests.monthly_usd == 0


def test_cloud_run_and_functions_share_one_free_allowance(priced):
    report = priced({
        "api": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 100,
                "requests_per_month": 1_500_000},
        "jobs": {"kind": "cloud_functions", "cpu": 1, "memory": "256Mi", "duration_ms": 100,
                 "invocations_per_month": 1_000_000},
    }, free_tiers=True)
    api = next(i for i in report.line_items if i.component == "api" and i.sku == "requests")
    jobs = next(i for i in report.line_items if i.component == "jobs" and i.sku == "requests")
    # 2 million free requests for 2.5 million used: each gets 80% of its requests free.
    assert close(api.free_quantity, 1_200_000) and close(jobs.free_quantity, 800_000)
    assert close(jobs.monthly_usd, 200_000 * 0.0000004)
    assert close(api.monthly_usd + jobs.monthly_usd, 500_000 * 0.0000004)


def test_shared_free_tier_does_not_depend_on_the_order_of_components(priced, tmp_path):
    a = {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 300, "requests_per_month": 3_000_000}
    b = {"kind": "cloud_run", "cpu": 2, "memory": "1Gi", "request_duration_ms": 100, "requests_per_month": 900_000}
    first = priced({"a": a, "b": b}, free_tiers=True).by_component()
    second = priced({"b": b, "a": a}, free_tiers=True).by_component()
    assert first == second


def test_functions_bill_each_invocation_alone_at_concurrency_1(priced):
    report = priced({"fn": {"kind": "cloud_functions", "cpu": 1, "memory": "256Mi", "duration_ms": 300,
                            "invocations_per_month": 2_000_000}})
    busy = 2_000_000 * 0.3  # concurrency 1: every invocation occupies an instance
    got = items(report)
    assert close(got["cpu_request_based"], busy * 0.000024, 4)
    assert close(got["memory_request_based"], busy * 0.25 * 0.0000025, 4)


def test_an_allowance_valued_at_tier_1_is_shared_by_value_whatever_the_order(priced):
    """Cloud Run's free 180,000 vCPU-s and 360,000 GiB-s a month are valued at Tier 1 prices. A Tier 1 service
    (us-central1, $0.000024 vCPU-s) and a Tier 2 one (asia-southeast2, $0.0000336) each busy 500,000 s: the
    allowance was converted to units at the first charge's price, so the file order changed both costs. Held in
    USD, it covers the same share of each: 180,000 x 0.000024 / (500,000 x 0.000024 + 500,000 x 0.0000336)
    = 0.15, so r1 pays 425,000 x 0.000024 = $10.20 and r2 425,000 x 0.0000336 = $14.28, in either order."""
    one = {"kind": "cloud_run", "cpu": 1, "memory": "1Gi", "requests_per_month": 1_000_000,
           "request_duration_ms": 500, "concurrency": 1}
    two = {**one, "region": "asia-southeast2"}
    for components in ({"r1": one, "r2": two}, {"r2": two, "r1": one}):
        report = priced(components, region="us-central1", free_tiers=True)
        assert close(items(report, "r1")["cpu_request_based"], 425_000 * 0.000024)
        assert close(items(report, "r2")["cpu_request_based"], 425_000 * 0.0000336)
        used = [f for f in report.free_tiers_applied if "cpu_request_based" in f.description]
        assert [round(f.used) for f in used] == [180_000]
