"""Properties: redundancy never lowers availability; more load never lowers latency."""
from hypothesis import given, settings
from hypothesis import strategies as st

from archplan.check.queueing import response_time_percentile
from tests.check.conftest import checked

RUN = {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 100, "requests_per_month": 1000}
_settings = settings(max_examples=40, deadline=None)


@_settings
@given(st.integers(1, 6), st.booleans(), st.sampled_from(["basic", "standard"]))
def test_adding_a_redundant_replica_never_lowers_availability(tmp_path_factory, count, ha, tier):
    folder = tmp_path_factory.mktemp("plan")

    def composite(vms, db_ha, redis_tier):
        return checked(folder, {
            "api": {**RUN, "depends_on": ["vms", "db", "cache"]},
            "vms": {"kind": "compute_engine", "machine_type": "e2-standard-2", "count": vms},
            "db": {"kind": "cloud_sql", "engine": "postgres", "tier": "db-custom-1-3840", "storage_gb": 10, "ha": db_ha},
            "cache": {"kind": "memorystore_redis", "tier": redis_tier, "capacity_gb": 1},
        }).availability.composite_percent

    base = composite(count, ha, tier)
    assert composite(count + 1, ha, tier) >= base
    assert composite(count, True, tier) >= base
    assert composite(count, ha, "standard") >= base


@_settings
@given(st.integers(1, 200), st.floats(0.001, 2.0), st.floats(0.0, 0.95), st.floats(1.0, 3.0))
def test_more_load_never_lowers_p95_for_a_fixed_fleet(servers, service_time, utilisation, growth):
    rate = utilisation * servers / service_time
    more = min(rate * growth, 0.999 * servers / service_time)
    assert response_time_percentile(0.95, servers, more, service_time) >= \
        response_time_percentile(0.95, servers, rate, service_time) * (1 - 1e-9)


@_settings
@given(st.integers(1, 10**8), st.integers(1, 10**8))
def test_more_requests_never_lower_p95_when_instances_are_fixed(tmp_path_factory, low, extra):
    """With min_instances = max_instances the fleet is fixed, so the model's p95 rises with load.
    (With autoscaling, a higher load can buy one more instance and a lower p95: that is the autoscaler.)"""
    folder = tmp_path_factory.mktemp("plan")

    def p95(requests):
        report = checked(folder, {"api": {**RUN, "requests_per_month": requests, "min_instances": 3,
                                          "max_instances": 3, "concurrency": 10}})
        return report.capacity.services[0].p95_ms

    assert p95(low + extra) >= p95(low) * (1 - 1e-9)


@_settings
@given(st.integers(1, 3000), st.floats(0.01, 0.98), st.floats(0.001, 2.0), st.floats(0, 3))
def test_queue_percentile_is_monotone_and_above_the_wait_free_quantile(servers, utilization, mean_s, cv):
    """More load never lowers p95; p95 is never below the service time's own p95 (no queue)."""
    from archplan.check.queueing import Queue

    rate = utilization * servers / mean_s
    loaded = Queue(servers, rate, mean_s, cv).percentile(0.95)
    heavier = Queue(servers, min(rate * 1.05, 0.99 * servers / mean_s), mean_s, cv).percentile(0.95)
    idle = Queue(servers, rate * 1e-9, mean_s, cv).percentile(0.95)
    assert heavier >= loaded * (1 - 1e-6)
    assert loaded >= idle * (1 - 1e-6)


@_settings
@given(st.integers(2001, 200_000), st.floats(0.5, 0.999))
def test_erlang_c_is_a_probability_and_grows_with_load(servers, utilization):
    from archplan.check.queueing import erlang_c

    low = erlang_c(servers, servers * utilization * 0.9)
    high = erlang_c(servers, servers * utilization)
    assert 0 <= low <= high <= 1
