"""Pub/Sub export subscriptions: a Pub/Sub component that depends on a BigQuery dataset gets, per topic, a
BigQuery subscription writing into a table of the dataset; one that depends on a Cloud Storage bucket, a Cloud
Storage subscription writing objects to it. The Pub/Sub service agent gets the roles it writes with, and the
subscription waits for them (Pub/Sub checks them when it creates the subscription). No workload is granted
the export subscription. The fixture plan (tests/fixtures/pubsub-export/telemetry.yaml) is also one of
PLAN_FILES: the provider-schema, apply-order, least-privilege, fmt and checkov tests run on it."""
from __future__ import annotations

import json

import yaml

from tests.generate import provider_schema
from tests.generate.conftest import generate, load_hcl
from tests.generate.test_apply_order import configuration
from tests.generate.test_least_privilege import actual_grants
from tests.generate.test_provider_schema import blocks_of

AGENT = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
# BigQueryConfig.write_metadata with no topic schema: subscription_name, message_id and publish_time in their own
# columns, the other message properties as a JSON object in attributes; data holds the payload.
METADATA_COLUMNS = [("subscription_name", "STRING"), ("message_id", "STRING"), ("publish_time", "TIMESTAMP"),
                    ("data", "BYTES"), ("attributes", "STRING")]


def resources(folder) -> dict:
    found = {}
    for path in (folder / "terraform").glob("*.tf"):
        for item in load_hcl(path).get("resource", []):
            for kind, named in item.items():
                for name, body in named.items():
                    found[f"{kind}.{name}"] = body
    return found


def schema_problems(folder) -> list[str]:
    problems = []
    for path in sorted((folder / "terraform").glob("*.tf")):
        for section, type_name, name, body in blocks_of(path):
            problems += provider_schema.violations(section, type_name, body, f"{path.name}: {type_name}.{name}")
    return problems


def test_each_topic_gets_a_bigquery_subscription_into_a_table_of_the_dataset(generated):
    found = resources(generated / "pubsub-export")
    for topic, table_id in (("match_events", "match_events"), ("player_events", "player_events")):
        sub = found[f"google_pubsub_subscription.events_{topic}_export"]
        table = f"google_bigquery_table.events_{topic}_export"
        (config,) = sub["bigquery_config"]
        assert config == {"table": f"${{{table}.project}}.${{{table}.dataset_id}}.${{{table}.table_id}}",
                          "write_metadata": True}
        assert "push_config" not in sub and "cloud_storage_config" not in sub
        grant = f"google_bigquery_table_iam_member.events_{topic}_export_pubsub_writes"
        assert grant in sub["depends_on"]
        assert found[grant] == {"dataset_id": f"{table}.dataset_id", "table_id": f"{table}.table_id",
                                "role": "roles/bigquery.dataEditor", "member": AGENT,
                                "depends_on": ["google_project_service.enabled"]}
        body = found[table]
        assert body["dataset_id"] == "google_bigquery_dataset.warehouse.dataset_id"
        assert body["table_id"] == table_id and body["deletion_protection"] is True
        assert body["time_partitioning"] == [{"type": "DAY", "field": "publish_time"}]
        assert body["schema"].startswith("<<-EOT\n")  # python-hcl2 keeps a heredoc as written
        columns = json.loads("\n".join(body["schema"].splitlines()[1:-1]))
        assert [(c["name"], c["type"]) for c in columns] == METADATA_COLUMNS
        # subscriptions_per_topic 2: the export one and one pull subscription
        assert f"google_pubsub_subscription.events_{topic}_sub_1" in found
        assert f"google_pubsub_subscription.events_{topic}_sub_2" not in found


def test_a_cloud_storage_dependency_makes_a_cloud_storage_subscription(generated):
    found = resources(generated / "pubsub-export")
    sub = found["google_pubsub_subscription.audit_audit_log_export"]
    (config,) = sub["cloud_storage_config"]
    assert config["bucket"] == "google_storage_bucket.archive.name"
    assert config["filename_prefix"] == "audit-log/" and config["avro_config"] == [{"write_metadata": True}]
    # a new object at most every max_duration, which may not exceed the acknowledgement deadline
    assert int(config["max_duration"].rstrip("s")) <= sub["ack_deadline_seconds"]
    roles = {found[f"google_storage_bucket_iam_member.archive_pubsub_{what}"]["role"]
             for what in ("creates_objects", "reads_bucket")}
    assert roles == {"roles/storage.objectCreator", "roles/storage.legacyBucketReader"}
    for what in ("creates_objects", "reads_bucket"):
        grant = f"google_storage_bucket_iam_member.archive_pubsub_{what}"
        assert found[grant]["member"] == AGENT and grant in sub["depends_on"]
    # dead_letter: the export subscription forwards too, so the agent may acknowledge on it
    assert sub["dead_letter_policy"][0]["dead_letter_topic"] == "google_pubsub_topic.audit_dead_letter.id"
    assert found["google_pubsub_subscription_iam_member.audit_audit_log_export_dead_letter"]["member"] == AGENT
    assert "google_pubsub_subscription.audit_audit_log_sub_1" not in found  # its one subscription is the export


def test_no_workload_is_granted_an_export_subscription(generated):
    blocks, _, _ = configuration(generated / "pubsub-export" / "terraform")
    publisher, puller = actual_grants(blocks, "ingest"), actual_grants(blocks, "scorer")
    assert all(role == "roles/pubsub.publisher" for role, _ in publisher)  # ingest only publishes
    assert puller == {("roles/pubsub.subscriber", "google_pubsub_subscription.events_match_events_sub_1"),
                      ("roles/pubsub.subscriber", "google_pubsub_subscription.events_player_events_sub_1")}
    granted = [a for a, b in blocks.items() if a.startswith("google_pubsub_subscription_iam_member.")
               and "_export." in b["subscription"] and "google_service_account" in b["member"]]
    assert not granted


def test_the_generated_terraform_matches_the_provider_schema(generated):
    assert not schema_problems(generated / "pubsub-export")


def test_the_puller_is_told_its_subscription_not_the_export_one(generated):
    service = yaml.safe_load((generated / "pubsub-export" / "cloudrun" / "scorer.yaml").read_text())
    env = {e["name"]: e.get("value") for e in service["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["MATCH_EVENTS_SUBSCRIPTION"] == "telemetry-match-events-sub-1"


PLAN = """\
project: {name: shop, region: us-central1}
components:
  worker: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 50, requests_per_month: 1000}
  events:
    kind: pubsub
    topics: [orders]
    subscriptions_per_topic: %(subscriptions)s
    messages_per_month: 1000000
    avg_message_kib: 1
    depends_on: %(depends_on)s
  warehouse: {kind: bigquery, active_storage_gb: 1, query_tib_per_month: 0}
  archive: {kind: cloud_storage, location_type: region, storage_gb: 1}
"""


def generate_plan(tmp_path, subscriptions=2, depends_on="[worker, warehouse]", extra=""):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN % {"subscriptions": subscriptions, "depends_on": depends_on} + extra)
    code, out, err = generate(plan, tmp_path / "out")
    assert code == 0, err
    return resources(tmp_path / "out"), out


def test_with_a_push_target_the_others_push_and_the_export_writes(tmp_path):
    found, _ = generate_plan(tmp_path)
    assert "push_config" in found["google_pubsub_subscription.events_orders_sub_1"]
    export = found["google_pubsub_subscription.events_orders_export"]
    assert "push_config" not in export and export["bigquery_config"]
    assert not schema_problems(tmp_path / "out")


def test_only_the_first_export_target_is_written_to_and_the_others_are_named(tmp_path):
    found, out = generate_plan(tmp_path, 1, "[archive, warehouse]")
    assert found["google_pubsub_subscription.events_orders_export"]["cloud_storage_config"]
    assert not any(a.startswith("google_bigquery_table.") for a in found)
    assert "warning: events: its topics export to archive only" in out and "nothing is generated for warehouse" in out


def test_a_plan_without_export_target_is_as_before(tmp_path):
    found, out = generate_plan(tmp_path, 1, "[worker]")
    assert [a for a in found if a.startswith("google_pubsub_subscription.")] == \
        ["google_pubsub_subscription.events_orders_sub_1"]
    assert "warning" not in out


def test_when_eventarc_takes_every_subscription_the_topic_does_not_export_and_says_so(tmp_path):
    function = """\
  on_order:
    kind: cloud_functions
    cpu: 1
    memory: 256Mi
    duration_ms: 100
    invocations_per_month: 1000
    trigger: pubsub
    trigger_component: events
"""
    found, out = generate_plan(tmp_path, 1, "[warehouse]", function)
    assert not any(a.startswith("google_pubsub_subscription.") for a in found)
    assert "warning: events: orders has no export subscription to warehouse" in out
