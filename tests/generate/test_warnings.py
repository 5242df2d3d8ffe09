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
