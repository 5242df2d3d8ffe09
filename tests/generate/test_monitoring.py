"""Latency alerts hold a service to the target check holds it to (found by review: a queue's worker, on no
user request path, got an alert at the user-facing SLO and would fire whenever it worked)."""
import hcl2

from tests.generate.conftest import generate, unquote

PLAN = """project: {name: alerts, region: us-central1}
traffic: {daily_active_users: 100, requests_per_user_per_day: 10}
slo: {latency_p95_ms: 300}
flows:
  search: {entry: api, through: [finder], slo: {latency_p95_ms: 150.0}}
components:
  api: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 50, allow_unauthenticated: true,
    depends_on: [jobs, finder]}
  home: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 30, allow_unauthenticated: true}
  finder: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 40, ingress: internal}
  jobs: {kind: pubsub, topics: [work], avg_message_kib: 1, messages_per_month: 10000, depends_on: [worker]}
  worker: {kind: cloud_run, cpu: 1, memory: 1Gi, request_duration_ms: 2000, requests_per_month: 10000,
    ingress: internal}
"""


def test_latency_alerts_follow_the_request_paths_and_flow_targets(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN)
    code, _, err = generate(plan, tmp_path / "out")
    assert code == 0, err
    parsed = unquote(hcl2.loads((tmp_path / "out" / "terraform" / "monitoring.tf").read_text()))
    alerts = {name: body for block in parsed["resource"] for kind, named in block.items()
              if kind == "google_monitoring_alert_policy" for name, body in named.items()}
    thresholds = {name: alert["conditions"][0]["condition_threshold"][0]["threshold_value"]
                  for name, alert in alerts.items() if name.endswith("_latency")}
    # home at the plan's SLO; api and finder, the search flow's, at its tighter target (as check holds them);
    # the worker, fed by a queue, at none
    assert thresholds == {"home_latency": 300, "api_latency": 150, "finder_latency": 150}
    assert "flows.search.slo.latency_p95_ms (150 ms)" in alerts["finder_latency"]["documentation"][0]["content"]
