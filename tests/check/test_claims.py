"""The claims audit recomputes what documents promise."""
from archplan import catalog
from archplan.check import run_checks
from archplan.plan import resolve
from archplan.spec.load import load_spec
from tests.check.conftest import ids
from tests.conftest import EXAMPLES

RUN = {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 100, "requests_per_month": 1000}


def example(name):
    return run_checks(resolve(load_spec(EXAMPLES / f"{name}.yaml", None, catalog.supported_regions())))


def test_cotton_erp_99_95_is_21_9_minutes_a_month_not_21_a_year():
    report = example("cotton-erp")
    wrong = [f for f in ids(report, "CLAIM-011") if "downtime-year " in f.detail + " " and "21 min a year" in f.detail]
    assert wrong, [f.detail for f in ids(report, "CLAIM-011")]
    assert "262.8 min a year" in wrong[0].detail and "21.9 min a month" in wrong[0].detail
    assert "4.38 h a year" in wrong[0].detail
    headline = [f for f in ids(report, "CLAIM-010") if "claim availability " in f.detail]
    assert headline and "99.95% promised" in headline[0].detail  # the SLAs in its path do not reach 99.95%


def test_downtime_consistent_with_its_availability_passes(check):
    report = check({"api": RUN}, claims=[
        {"id": "a", "kind": "availability_percent", "value": 99.9},
        {"id": "d", "kind": "downtime_minutes_per_month", "value": 43.8}])
    assert not ids(report, "CLAIM-011") and not ids(report, "CLAIM-010")


def test_connection_arithmetic_claim(check):
    report = check({
        "api": {**RUN, "max_instances": 20, "db_pool_size": 5, "db_max_overflow": 10, "workers_per_instance": 2,
                "depends_on": ["db"]},
        "db": {"kind": "cloud_sql", "engine": "postgres", "tier": "db-custom-2-4096", "storage_gb": 10}},
        claims=[{"id": "pool", "kind": "db_connections", "value": 100, "components": ["db"]}])
    assert "open 600" in ids(report, "CLAIM-040")[0].detail


def test_cost_claim_within_ten_percent_is_accepted(check):
    report = check({"cache": {"kind": "memorystore_redis", "tier": "basic", "capacity_gb": 1}}, claims=[
        {"id": "ok", "kind": "monthly_cost", "value": 46, "currency": "USD"},  # 730 x 0.063 = 45.99
        {"id": "low", "kind": "monthly_cost", "value": 20, "currency": "USD"}])
    assert [f.detail.split(" ")[1].rstrip(":") for f in ids(report, "CLAIM-001")] == ["low"]


def test_rto_claim(check):
    report = check({"api": {**RUN, "depends_on": ["db"]},
                    "db": {"kind": "cloud_sql", "engine": "postgres", "tier": "db-custom-1-3840", "storage_gb": 10}},
                   claims=[{"id": "rto", "kind": "rto_minutes", "value": 5}])
    assert ids(report, "CLAIM-060")


def test_a_claim_is_checked_in_the_environment_it_names(check):
    cache = {"kind": "memorystore_redis", "tier": "basic", "capacity_gb": 1}
    report = check({"cache": cache},
                   {"environments": {"big": {"components": {"cache": {"capacity_gb": 2}}}}},
                   claims=[{"id": "big", "kind": "monthly_cost", "value": 92, "currency": "USD",
                            "environment": "big"},  # 2 GB x 730 h x 0.063 = 91.98
                           {"id": "default", "kind": "monthly_cost", "value": 92, "currency": "USD"}])
    flagged = [f.detail for f in ids(report, "CLAIM-001")]
    assert len(flagged) == 1 and flagged[0].startswith("claim default")
