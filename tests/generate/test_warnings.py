"""What a plan states that generate cannot express is a warning (stdout and the generated README), with exit
0, never only a comment in a file."""
from pathlib import Path

from tests.conftest import EXAMPLES
from tests.generate.conftest import generate

EXTRA = """
  nightly:
    kind: cloud_scheduler
    jobs: 3
  assistant:
    kind: llm
    provider: gemini_api
    model: gemini-2.5-flash
    tokens_per_month: {input: 1000000, output: 200000}
    quota_requests_per_minute: 100
"""


def plan_with(tmp_path: Path, extra: str) -> Path:
    plan = tmp_path / "plan.yaml"
    plan.write_text((EXAMPLES / "starter.yaml").read_text() + extra)
    return plan


def test_count_only_jobs_and_an_llm_without_a_resource_are_warnings(tmp_path):
    code, out, err = generate(plan_with(tmp_path, EXTRA), tmp_path / "out")
    assert code == 0, err
    warnings = [line for line in out.splitlines() if line.startswith("warning: ")]
    assert any(line.startswith("warning: nightly: the plan counts 3 Cloud Scheduler jobs") for line in warnings)
    assert any(line.startswith("warning: assistant: the Gemini API has no Terraform resource") for line in warnings)
    assert any(line.startswith("warning: assistant: quota_requests_per_minute are not set") for line in warnings)
    readme = (tmp_path / "out" / "README.md").read_text()
    section = readme.split("## What the files cannot express", 1)[1]
    assert "nightly: the plan counts 3 Cloud Scheduler jobs" in section
    assert "assistant: the Gemini API has no Terraform resource" in section
    assert not (tmp_path / "out" / "terraform" / "scheduler.tf").exists()


def test_named_jobs_and_vertex_ai_raise_no_such_warning(tmp_path):
    extra = EXTRA.replace("jobs: 3", "jobs: 0").replace("gemini_api", "vertex_ai").replace(
        "    quota_requests_per_minute: 100\n", "")
    code, out, err = generate(plan_with(tmp_path, extra), tmp_path / "out")
    assert code == 0, err
    assert "nightly:" not in out and "assistant:" not in out
    code, out, err = generate(EXAMPLES / "event-platform.yaml", tmp_path / "event")
    assert code == 0, err
    assert "Cloud Scheduler jobs without naming" not in out


def test_a_gke_deployments_concurrency_is_a_warning(tmp_path):
    source = (EXAMPLES / "drivopay.yaml").read_text()
    anchor = "      - name: api-gateway\n"
    assert source.count(anchor) == 1
    plan = tmp_path / "plan.yaml"
    plan.write_text(source.replace(anchor, anchor + "        concurrency: 40\n"))
    code, out, err = generate(plan, tmp_path / "out")
    assert code == 0, err
    assert "warning: api-gateway: concurrency 40 (requests one pod serves at once) is not set" in out
    assert "api-gateway: concurrency 40" in (tmp_path / "out" / "README.md").read_text()
    code, out, _ = generate(EXAMPLES / "drivopay.yaml", tmp_path / "plain")
    assert "concurrency" not in out


def test_a_gpu_deployment_scaled_on_cpu_is_a_warning(tmp_path):
    """The HPA of a GPU model server scales on CPU, which a GPU-bound server leaves low: generate says so."""
    trial = Path(__file__).parents[1] / "trial" / "plans" / "mlserve.yaml"
    code, out, err = generate(trial, tmp_path / "out")
    assert code == 0, err
    assert ("warning: model-server: requests 1 GPU(s) a pod, but its HorizontalPodAutoscaler scales on CPU (70%)"
            in out)
    assert "features: requests" not in out  # the CPU deployments scale on CPU rightly


def validate(plan: Path) -> tuple[int, str]:
    import contextlib
    import io

    from archplan.cli import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["validate", str(plan)])
    return code, err.getvalue()


SCHEDULER_AT_A_BUCKET = """
  nightly:
    kind: cloud_scheduler
    jobs:
      - {name: sweep, schedule: "0 3 * * *", target: uploads}
"""

PRIVATE_FUNCTION = """
  ledger:
    kind: cloud_sql
    engine: postgres
    tier: db-custom-1-3840
    storage_gb: 10
    private_ip: true
  worker:
    kind: cloud_functions
    cpu: 1
    memory: 512Mi
    duration_ms: 100
    invocations_per_month: 1000
    depends_on:
      - {name: ledger, protocol: Postgres}
"""


def test_a_scheduler_job_at_a_kind_that_cannot_be_a_target_fails_generate_and_validate(tmp_path):
    plan = plan_with(tmp_path, SCHEDULER_AT_A_BUCKET)
    code, _, err = generate(plan, tmp_path / "out")
    assert code == 1 and not (tmp_path / "out").exists()
    line = plan.read_text().splitlines().index("      - {name: sweep, schedule: \"0 3 * * *\", target: uploads}") + 1
    assert err.strip() == (f"error: {plan}:{line}: components.nightly.jobs[0].target: target must name a cloud_run, "
                           "cloud_functions or cloud_run_job component; uploads is a cloud_storage")
    code, err = validate(plan)
    assert code == 1 and "components.nightly.jobs[0].target: target must name a cloud_run" in err


def test_a_function_with_a_private_database_and_no_connector_fails_generate_and_validate(tmp_path):
    plan = plan_with(tmp_path, PRIVATE_FUNCTION)
    code, _, err = generate(plan, tmp_path / "out")
    assert code == 1 and not (tmp_path / "out").exists()
    assert "components.worker.depends_on: it calls ledger, reachable only inside the VPC" in err
    assert "list a vpc_connector component in its depends_on" in err
    code, err = validate(plan)
    assert code == 1 and "components.worker.depends_on: it calls ledger, reachable only inside the VPC" in err
    # With a connector listed the same plan generates, and the function egresses through it.
    connected = plan_with(tmp_path, PRIVATE_FUNCTION + "      - {name: connector, protocol: Postgres}\n"
                          "  connector:\n    kind: vpc_connector\n    depends_on:\n"
                          "      - {name: ledger, protocol: Postgres}\n")
    code, _, err = generate(connected, tmp_path / "connected")
    assert code == 0, err
    functions = (tmp_path / "connected" / "terraform" / "cloud_functions.tf").read_text()
    assert "vpc_connector " in functions and "PRIVATE_RANGES_ONLY" in functions
    assert validate(connected)[0] == 0


def test_identity_platform_providers_that_need_client_ids_are_a_warning(tmp_path):
    """Google, SAML and OIDC sign-in need client ids and secrets the plan does not hold: they were only a
    comment in identity.tf, and the README's steps did not list them (found by the trial)."""
    code, out, err = generate(plan_with(tmp_path, """
  auth: {kind: identity_platform, providers: [email, google, oidc], monthly_active_users: 1000}
"""), tmp_path / "out")
    assert code == 0, err
    expected = "auth: sign-in with google, oidc needs each provider's client id and secret"
    assert any(line.startswith(f"warning: {expected}") for line in out.splitlines()), out
    assert expected in (tmp_path / "out" / "README.md").read_text().split("## What the files cannot express", 1)[1]
    code, out, err = generate(plan_with(tmp_path, """
  auth: {kind: identity_platform, providers: [email, phone], monthly_active_users: 1000}
"""), tmp_path / "out2")
    assert code == 0, err
    assert "auth:" not in out


def test_a_cloud_run_job_without_an_image_is_a_warning(tmp_path):
    """A job with no image ran Google's sample job, no pipeline built it, and nothing said so (the trial's
    semsearch reindex job; its services get cloudbuild/ pipelines)."""
    job = "  reindex: {kind: cloud_run_job, cpu: 1, memory: 512Mi, tasks: 1, task_duration_seconds: 60, " \
          "executions_per_month: 30%s}\n"
    code, out, err = generate(plan_with(tmp_path, "\n" + job % ""), tmp_path / "out")
    assert code == 0, err
    expected = "reindex: the plan names no image, so the job runs Google's sample job"
    assert any(line.startswith(f"warning: {expected}") for line in out.splitlines()), out
    assert expected in (tmp_path / "out" / "README.md").read_text().split("## What the files cannot express", 1)[1]
    code, out, err = generate(plan_with(tmp_path, "\n" + job % ", image: europe-docker.pkg.dev/p/r/job:1"),
                              tmp_path / "out2")
    assert code == 0, err
    assert "reindex:" not in out


def test_internal_ingress_a_caller_outside_the_vpc_cannot_pass_is_a_warning(tmp_path):
    # API Gateway, and Cloud Run without vpc_egress: all-traffic, call a service's run.app URL from outside the
    # VPC (cloud.google.com/run/docs/securing/ingress): ingress internal refused them without a word
    service = "{kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 100, requests_per_month: 1000"
    code, out, err = generate(plan_with(tmp_path, f"""
  gateway: {{kind: api_gateway, region: asia-northeast1, backend: orders, calls_per_month: 1000}}
  orders: {service}, ingress: internal}}
  inside: {service}, ingress: internal}}
  caller: {service}, vpc_egress: all-traffic, depends_on: [inside]}}
"""), tmp_path / "out")
    assert code == 0, err
    assert "warning: orders: ingress internal refuses the requests of gateway, which reach it from outside the VPC" in out
    assert "inside: ingress internal refuses the requests" not in out  # its caller's egress goes through the VPC


def test_vms_priced_for_part_of_the_month_are_a_warning(tmp_path):
    """Found by review: hours_per_month prices 200 hours, and the VM generate creates runs all 730."""
    code, out, err = generate(plan_with(tmp_path, """
  batch: {kind: compute_engine, machine_type: e2-standard-8, hours_per_month: 200}
"""), tmp_path / "out")
    assert code == 0, err
    expected = ("batch: priced for 200 hours a month (hours_per_month), and the VMs created run all 730: stop them "
                "outside those hours")
    assert any(line.startswith(f"warning: {expected}") for line in out.splitlines()), out
    assert expected in (tmp_path / "out" / "README.md").read_text()
    code, out, err = generate(plan_with(tmp_path, """
  batch: {kind: compute_engine, machine_type: e2-standard-8}
"""), tmp_path / "all-month")
    assert code == 0 and "hours_per_month" not in out


def test_a_bucket_behind_a_load_balancer_that_fronts_gke_is_a_warning(tmp_path):
    """A load balancer in front of a GKE cluster and a bucket: the Ingress builds the balancer and routes only to
    the cluster's Services, so the bucket's route was dropped without a word (the VMs' case was said)."""
    plan = tmp_path / "plan.yaml"
    plan.write_text("project: {name: k, region: europe-west3}\n"
                    "components:\n"
                    "  lb: {kind: load_balancer, domains: [k.example.com], data_processed_gb_per_month: 10, "
                    "depends_on: [web, api]}\n"
                    "  web: {kind: cloud_storage, location_type: region, storage_gb: 1}\n"
                    "  api:\n    kind: gke\n    mode: autopilot\n"
                    "    deployments: [{name: api, replicas: 2, cpu: 1, memory: 1Gi, public: true}]\n")
    code, out, err = generate(plan, tmp_path / "out")
    assert code == 0, err
    assert ("warning: lb: web (cloud_storage) is not behind the load balancer: the GKE Ingress builds it and takes "
            "only the cluster's Services, so route to the bucket with a backend bucket on a load balancer of its own "
            "by hand") in out.splitlines()
