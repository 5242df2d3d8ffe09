"""Recovery rows per stateful kind (check/recovery/<kind>.py), computed by hand from the catalog facts: a
single-region plan with AlloyDB, Spanner, Firestore, a Memorystore cluster, BigQuery or a bucket had no
zone-outage or data-corruption row for them, so an RTO or RPO claim about them could not be checked."""
from __future__ import annotations

import math

import pytest

from archplan.check.recovery import kinds, module
from tests.check.conftest import ids

RUN = {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 100, "requests_per_month": 1000}
ALLOYDB = {"kind": "alloydb", "machine_type": "n2-highmem-2", "storage_gb": 10, "storage_usd_per_gb_month": 0.3,
           "storage_price_source": "stated"}
SPANNER = {"kind": "spanner", "processing_units": 1000}
FIRESTORE = {"kind": "firestore", "stored_gb": 1, "reads_per_month": 1000, "writes_per_month": 1000}
VALKEY = {"kind": "memorystore_valkey", "node_type": "standard-small", "shards": 1, "replicas_per_shard": 1}
BIGQUERY = {"kind": "bigquery", "active_storage_gb": 10, "query_tib_per_month": 0.1}
BUCKET = {"kind": "cloud_storage", "location_type": "region", "storage_gb": 10}
REGION = {"region": "us-central1"}


def rows_of(report, name: str) -> dict:
    return {r.scenario: r for r in report.availability.recovery if r.component == name}


def figures(row) -> tuple[float, float]:
    return round(row.rto_minutes, 6), round(row.rpo_minutes, 6)


def test_every_stateful_kind_has_a_recovery_module():
    assert {"alloydb", "spanner", "firestore", "memorystore_valkey", "memorystore_redis_cluster", "bigquery",
            "cloud_storage", "cloud_sql", "memorystore_redis", "load_balancer"} <= kinds()
    assert all(callable(module(kind).rows) for kind in kinds())
    assert module("cloud_run") is None


def test_alloydb_ha_fails_over_to_its_standby_in_a_minute_and_loses_nothing(check):
    report = check({"api": {**RUN, "depends_on": ["db"]}, "db": ALLOYDB}, REGION)
    rows = rows_of(report, "db")
    assert list(rows) == ["zone outage", "data corruption", "region outage"]
    # up to 30 s to detect + about 30 s for the standby to accept connections (alloydb_ha_* facts)
    assert figures(rows["zone outage"]) == (1.0, 0.0)
    assert "up to 30 s to detect, about 30 s for the standby" in rows["zone outage"].basis
    # continuous backup: a new cluster (restore time not published, assumed 60 min), microsecond granularity
    assert figures(rows["data corruption"]) == (60.0, 0.0)
    assert "14-day window in archplan's Terraform" in rows["data corruption"].basis
    assert "not published; assumed 60 min" in rows["data corruption"].basis
    # single-region plan: the regional cluster is unreachable until the region returns
    assert (rows["region outage"].rto_minutes, rows["region outage"].rpo_minutes) == (math.inf, 0.0)


def test_a_basic_alloydb_instance_is_restored_from_its_continuous_backup(check):
    report = check({"api": {**RUN, "depends_on": ["db"]}, "db": {**ALLOYDB, "ha": False}}, REGION)
    zone = rows_of(report, "db")["zone outage"]
    assert figures(zone) == (60.0, 0.0)
    assert zone.basis.startswith("basic instance (one node, one zone): no standby; restore the continuous backup")


def test_a_regional_spanner_loses_nothing_in_a_zone_and_undoes_a_bad_write_within_seven_days(check):
    report = check({"api": {**RUN, "depends_on": ["db"]}, "db": SPANNER}, REGION)
    rows = rows_of(report, "db")
    assert figures(rows["zone outage"]) == (0.0, 0.0)
    assert "3 read-write replicas, each in its own zone" in rows["zone outage"].basis
    assert figures(rows["data corruption"]) == (60.0, 0.0)
    assert "7-day version retention archplan's Terraform sets (Spanner's default is 1 h, its most 7 days)" in \
        rows["data corruption"].basis
    assert rows["region outage"].rto_minutes == math.inf


def test_a_multi_region_spanner_configuration_survives_a_region(check):
    report = check({"api": {**RUN, "depends_on": ["db"]},
                    "db": {**SPANNER, "config": "nam3", "edition": "ENTERPRISE_PLUS"}}, {"region": "us-east4"})
    rows = rows_of(report, "db")
    assert figures(rows["zone outage"]) == figures(rows["region outage"]) == (0.0, 0.0)
    assert figures(rows["data corruption"]) == (60.0, 0.0)


def test_firestore_pitr_loses_up_to_a_minute_of_writes(check):
    report = check({"api": {**RUN, "depends_on": ["store"]}, "store": FIRESTORE}, REGION)
    rows = rows_of(report, "store")
    assert figures(rows["zone outage"]) == (0.0, 0.0)
    # one version per 60 s kept 7 days (firestore_pitr_* facts): up to a minute lost
    assert figures(rows["data corruption"]) == (60.0, 1.0)
    basis = rows["data corruption"].basis
    assert "keeps 7 days at one version per 60 s" in basis and "without PITR only the last 1 h can be read" in basis
    assert rows["region outage"].rto_minutes == math.inf and "a regional database (us-central1)" in \
        rows["region outage"].basis
    report = check({"api": {**RUN, "depends_on": ["store"]}, "store": {**FIRESTORE, "location": "nam5"}}, REGION)
    assert figures(rows_of(report, "store")["region outage"]) == (0.0, 0.0)


@pytest.mark.parametrize("kind", ["memorystore_valkey", "memorystore_redis_cluster"])
def test_a_memorystore_cluster_fails_over_to_a_replica_in_another_zone(check, kind):
    cache = {**VALKEY, "kind": kind, "node_type": "standard-small" if kind == "memorystore_valkey" else
             "redis-standard-small"}
    report = check({"api": {**RUN, "depends_on": ["cache"]}, "cache": cache}, REGION)
    rows = rows_of(report, "cache")
    assert list(rows) == ["zone outage"]  # a cache's region outage is modelled for multi-region plans only
    assert figures(rows["zone outage"]) == (1.0, round(1 / 60, 6))
    assert "Google publishes no time; assumed 1 min" in rows["zone outage"].basis
    # no replica: new nodes (assumed 15 min); a cache without persistence is refilled, with persistence the
    # data since the last persistence point is lost
    report = check({"api": {**RUN, "depends_on": ["cache"]}, "cache": {**cache, "replicas_per_shard": 0}}, REGION)
    assert figures(rows_of(report, "cache")["zone outage"]) == (15.0, 0.0)
    report = check({"api": {**RUN, "depends_on": ["cache"]},
                    "cache": {**cache, "replicas_per_shard": 0, "persistence": "rdb"}}, REGION)
    assert rows_of(report, "cache")["zone outage"].rpo_minutes == math.inf


def test_bigquery_time_travel_undoes_a_bad_write_within_seven_days(check):
    report = check({"api": {**RUN, "depends_on": ["warehouse"]}, "warehouse": BIGQUERY}, REGION)
    rows = rows_of(report, "warehouse")
    assert figures(rows["zone outage"]) == (0.0, 0.0) and "synchronously to 2 zones" in rows["zone outage"].basis
    assert figures(rows["data corruption"]) == (60.0, 0.0)
    assert "any point of the last 7 days" in rows["data corruption"].basis
    assert rows["region outage"].rto_minutes == math.inf


def test_a_bucket_keeps_overwritten_objects_in_soft_delete_or_as_versions(check):
    report = check({"api": {**RUN, "depends_on": ["files"]}, "files": BUCKET}, REGION)
    rows = rows_of(report, "files")
    assert list(rows) == ["zone outage", "data corruption"]  # a bucket's region outage: multi-region plans
    assert figures(rows["zone outage"]) == (0.0, 0.0) and "at least 2 zones" in rows["zone outage"].basis
    assert figures(rows["data corruption"]) == (60.0, 0.0)
    assert "soft delete (on by default; archplan's Terraform keeps Google's 7-day retention)" in \
        rows["data corruption"].basis
    report = check({"api": {**RUN, "depends_on": ["files"]},
                    "files": {**BUCKET, "versioning": True, "retention_days": 30}}, REGION)
    basis = rows_of(report, "files")["data corruption"].basis
    assert "object versioning keeps each overwritten or deleted object as a noncurrent version" in basis
    assert "the retention policy keeps objects from being deleted or replaced for 30 days" in basis


def test_a_multi_region_plan_keeps_the_order_of_its_rows(check):
    """Cloud SQL's rows come first in a multi-region plan, the other kinds' after them, as they always were."""
    sql = {"kind": "cloud_sql", "engine": "postgres", "tier": "db-custom-1-3840", "storage_gb": 10}
    report = check({"api": {**RUN, "depends_on": ["files", "db"]}, "files": {**BUCKET, "location": "europe-west1"},
                    "db": sql}, REGION)
    order = [(r.component, r.scenario) for r in report.availability.recovery]
    assert order == [("db", "zone outage"), ("db", "data corruption"), ("db", "region outage"),
                     ("files", "zone outage"), ("files", "data corruption"), ("files", "region outage")]


def test_the_claims_audit_checks_an_alloydb_recovery_claim(check):
    claims = [{"id": "failover", "kind": "rto_minutes", "value": 2, "components": ["db"], "scenario": "zone outage"},
              {"id": "instant", "kind": "rto_minutes", "value": 0.5, "components": ["db"], "scenario": "zone outage"},
              {"id": "no-loss", "kind": "rpo_minutes", "value": 0, "components": ["db"], "scenario": "zone outage"},
              {"id": "undo", "kind": "rto_minutes", "value": 15, "components": ["db"],
               "scenario": "data corruption"}]
    report = check({"api": {**RUN, "depends_on": ["db"]}, "db": ALLOYDB}, REGION, claims=claims)
    verdicts = {v.id: v for v in report.claims}
    assert (verdicts["failover"].verdict, verdicts["failover"].computed) == ("held", "1 min")
    assert verdicts["instant"].verdict == "off" and verdicts["no-loss"].verdict == "held"
    assert verdicts["undo"].verdict == "off" and verdicts["undo"].computed == "60 min"
    assert {f.claim for f in ids(report, "CLAIM-060")} == {"instant", "undo"}
    # a basic instance has no standby: its zone outage is a restore
    report = check({"api": {**RUN, "depends_on": ["db"]}, "db": {**ALLOYDB, "ha": False}}, REGION, claims=claims[:1])
    assert report.claims[0].verdict == "off" and report.claims[0].computed == "60 min"


@pytest.mark.parametrize("snapshots, rpo", [(None, 0.0), ("1h", math.inf)])
def test_a_redis_instance_in_a_lost_region_is_rebuilt_elsewhere_with_or_without_snapshots(check, snapshots, rpo):
    """Memorystore for Redis has no cross-region replica: a region outage means a new instance elsewhere (15 min
    assumed) either way. A cache is refilled (RPO 0); data the plan snapshots is lost with the snapshots, kept
    in the region. Turning snapshots on made the RTO unbounded too (a trial), as if nothing could come back."""
    cache = {"kind": "memorystore_redis", "tier": "standard", "capacity_gb": 5,
             **({"rdb_snapshot_period": snapshots} if snapshots else {})}
    report = check({"api": {**RUN, "depends_on": ["kv"]}, "api-eu": {**RUN, "region": "europe-west1",
                                                                    "depends_on": ["kv"]}, "kv": cache})
    row = rows_of(report, "kv")["region outage"]
    assert figures(row) == (15.0, rpo)
