"""`archplan generate` from the command line: targets, environments, plan errors."""
import subprocess
import sys


from tests.conftest import EXAMPLES
from tests.generate.conftest import generate

STARTER = EXAMPLES / "starter.yaml"


def test_unknown_target_is_a_usage_error(tmp_path):
    code, out, err = generate(STARTER, tmp_path / "out", "--target", "terraform,helm")
    assert code == 2 and "unknown --target helm" in err and "valid: terraform,k8s,cloudrun,cloudbuild,compose" in err
    assert not (tmp_path / "out").exists()


def test_default_targets_are_what_the_plan_needs(tmp_path):
    code, out, _ = generate(STARTER, tmp_path / "out")
    assert code == 0
    folders = {p.name for p in (tmp_path / "out").iterdir() if p.is_dir()}
    assert folders == {"terraform", "cloudrun", "cloudbuild", "compose"}  # no GKE: no kubernetes/


def test_a_target_the_plan_does_not_need_says_so(tmp_path):
    code, out, _ = generate(STARTER, tmp_path / "out", "--target", "k8s")
    assert code == 0 and "k8s: nothing to generate for this plan" in out


def test_environment_changes_names_and_header(tmp_path):
    code, _, err = generate(EXAMPLES / "drivopay.yaml", tmp_path / "out", "--env", "optimized", "--target",
                            "terraform,k8s")
    assert code == 0, err
    variables = (tmp_path / "out/terraform/variables.tf").read_text()
    assert 'default     = "drivopay-optimized"' in variables
    assert "(environment: optimized)" in variables.splitlines()[0]


def test_plan_error_is_one_line_with_exit_1(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text("project: {name: t, region: us-central1}\ncomponents:\n"
                    "  cdn: {kind: cloud_cdn, destination: europe, cache_hit_ratio: 0.5, requests_per_month: 10,"
                    " egress_gb_per_month: 1}\n")
    result = subprocess.run([sys.executable, "-m", "archplan", "generate", str(plan), "-o", str(tmp_path / "o")],
                            capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "load_balancer" in result.stderr
