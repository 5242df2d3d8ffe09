"""The Cloud Build pipelines work on their first run (found by review): a service whose ingress refuses Cloud
Build's requests had a smoke test that could never pass, a service name too long for its traffic tag failed
`gcloud run deploy`, and the README's `gcloud builds submit` left SHORT_SHA, the image tag, empty."""
import yaml

from tests.generate.conftest import generate

PLAN = """project: {{name: {name}, region: us-central1}}
traffic: {{daily_active_users: 100, requests_per_user_per_day: 10}}
components:
  {service}: {{kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 50, ingress: {ingress},
    health_check_path: /healthz}}
  web: {{kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 50, allow_unauthenticated: true,
    vpc_egress: all-traffic, depends_on: [{service}]}}
  hook: {{kind: cloud_functions, cpu: 1, memory: 256Mi, duration_ms: 50, allow_unauthenticated: true}}
"""


def _steps(folder, name: str) -> dict:
    document = yaml.safe_load((folder / "cloudbuild" / f"{name}.yaml").read_text())
    return {step["id"]: step for step in document["steps"]}


def test_a_service_cloud_build_cannot_call_is_deployed_on_its_startup_probe(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN.format(name="shop", service="worker", ingress="internal"))
    code, out, err = generate(plan, tmp_path / "out")
    assert code == 0, err
    worker = _steps(tmp_path / "out", "worker")
    assert list(worker) == ["test", "build", "push", "deploy-no-traffic", "cut-over"]
    assert "--tag" not in worker["deploy-no-traffic"]["args"]
    assert ("warning: worker: ingress internal refuses Cloud Build's requests, so cloudbuild/worker.yaml has no "
            "smoke test or canary") in out
    web = _steps(tmp_path / "out", "web")  # ingress all: tested through its tag before and during the canary
    assert list(web) == ["test", "build", "push", "deploy-no-traffic", "smoke-test", "canary", "canary-check",
                         "cut-over"]
    assert web["deploy-no-traffic"]["args"][-2:] == ["--tag", "rc"]
    assert 'CANDIDATE="https://rc---$${URL#https://}"' in web["smoke-test"]["args"][1]
    assert web["canary"]["args"][-1] == "rc=$_CANARY_PERCENT"
    plan.write_text(PLAN.format(name="shop", service="worker", ingress="internal-and-cloud-load-balancing"))
    code, _, err = generate(plan, tmp_path / "lb")
    assert code == 0, err
    assert "smoke-test" not in _steps(tmp_path / "lb", "worker")


def test_a_service_name_too_long_for_its_traffic_tag_is_refused(tmp_path):
    plan = tmp_path / "plan.yaml"
    # 22 + 1 + 22 = 45 characters, and the tag's 2: over Cloud Run's 46 for the two together
    plan.write_text(PLAN.format(name="acme-payments-platform", service="notifications-api-edge", ingress="all"))
    code, out, err = generate(plan, tmp_path / "out")
    assert code == 1 and not (tmp_path / "out").exists()
    assert err.strip().startswith(f"error: {plan}:4: components.notifications-api-edge: service "
                                  "'acme-payments-platform-notifications-api-edge' and its pipeline's traffic tag 'rc' "
                                  "are 47 characters, over Cloud Run's 46: shorten this component's or the project's "
                                  "name")  # the aside "(or --prefix)" goes when the file's path is long
    assert len(err.splitlines()) == 1
    code, _, err = generate(plan, tmp_path / "short", "--prefix", "acme")
    assert code == 0, err
    plan.write_text(PLAN.format(name="acme-payments-platform", service="notifications-api-edge", ingress="internal"))
    code, _, err = generate(plan, tmp_path / "untagged")  # no tag, no limit beyond the service's own 63
    assert code == 0, err


def test_the_readme_submits_each_build_with_the_commit_it_tags(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN.format(name="shop", service="worker", ingress="all"))
    code, _, err = generate(plan, tmp_path / "out")
    assert code == 0, err
    readme = (tmp_path / "out" / "README.md").read_text()
    assert ("gcloud builds submit --config=cloudbuild/web.yaml --project=shop "
            "--substitutions=SHORT_SHA=$(git rev-parse --short HEAD) <source root>") in readme
    # the function's pipeline tags nothing with the commit: passing SHORT_SHA to it would be an unused substitution
    assert "gcloud builds submit --config=cloudbuild/hook.yaml --project=shop <source root>" in readme
    assert "$SHORT_SHA" not in (tmp_path / "out" / "cloudbuild" / "hook.yaml").read_text()
    for name in ("web", "worker"):
        assert "$_IMAGE:$SHORT_SHA" in (tmp_path / "out" / "cloudbuild" / f"{name}.yaml").read_text()


FUNCTIONS_PLAN = """project: {name: shop, region: us-central1}
traffic: {daily_active_users: 100, requests_per_user_per_day: 10}
components:
  events: {kind: pubsub, topics: [orders], messages_per_request: 1, avg_message_kib: 1}
  on-order: {kind: cloud_functions, cpu: 1, memory: 256Mi, duration_ms: 50, trigger: pubsub,
    trigger_component: events, entry_point: handle}
  hook: {kind: cloud_functions, cpu: 1, memory: 256Mi, duration_ms: 50, allow_unauthenticated: true}
"""


def test_a_function_pipeline_keeps_the_trigger_terraform_made(tmp_path):
    """--trigger-topic on an update replaced the Eventarc trigger Terraform made (its own service account,
    RETRY_POLICY_RETRY) with one on the default compute account and no retry. With no trigger flag, gcloud
    keeps an existing function's trigger (gcloud functions deploy --help, the trigger flag group)."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(FUNCTIONS_PLAN)
    code, _, err = generate(plan, tmp_path / "out")
    assert code == 0, err
    terraform = (tmp_path / "out" / "terraform" / "cloud_functions.tf").read_text()
    assert 'retry_policy          = "RETRY_POLICY_RETRY"' in terraform
    for name in ("on-order", "hook"):
        text = (tmp_path / "out" / "cloudbuild" / f"{name}.yaml").read_text()
        args = _steps(tmp_path / "out", name)["deploy-function"]["args"]
        assert args[:3] == ["functions", "deploy", "$_FUNCTION"]
        assert not [arg for arg in args if arg.startswith(("--trigger", "--retry", "--no-retry"))], args
        assert "names no trigger flag" in text
