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


def test_vms_that_use_the_database_are_not_counted_as_no_connections(check):
    # compute_engine has no pool setting: its connections are unknown, not 0, and the fix does not ask for one
    report = check({
        "api": {"kind": "compute_engine", "machine_type": "e2-standard-2", "count": 3, "depends_on": ["db"]},
        "db": {"kind": "cloud_sql", "engine": "mysql", "tier": "db-custom-4-16384", "storage_gb": 10},
    })
    budget = report.capacity.connections[0]
    assert budget.unknown_clients == ["api"] and budget.clients == [] and budget.max_connections == 4000
    [finding] = ids(report, "CAP-011")
    assert "api (compute_engine) depends on db" in finding.detail and "db_pool_size" not in finding.fix


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


@pytest.mark.parametrize("fields, slots", [({"concurrency": 16}, 16),
                                           ({"concurrency": 16, "workers_per_instance": 2, "requests_per_worker": 4}, 8),
                                           ({}, 1)])
def test_a_gke_deployments_concurrency_is_what_a_pod_serves_at_once(check, fields, slots):
    """A deployment's `concurrency` (requests one pod serves at once) counts, as Cloud Run's does: a trial's
    model server at concurrency 16 was checked at 1 a pod and told it needed 19 pods. 26,280,000 requests a
    month = 10 req/s, x3 at peak = 30 req/s; 400 ms each = 12 in flight; at 60%: ceil(12 / (slots x 0.6)),
    at least the 3 replicas: 16 a pod -> 3; 2 workers x 4 -> min(16, 8) = 8 -> 3; unset: 1 a pod -> 20."""
    report = check({"gke": {"kind": "gke", "mode": "standard", "location_type": "regional",
                            "node_pools": [{"name": "p", "machine_type": "e2-standard-8", "nodes": 6}],
                            "deployments": [{"name": "model", "replicas": 3, "max_replicas": 6, "cpu": 1,
                                             "memory": "1Gi", "request_duration_ms": 400, "traffic_share": 1,
                                             **fields}]}},
                   traffic={"requests_per_month": 26_280_000, "peak_to_average": 3})
    row = report.capacity.services[0]
    assert row.per_instance == slots and row.queue_servers == 6 * slots  # the HPA maximum x slots
    assert row.instances_needed == {16: 3, 8: 3, 1: 20}[slots]
    assert bool(ids(report, "CAP-001")) == (slots == 1)


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


FUNCTION = {"kind": "cloud_functions", "cpu": 1, "memory": "512Mi", "duration_ms": 1000}


def test_function_that_scales_out_does_not_queue_at_low_utilisation(check):
    """Fault: a function that scales to 100 instances was reported as queueing at 23% utilisation (M/M/1 on the
    one instance its average load needs). The autoscaler adds an instance before a request waits."""
    # 604,440 invocations a month = 0.23 a second; 1 s each = 0.23 Erlangs; concurrency 1, max 100 instances.
    report = check({"fn": {**FUNCTION, "invocations_per_month": 604_440}})
    row = report.capacity.services[0]
    assert row.queue_servers == 100  # 100 instances x 1
    assert row.wait_probability == pytest.approx(erlang_c(100, 604_440 / 2_628_000), abs=1e-12)
    assert row.wait_probability < 1e-30 and not ids(report, "CAP-003")


def test_websocket_is_counted_as_open_connections(check):
    """Fault: a WebSocket held for an hour was modelled as a request (p95 "10,784,636 ms")."""
    # 26,280 connections a month = 0.01 a second, each held 3,600 s: 36 open at once (Little's law).
    report = check({"ws": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "max_instances": 2, "concurrency": 10,
                           "request_duration_ms": 3_600_000, "requests_per_month": 26_280, "long_lived": "websocket",
                           "timeout_seconds": 3600}}, slo={"latency_p95_ms": 100})
    row = report.capacity.services[0]
    assert row.p95_ms is None and row.concurrent_connections == pytest.approx(36)
    assert not ids(report, "CAP-005")  # no request latency for a held connection
    # 36 open / (10 per instance x 0.6) = 6 instances needed; cap 2 -> 20 slots, 180% -> saturated
    assert row.instances_needed == 6 and ids(report, "CAP-001") and ids(report, "CAP-002")
    assert not ids(report, "CAP-006")


def test_websocket_longer_than_the_timeout(check):
    report = check({"ws": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 3_600_000,
                           "requests_per_month": 100, "long_lived": "websocket"}})
    assert "timeout_seconds = 300" in ids(report, "CAP-006")[0].detail


def test_sync_workers_limit_what_an_instance_serves(check):
    """Fault: gunicorn/uvicorn workers per instance were ignored: 2 sync workers serve 2 requests at once even
    with concurrency 80, so requests queue inside the instance until the autoscaler reacts."""
    base = {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "max_instances": 10, "concurrency": 80,
            "request_duration_ms": 200, "requests_per_month": 26_280_000}  # 10 req/s x 0.2 s = 2 Erlangs
    free = check({"api": base}).capacity.services[0]
    assert free.per_instance == 80 and free.queue_servers == 800
    limited = check({"api": {**base, "workers_per_instance": 2, "requests_per_worker": 1}}).capacity.services[0]
    assert limited.per_instance == 2
    # The autoscaler sees in-flight requests (served or waiting) against 80 x 60% = 48 per instance. One
    # instance has 2 slots for 2 Erlangs: saturated, the queue grows past 48 and a second instance starts.
    # Two instances: 4 slots at 50%, in flight 2 + 10 x Wq, well under 96: the autoscaler settles there.
    assert limited.queue_servers == 4 and limited.utilization == pytest.approx(0.5)
    wait = erlang_c(4, 2.0) / (4 / 0.2 - 10)
    assert limited.mean_wait_ms == pytest.approx(wait * 1000)
    assert limited.wait_probability > free.wait_probability


def test_background_worker_is_judged_on_its_own_target(check):
    """Fault: the user latency target was applied to queue-fed workers."""
    report = check({
        "api": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 20, "requests_per_month": 1000,
                "depends_on": ["events"]},
        "events": {"kind": "pubsub", "topics": ["t"], "avg_message_kib": 1, "messages_per_month": 1000,
                   "depends_on": ["worker"]},
        "worker": {**FUNCTION, "invocations_per_month": 1000, "duration_ms": 5000},
    }, slo={"latency_p95_ms": 300})
    worker = next(r for r in report.capacity.services if r.name == "worker")
    assert worker.background and worker.latency_target_ms is None
    assert not [f for f in ids(report, "CAP-005") if f.component == "worker"]
    flows = {"ingest": {"entry": "worker", "slo": {"latency_p95_ms": 10000}}}
    report = check({
        "events": {"kind": "pubsub", "topics": ["t"], "avg_message_kib": 1, "messages_per_month": 1000,
                   "depends_on": ["worker"]},
        "worker": {**FUNCTION, "invocations_per_month": 1000, "duration_ms": 5000},
    }, flows=flows)
    worker = report.capacity.services[0]
    assert worker.latency_target_ms == 10000  # ln(20) x 5 s = 15 s > 10 s
    assert "flows.ingest.slo.latency_p95_ms" in ids(report, "CAP-005")[0].detail


def test_streaming_llm_answer_is_not_a_slow_request(check):
    """Fault: p95 was 3 x the mean service time, so every streamed LLM call warned against the latency SLO."""
    report = check({"chat": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 8000,
                             "requests_per_month": 10_000, "long_lived": "streaming", "traffic_share": None}},
                   slo={"latency_p95_ms": 500})
    assert not ids(report, "CAP-005")


def test_assumed_traffic_share_makes_a_capacity_gap_a_warning_that_names_it(check):
    report = check({"api": {"kind": "cloud_run", "cpu": 1, "memory": "1Gi", "concurrency": 1, "max_instances": 1,
                            "request_duration_ms": 1000}},
                   traffic={"requests_per_month": 26_280_000})
    finding = ids(report, "CAP-001")[0]
    assert finding.severity == "warning" and "traffic_share not set" in finding.detail
    report = check({"api": {"kind": "cloud_run", "cpu": 1, "memory": "1Gi", "concurrency": 1, "max_instances": 1,
                            "request_duration_ms": 1000, "traffic_share": 1}},
                   traffic={"requests_per_month": 26_280_000})
    assert ids(report, "CAP-001")[0].severity == "error"


def test_a_public_deployment_without_a_share_is_checked_at_all_requests(check):
    """A GKE deployment behind the Ingress with a request duration but no traffic_share had no capacity row at
    all, so any load on 12 pods at most passed unremarked; like a Cloud Run service it is taken to see
    every request, and said: 10,950,000,000 a month / 2,628,000 s x peak 4 = 16,667 req/s x 0.08 s / (1 x 60%)
    = 2,223 pods against max_replicas 12. A deployment that is not public (others call it) keeps no row."""
    report = check({"gke": {"kind": "gke", "mode": "autopilot",
                            "deployments": [{"name": "api", "replicas": 3, "max_replicas": 12, "cpu": 1,
                                             "memory": "2Gi", "request_duration_ms": 80, "public": True},
                                            {"name": "inner", "replicas": 1, "cpu": 1, "memory": "1Gi",
                                             "request_duration_ms": 10}]}},
                   traffic={"requests_per_month": 10_950_000_000, "peak_to_average": 4})
    rows = {row.name: row for row in report.capacity.services}
    assert set(rows) == {"gke/api"}
    assert rows["gke/api"].instances_needed == 2223
    finding = ids(report, "CAP-001")[0]
    assert finding.severity == "warning" and "traffic_share not set: gke/api (public)" in finding.detail


def test_latency_target_is_end_to_end_along_the_request_path(check):
    """A user's request waits on every synchronous hop: the SLO is judged on the sum, not per service."""
    import math

    base = {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "requests_per_month": 1000}
    report = check({"lb": {"kind": "load_balancer", "data_processed_gb_per_month": 1, "depends_on": ["web"]},
                    "web": {**base, "request_duration_ms": 80, "depends_on": ["api"]},
                    "api": {**base, "request_duration_ms": 120}}, slo={"latency_p95_ms": 400})
    path = report.capacity.paths[0]
    assert path.name == "lb -> web" and path.services == ["web", "api"]
    # Two exponential hops (means 80 and 120 ms, no queueing at 1,000 requests a month): the exact p95 of the
    # sum solves (l2 e^(-l1 t) - l1 e^(-l2 t)) / (l2 - l1) = 0.05 with l1 = 1/0.08, l2 = 1/0.12.
    l1, l2 = 1 / 0.08, 1 / 0.12
    low, high = 0.0, 5.0
    for _ in range(100):
        t = (low + high) / 2
        low, high = (t, high) if (l2 * math.exp(-l1 * t) - l1 * math.exp(-l2 * t)) / (l2 - l1) > 0.05 else (low, t)
    assert path.p95_ms == pytest.approx(high * 1000, rel=0.03)  # gamma moment match, within 3%
    # each hop alone is under 400 ms (240 and 359 ms); the path (about 470 ms) is not
    assert all(r.p95_ms < 400 for r in report.capacity.services)
    assert "lb -> web" in ids(report, "CAP-005")[0].detail


def test_a_soft_dependency_is_off_the_availability_but_in_the_latency(check):
    """critical: false says a request survives the dependency being down, not that it does not wait for it
    while it is up: it was labelled background, held to no target and left out of the sum. Same hops as above
    (80 ms web, 120 ms api, one request a month: no queueing): the path is about 470 ms > 400 ms."""
    base = {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "requests_per_month": 1000}
    report = check({"lb": {"kind": "load_balancer", "data_processed_gb_per_month": 1, "depends_on": ["web"]},
                    "web": {**base, "request_duration_ms": 80, "depends_on": [{"name": "api", "critical": False}]},
                    "api": {**base, "request_duration_ms": 120}}, slo={"latency_p95_ms": 400})
    assert report.availability.path == ["lb", "web"]  # 99.99% x 99.95%: api down, the request still answers
    rows = {r.name: r for r in report.capacity.services}
    assert not rows["api"].background and rows["api"].latency_target_ms == 400
    (path,) = report.capacity.paths
    assert path.name == "lb -> web" and path.services == ["web", "api"]
    assert path.mean_ms == pytest.approx(80 + 120, rel=0.01) and path.p95_ms > 400
    assert "lb -> web" in ids(report, "CAP-005")[0].detail


def test_pubsub_quota_gap_from_an_assumed_volume_is_a_warning(check):
    # 10^13 requests a month, one message each (messages_per_request not set: assumed 100%)
    report = check({"topic": {"kind": "pubsub", "topics": ["t"], "avg_message_kib": 1}},
                   traffic={"requests_per_month": 10**13})
    finding = ids(report, "CAP-030")[0]
    assert finding.severity == "warning" and "derived from traffic at 100%" in finding.detail
    stated = check({"topic": {"kind": "pubsub", "topics": ["t"], "avg_message_kib": 1,
                              "messages_per_month": 10**13}})
    assert ids(stated, "CAP-030")[0].severity == "error"


def test_the_plans_service_time_distribution_drives_the_p95(check):
    """The distribution `simulate` reads: fixed is the mean itself at no load; lognormal's cv comes from its
    stated p95 (p95 / mean = e^(1.645 s - s^2/2), cv = sqrt(e^(s^2) - 1))."""
    import math

    base = {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 100, "requests_per_month": 1000}
    fixed = check({"api": {**base, "service_time_distribution": "fixed"}}).capacity.services[0]
    assert fixed.service_cv == 0 and fixed.p95_ms == pytest.approx(100, rel=1e-4)
    assert not [a for a in fixed.assumptions if a.startswith("service_time_distribution")]
    logn = check({"api": {**base, "service_time_distribution": "lognormal",
                          "service_time_p95_ms": 250}}).capacity.services[0]
    s = 1.6448536 - math.sqrt(1.6448536 ** 2 - 2 * math.log(2.5))
    assert logn.service_cv == pytest.approx(math.sqrt(math.exp(s * s) - 1), rel=1e-6)
    assert logn.p95_ms == pytest.approx(250, rel=0.02)  # at no load the p95 is the stated one
    plain = check({"api": base}).capacity.services[0]
    assert plain.service_cv == 1 and any(a.startswith("service_time_distribution") for a in plain.assumptions)


@pytest.mark.parametrize("region, fires", [("asia-south1", True), ("us-central1", False)])
def test_pubsub_quota_is_the_regions_own(check, region, fires):
    """Large regions (europe-west1, us-central1, us-east1) have 200 MB/s of publisher throughput, the others
    50 MB/s. 2 x 10^11 messages of 1 KiB a month at peak 1: 2e11 x 1024 B / 2,628,000 s / 1e6 = 77.93 MB/s,
    above Mumbai's 50 and below Iowa's 200."""
    report = check({"topic": {"kind": "pubsub", "topics": ["t"], "avg_message_kib": 1,
                              "messages_per_month": 2 * 10**11}},
                   project={"region": region}, traffic={"peak_to_average": 1})
    found = ids(report, "CAP-030")
    assert bool(found) == fires
    if fires:
        assert "77.93 MB/s > quota 50 MB/s in asia-south1" in found[0].detail
        assert "asia-south1 is a small region" in found[0].detail


@pytest.mark.parametrize(("reads", "peak", "steps"), [
    # 2,628,000 s a month: 1,314,000,000 reads = 500/s on average
    (1_314_000_000, 1, None),  # exactly 500/s: no finding
    (1_314_000_000, 3, 3),  # 1,500/s: log(3) / log(1.5) = 2.71 -> 3 steps of 5 min
    (1_314_000_000, 20, 8),  # an event day at 20x: 10,000/s, log(20) / log(1.5) = 7.39 -> 8 steps = 40 min
])
def test_firestore_peak_against_the_500_50_5_ramp(check, reads, peak, steps):
    report = check({"db": {"kind": "firestore", "stored_gb": 1, "reads_per_month": reads, "writes_per_month": 0}},
                   traffic={"peak_to_average": peak})
    found = ids(report, "CAP-050")
    if steps is None:
        assert not found
        return
    assert found[0].severity == "info" and f"= {steps} steps = {steps * 5} min" in found[0].detail
    assert f"{500 * peak:,.0f} operations/s" in found[0].detail


def test_a_paths_p95_is_never_below_its_slowest_hops(check):
    """A request through web (80 ms) and chat (3,000 ms), each exponential, waits at least chat's time: the
    path's p95 is at least chat's own 8,987 ms (3,000 x ln 20). The moment fit of the sum gave 8,983 ms
    (a trial plan); the exact sum of the two is about 9,068 ms."""
    run = {"kind": "cloud_run", "cpu": 1, "memory": "1Gi", "max_instances": 50, "traffic_share": 1}
    report = check({"lb": {"kind": "load_balancer", "depends_on": ["web"]},
                    "web": {**run, "request_duration_ms": 80, "depends_on": ["chat"]},
                    "chat": {**run, "request_duration_ms": 3000, "traffic_share": 0.4, "concurrency": 40}},
                   traffic={"requests_per_month": 9_000_000, "peak_to_average": 3, "avg_request_kib": 2,
                            "avg_response_kib": 10})
    hops = {row.name: row.p95_ms for row in report.capacity.services}
    (path,) = report.capacity.paths
    assert path.p95_ms >= max(hops.values()) == pytest.approx(3000 * 2.995732, rel=1e-3)
