"""Composite availability and downtime worked by hand from the catalog's SLA figures."""
import pytest

from tests.check.conftest import ids

RUN = {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 100, "requests_per_month": 1000}


def test_series_along_the_request_path(check):
    report = check({
        "lb": {"kind": "load_balancer", "data_processed_gb_per_month": 1, "depends_on": ["api"]},
        "api": {**RUN, "depends_on": ["db", "cache", {"name": "mail", "critical": False}]},
        "db": {"kind": "cloud_sql", "engine": "postgres", "tier": "db-custom-2-7680", "storage_gb": 10, "ha": True},
        "cache": {"kind": "memorystore_redis", "tier": "standard", "capacity_gb": 1},
        "mail": {"kind": "external", "provider": "X", "service": "email", "items": [
            {"description": "m", "unit": "mail", "unit_price": 0, "currency": "USD", "quantity_per_month": 1}]},
        "logs": {"kind": "cloud_logging", "ingestion_gb_per_month": 1},
    }, slo={"availability_percent": 99.95})
    a = report.availability
    assert a.path == ["lb", "api", "db", "cache"]  # the soft dependency and operations are off the path
    expected = 0.9999 * 0.9995 * 0.9995 * 0.999
    assert a.composite_percent == pytest.approx(expected * 100)
    assert a.downtime_minutes_per_month == pytest.approx((1 - expected) * 43800)
    assert a.downtime_minutes_per_year == pytest.approx((1 - expected) * 525600)
    assert a.error_budget_minutes_per_month == pytest.approx(0.0005 * 43800)  # 21.9 min
    assert a.dominant == "cache"
    assert ids(report, "AVAIL-001")  # 99.79% < 99.95%


def test_no_sla_configuration_is_assumed_and_said(check):
    report = check({"api": {**RUN, "depends_on": ["db"]},
                    "db": {"kind": "cloud_sql", "engine": "mysql", "tier": "db-f1-micro", "storage_gb": 10}})
    db = report.availability.components["db"]
    assert db.basis == "assumed" and db.percent == pytest.approx(99.9)
    assert ids(report, "AVAIL-002")[0].component == "db"


def test_override_with_availability_percent(check):
    report = check({"api": {**RUN, "depends_on": ["db"]},
                    "db": {"kind": "cloud_sql", "engine": "mysql", "tier": "db-f1-micro", "storage_gb": 10,
                           "availability_percent": 99.0}})
    assert report.availability.components["db"].basis == "stated"
    assert report.availability.composite_percent == pytest.approx(99.95 * 0.99)


def test_parallel_vms(check):
    report = check({"vms": {"kind": "compute_engine", "machine_type": "e2-standard-2", "count": 2}})
    assert report.availability.components["vms"].percent == pytest.approx((1 - 0.001 ** 2) * 100)


def test_recovery_objectives(check):
    report = check({"api": {**RUN, "depends_on": ["db"]},
                    "db": {"kind": "cloud_sql", "engine": "postgres", "tier": "db-custom-1-3840", "storage_gb": 10,
                           "backups": {"pitr": False}}},
                   slo={"rto_minutes": 30, "rpo_minutes": 15})
    rows = report.availability.recovery
    assert rows[0].rpo_minutes == 24 * 60  # daily backups only
    assert ids(report, "AVAIL-003") and ids(report, "AVAIL-004")
