"""The Cloud Run service YAML (cloudrun/*.yaml, for `gcloud run services replace`) describes the service the
Terraform does: a replace of a service behind the load balancer without the
run.googleapis.com/invoker-iam-disabled annotation turned Cloud Run's invoker IAM check back on, and the load
balancer's requests, which carry no identity token, got 403
(https://cloud.google.com/run/docs/authenticating/public, the YAML tab)."""
import yaml

from tests.generate.conftest import generate_text, load_hcl

PLAN = """project: {name: web, region: europe-west1}
traffic: {requests_per_month: 1000000, avg_request_kib: 1, avg_response_kib: 10}
components:
  lb: {kind: load_balancer, depends_on: [api, site]}
  api: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 50, ingress: internal-and-cloud-load-balancing,
    depends_on: [worker]}
  site: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 50, allow_unauthenticated: true}
  worker: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 50, ingress: internal}
"""
ANNOTATION = "run.googleapis.com/invoker-iam-disabled"


def test_the_yaml_disables_the_invoker_check_where_terraform_does(tmp_path):
    out = generate_text(tmp_path, PLAN)
    services = {name: body for item in load_hcl(out / "terraform" / "cloud_run.tf").get("resource", [])
                for name, body in item.get("google_cloud_run_v2_service", {}).items()}
    assert sorted(services) == ["api", "site", "worker"]
    disabled = {name for name, body in services.items() if body.get("invoker_iam_disabled")}
    assert disabled == {"api"}  # site is public through its allUsers grant; worker is called with a token
    for name in services:
        document = yaml.safe_load((out / "cloudrun" / f"{name}.yaml").read_text())
        annotations = document["metadata"]["annotations"]
        if name in disabled:
            assert annotations[ANNOTATION] == "true"  # a string, as every annotation value
        else:
            assert ANNOTATION not in annotations
