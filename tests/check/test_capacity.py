"""Capacity at peak: instances, queueing, connection pools, node capacity."""
import pytest

from archplan.check.capacity import allocatable
from archplan.check.queueing import erlang_c
from tests.check.conftest import ids


def test_cloud_run_instances_needed_against_max_instances(check):
    # 26,280,000 requests a month = 10 req/s on average; x3 at peak = 30 req/s; 0.5 s each = 15 in flight.
    # At 4 per instance and 60% utilisation: ceil(15 / 2.4) = 7 instances; the cap is 5.
    report = check({"api": {"kind": "cloud_run", "cpu": 1, "memory": "1Gi", "concurrency": 4, "max_instances": 5,
                            "request_duration_ms": 500, "requests_per_month": 26_280_000}},
                   traffic={"peak_to_average": 3})
    row = report.capacity.services[0]
    assert row.avg_rps == pytest.approx(10) and row.peak_rps == pytest.approx(30)
    assert row.instances_needed == 7
    assert ids(report, "CAP-001")[0].component == "api"
    # Capped at 5 instances: 15 Erlangs on 5 x 4 = 20 slots runs at 75%, queueing but not saturated.
    assert row.utilization == pytest.approx(0.75) and not ids(report, "CAP-002")
    assert row.wait_probability == pytest.approx(erlang_c(20, 15.0))


def test_connection_pools_against_max_connections(check):
    # 20 instances x 2 workers x (5 + 10) = 600 connections against 100 for a 4 GB PostgreSQL tier.
    report = check({
        "api": {"kind": "cloud_run", "cpu": 2, "memory": "4Gi", "max_instances": 20, "request_duration_ms": 200,
                "requests_per_month": 1000, "db_pool_size": 5, "db_max_overflow": 10, "workers_per_instance": 2,
                "depends_on": ["db"]},
        "db": {"kind": "cloud_sql", "engine": "postgres", "tier": "db-custom-2-4096", "storage_gb": 10},
    })
    budget = report.capacity.connections[0]
    assert budget.total == 600 and budget.max_connections == 100
    assert "20 max instances x 2 worker(s) x (5 pool + 10 overflow)" in ids(report, "CAP-010")[0].detail


def test_gke_allocatable_follows_the_published_reservations():
    cpu, memory = allocatable(4, 16)
    assert cpu == pytest.approx(4 - (0.06 + 0.01 + 0.005 * 2))
    assert memory == pytest.approx(16 - (4 * 0.25 + 4 * 0.20 + 8 * 0.10) - 100 / 1024)


def test_gke_pods_that_do_not_fit(check):
    report = check({"gke": {"kind": "gke", "mode": "standard", "location_type": "regional",
                            "node_pools": [{"name": "p", "machine_type": "e2-standard-2", "nodes": 3}],
                            "deployments": [{"name": "api", "replicas": 3, "max_replicas": 10, "cpu": 1,
                                             "memory": "1Gi"}]}})
    assert ids(report, "CAP-050")  # 10 vCPU requested, 3 x 1.92 allocatable


def test_redis_working_set(check):
    report = check({"cache": {"kind": "memorystore_redis", "tier": "standard", "capacity_gb": 5, "working_set_gb": 6}})
    assert ids(report, "CAP-020")[0].severity == "error"


def test_llm_quota(check):
    report = check({"ai": {"kind": "llm", "model": "gemini-2.5-flash", "chats_per_day": 144_000,
                           "per_chat": {"input": 2000, "output": 500}, "requests_per_chat": 3,
                           "quota_requests_per_minute": 200, "quota_tokens_per_minute": 1_000_000}},
                   traffic={"peak_to_average": 2})
    # 144,000 / 1440 = 100 chats a minute, x2 at peak = 200, x3 calls = 600 RPM; x2,500 tokens = 500,000 TPM
    assert "600 RPM" in ids(report, "CAP-040")[0].detail
    assert not ids(report, "CAP-041")
