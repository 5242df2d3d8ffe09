"""A Pub/Sub component that depends on a GKE cluster, a Compute Engine VM or a Cloud Run job delivers to it by
pull (Pub/Sub pushes only to an HTTPS endpoint, which archplan has for Cloud Run services and HTTP functions):
the receiver is granted roles/pubsub.subscriber on the topic's subscription and told its name, as if it depended
on the Pub/Sub component with access read. `check` already reads the edge as asynchronous delivery; before,
generate wrote a subscription nobody could pull from."""
from __future__ import annotations

import yaml

from tests.generate.conftest import generate
from tests.generate.test_pubsub_export import resources, schema_problems

PLAN = """\
project: {name: telemetry, region: asia-northeast1}
components:
  ingest:
    kind: cloud_run
    cpu: 1
    memory: 512Mi
    request_duration_ms: 40
    requests_per_month: 1000000
    depends_on: [{name: readings, access: write}]
  readings:
    kind: pubsub
    topics: [readings]
    messages_per_month: 1000000
    avg_message_kib: 1
    depends_on: %(receivers)s
%(extra)s"""

CLUSTER = """\
  enricher:
    kind: gke
    mode: autopilot
    location_type: regional
    deployments:
%(deployments)s"""

VM = """\
  batcher: {kind: compute_engine, machine_type: e2-small, count: 1}
"""

JOB = """\
  nightly: {kind: cloud_run_job, cpu: 1, memory: 512Mi, tasks: 1, task_duration_seconds: 60, executions_per_month: 30}
"""


def run(tmp_path, receivers, extra):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN % {"receivers": receivers, "extra": extra})
    code, out, err = generate(plan, tmp_path / "out")
    assert code == 0, err
    return resources(tmp_path / "out"), out


def subscribers(found) -> dict[str, str]:
    return {name: body["member"] for name, body in found.items()
            if name.startswith("google_pubsub_subscription_iam_member.")}


def deployment_env(folder, cluster, deployment) -> dict:
    for document in yaml.safe_load_all((folder / "kubernetes" / cluster / f"{deployment}.yaml").read_text()):
        if document and document.get("kind") == "Deployment":
            return {e["name"]: e.get("value") for e in document["spec"]["template"]["spec"]["containers"][0]["env"]}
    raise AssertionError("no Deployment")


def test_a_gke_receiver_pulls_the_subscription_and_is_told_its_name(tmp_path):
    found, out = run(tmp_path, "[enricher]", CLUSTER % {"deployments": "      - {name: enricher, replicas: 2, cpu: 1, memory: 2Gi}\n"})
    assert subscribers(found) == {
        "google_pubsub_subscription_iam_member.enricher_enricher_pulls_readings_readings_sub_1":
            "serviceAccount:${google_service_account.enricher_enricher.email}"}
    assert "push_config" not in found["google_pubsub_subscription.readings_readings_sub_1"]
    assert deployment_env(tmp_path / "out", "enricher", "enricher")["READINGS_SUBSCRIPTION"] == "telemetry-readings-sub-1"
    assert "warning" not in out
    assert not schema_problems(tmp_path / "out")


def test_only_the_deployments_with_the_clusters_edges_pull(tmp_path):
    deployments = ("      - {name: enricher, replicas: 2, cpu: 1, memory: 2Gi}\n"
                   "      - {name: api, replicas: 2, cpu: 1, memory: 2Gi, depends_on: []}\n")
    found, out = run(tmp_path, "[enricher]", CLUSTER % {"deployments": deployments})
    assert list(subscribers(found)) == [
        "google_pubsub_subscription_iam_member.enricher_enricher_pulls_readings_readings_sub_1"]
    assert "READINGS_SUBSCRIPTION" not in deployment_env(tmp_path / "out", "enricher", "api")


def test_a_cluster_whose_deployments_all_name_their_edges_is_warned_about(tmp_path):
    deployments = ("      - {name: a, replicas: 1, cpu: 1, memory: 2Gi, depends_on: []}\n"
                   "      - {name: b, replicas: 1, cpu: 1, memory: 2Gi, depends_on: []}\n")
    found, out = run(tmp_path, "[enricher]", CLUSTER % {"deployments": deployments})
    assert not subscribers(found)
    assert ("warning: readings: it delivers to enricher, whose deployments each name their own depends_on, so "
            "none reads its subscriptions: add {name: readings, access: read}") in out


def test_a_vm_and_a_job_pull_too(tmp_path):
    found, _ = run(tmp_path, "[batcher, nightly]", VM + JOB)
    members = set(subscribers(found).values())
    assert members == {"serviceAccount:${google_service_account.batcher.email}",
                       "serviceAccount:${google_service_account.nightly.email}"}
    assert not schema_problems(tmp_path / "out")


def test_with_a_push_target_the_puller_gets_nothing_and_is_named(tmp_path):
    worker = "  worker: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 20, requests_per_month: 1000}\n"
    found, out = run(tmp_path, "[worker, batcher]", worker + VM)
    assert not subscribers(found)
    assert "push_config" in found["google_pubsub_subscription.readings_readings_sub_1"]
    assert "warning: readings: its subscriptions push to worker, so batcher, which it also delivers to, has none " \
           "to pull from" in out
