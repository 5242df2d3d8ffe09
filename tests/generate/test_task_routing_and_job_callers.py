"""A queue with a target routes every task there (queue-level HTTP target: the target's host, an OIDC token of
the queue's account for the target's URL), so the enqueuer needs no URL of its own; a service that depends on a
Cloud Run job may run it (roles/run.invoker on the job) and is told its name (<NAME>_JOB). A trial found the
queue's target reached by nobody and the service without the right to start the job."""
from __future__ import annotations

import yaml

from tests.generate.conftest import generate
from tests.generate.test_pubsub_export import resources, schema_problems

PLAN = """\
project: {name: shop, region: us-east4}
components:
  api: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 100, requests_per_month: 1000,
        depends_on: [tasks, reindex]}
  tasks:
    kind: cloud_tasks
    queues: [{name: push, target: notify}]
    tasks_per_month: 1000
  notify: {kind: cloud_functions, cpu: 1, memory: 256Mi, duration_ms: 200, invocations_per_month: 1000}
  reindex: {kind: cloud_run_job, task_duration_seconds: 60, executions_per_month: 10,
            image: us-docker.pkg.dev/cloudrun/container/job:latest}
"""


def test_a_queue_routes_its_tasks_to_its_target_and_a_service_may_run_the_job_it_depends_on(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN)
    code, _out, err = generate(plan, tmp_path / "out")
    assert code == 0, err
    found = resources(tmp_path / "out")
    (target,) = found["google_cloud_tasks_queue.tasks_push"]["http_target"]
    url = "google_cloudfunctions2_function.notify.url"  # load_hcl gives references as written
    assert target["http_method"] == "POST"
    assert target["uri_override"] == [{"scheme": "HTTPS", "host": f'trimprefix({url}, "https://")',
                                       "uri_override_enforce_mode": "ALWAYS"}]
    assert target["oidc_token"] == [{"service_account_email": "google_service_account.tasks_tasks.email",
                                     "audience": url}]
    grant = found["google_cloud_run_v2_job_iam_member.api_runs_reindex"]
    assert grant["role"] == "roles/run.invoker" and grant["member"] == "serviceAccount:${google_service_account.api.email}"
    service = yaml.safe_load((tmp_path / "out" / "cloudrun" / "api.yaml").read_text())
    env = {e["name"]: e.get("value") for e in service["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["REINDEX_JOB"] == "projects/shop/locations/us-east4/jobs/shop-reindex"
    assert not schema_problems(tmp_path / "out")
