"""Cloud SQL Enterprise Plus advanced disaster recovery (a designated DR replica) and Memorystore for Redis
Cluster cross-region secondaries: the spec's rules, the Terraform, the runbook's gcloud commands, and the
recovery row the check reports."""
import shlex

from archplan.check.regions import promotion
from archplan.cli import main
from tests.generate.conftest import PLAN_FILES, generate
from tests.generate.test_terraform import resources

PLAN = PLAN_FILES["multiregion"]
DB = """  db:
    kind: cloud_sql
    engine: postgres
    version: "17"
    tier: db-custom-2-7680
    ha: true
    private_ip: true
    storage_gb: 50
    backups: {retained_backups: 14, pitr: true}
    cross_region_replicas:
      - {region: asia-south2, ha: true, promotion_minutes: 15}
"""
DR_DB = DB.replace("    tier: db-custom-2-7680\n", "    edition: enterprise_plus\n    tier: db-perf-optimized-N-2\n") \
    .replace("promotion_minutes: 15}", "promotion_minutes: 15, dr_replica: true}")
CACHE = """  cache:
    kind: memorystore_valkey
    node_type: shared-core-nano
    shards: 1
    replicas_per_shard: 1
"""
REDIS_CLUSTER = """  cache:
    kind: memorystore_redis_cluster
    node_type: redis-standard-small
    shards: 1
    replicas_per_shard: 1
"""


def _plan(tmp_path, db: str = DR_DB, cache: str | None = None):
    text = PLAN.read_text()
    assert DB in text and CACHE in text
    text = text.replace(DB, db)
    if cache:
        text = text.replace(CACHE, cache)
    path = tmp_path / "events.yaml"
    path.write_text(text)
    return path


def _error(tmp_path, db: str, capsys) -> str:
    code = main(["cost", str(_plan(tmp_path, db))])
    err = capsys.readouterr().err.strip()
    assert code == 1 and len(err.splitlines()) == 1, err
    return err


def test_a_dr_replica_needs_enterprise_plus(tmp_path, capsys):
    err = _error(tmp_path, DB.replace("promotion_minutes: 15}", "promotion_minutes: 15, dr_replica: true}"), capsys)
    assert "needs edition: enterprise_plus" in err and "events.yaml:" in err


def test_a_dr_replica_needs_pitr(tmp_path, capsys):
    err = _error(tmp_path, DR_DB.replace("pitr: true", "pitr: false"), capsys)
    assert "point-in-time recovery" in err


def test_only_one_dr_replica(tmp_path, capsys):
    two = DR_DB + "      - {region: asia-southeast1, dr_replica: true}\n"
    assert "only one cross-region replica can be the DR replica" in _error(tmp_path, two, capsys)


def test_the_dr_replica_must_be_enterprise_plus_sized(tmp_path, capsys):
    err = _error(tmp_path, DR_DB.replace("dr_replica: true}", "dr_replica: true, tier: db-custom-2-7680}"), capsys)
    assert "the DR replica must be Enterprise Plus" in err


def test_terraform_leaves_the_designation_to_the_runbook(tmp_path):
    code, _, err = generate(_plan(tmp_path), tmp_path / "out")
    assert code == 0, err
    found = resources(tmp_path, "out")
    primary = found["google_sql_database_instance.db"]
    assert primary["lifecycle"][0]["ignore_changes"] == ["replication_cluster"]
    assert primary["settings"][0]["edition"] == "ENTERPRISE_PLUS"
    assert found["google_sql_database_instance.db_asia_south2"]["settings"][0]["tier"] == "db-perf-optimized-N-2"


def test_runbook_designates_fails_over_and_switches_back(tmp_path):
    code, _, err = generate(_plan(tmp_path), tmp_path / "out")
    assert code == 0, err
    text = (tmp_path / "out/runbooks/region-outage.md").read_text()
    before, rest = text.split("## If asia-south1 is lost")
    assert "gcloud sql instances patch events-db --failover-dr-replica-name=events-db-asia-south2 --project=events" \
        in before
    lost_primary = rest.split("## If asia-south2 is lost")[0]
    failover = lost_primary.index("gcloud sql instances promote-replica events-db-asia-south2 --failover "
                                  "--project=events --quiet")
    rewire = lost_primary.index("--set-cloudsql-instances=events:asia-south2:events-db-asia-south2")
    switchback = lost_primary.index("gcloud sql instances switchover events-db --project=events")
    assert failover < rewire < switchback
    # A replica failover is not a plain promotion: no independent primary, no Terraform state surgery for it.
    assert "promote-replica events-db-asia-south2 --project" not in lost_primary
    for line in text.splitlines():
        if line.startswith("gcloud "):
            assert shlex.split(line)


def test_plain_replica_runbook_is_unchanged_in_kind(generated):
    text = (generated / "multiregion/runbooks/region-outage.md").read_text()
    assert "--failover-dr-replica-name" not in text and "switchover" not in text.split("Valkey")[0]
    assert "gcloud sql instances promote-replica events-db-asia-south2 --project=events --quiet" in text


def test_redis_cluster_secondary_is_detached_with_gcloud(tmp_path):
    # The fixture's cache keeps its cross_region_replicas lines: only its kind and node type change.
    code, _, err = generate(_plan(tmp_path, DB, REDIS_CLUSTER), tmp_path / "out")
    assert code == 0, err
    text = (tmp_path / "out/runbooks/region-outage.md").read_text()
    lost_primary = text.split("## If asia-south1 is lost")[1].split("## If asia-south2 is lost")[0]
    detach = lost_primary.index("gcloud redis clusters detach events-cache-asia-south2 --region=asia-south2 "
                                "--project=events")
    rewire = lost_primary.index("terraform -chdir=terraform output -raw cache_asia_south2_discovery_address")
    assert detach < rewire
    assert "gcloud redis clusters switchover events-cache-asia-south2 --region=asia-south2 --project=events" \
        in lost_primary
    assert "working-with-cross-region-replication" in lost_primary


def test_recovery_row_names_the_replica_failover():
    from archplan.components.cloud_sql import SqlCrossRegionReplica

    replica = SqlCrossRegionReplica(region="asia-south2", promotion_minutes=15, lag_seconds=30, dr_replica=True)
    rto, rpo, how = promotion(replica, "cloud_sql")
    # manual: 30 min to decide (assumed) + 15 min stated = 45 min; RPO = 30 s lag = 0.5 min.
    assert (rto, rpo) == (45.0, 0.5)
    assert how.startswith("replica failover to the designated DR replica in asia-south2: 30 min to notice")
    assert "fail-back is a switchover with no data loss" in how
    automatic = SqlCrossRegionReplica(region="asia-south2", promotion="automatic", promotion_minutes=15,
                                      dr_replica=True)
    assert promotion(automatic, "cloud_sql")[0] == 15.0


def _replica_lines(tmp_path, db: str, capsys) -> list[tuple[str, float]]:
    import json

    assert main(["cost", str(_plan(tmp_path, db)), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    return [(line["description"], line["monthly"]["usd"]) for component in report["components"]
            if component["name"] == "db" for line in component["line_items"] if "replica 1" in line["description"]]


def test_the_dr_replica_is_priced_as_the_replica_it_is(tmp_path, capsys):
    designated = _replica_lines(tmp_path, DR_DB, capsys)
    plain = _replica_lines(tmp_path, DR_DB.replace(", dr_replica: true", ""), capsys)
    # Same lines and amounts (instance, storage, replication transfer); only the label says DR.
    assert len(designated) >= 3 and [usd for _, usd in designated] == [usd for _, usd in plain]
    assert all("cross-region DR replica 1 (asia-south2)" in d for d, _ in designated[:2])
    assert all("DR" not in d for d, _ in plain)
