"""`archplan check` from the command line, and golden JSON reports for the examples."""
import json
import os
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLES, ROOT
from tests.test_examples import SEEDS

GOLDEN = ROOT / "tests" / "golden" / "check"


def run(*args):
    return subprocess.run([sys.executable, "-m", "archplan", "check", *args], capture_output=True, text=True)


def test_exit_1_on_errors_and_json_for_ci():
    result = run(str(EXAMPLES / "cotton-erp.yaml"), "--format", "json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["schema"] == "archplan.check/v1" and data["counts"]["error"] > 0
    assert {"id", "severity", "section", "component", "line", "title", "detail", "fix"} <= set(data["findings"][0])


def test_only_sections_and_exit_0_without_errors(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text("project: {name: t, region: us-central1}\ncomponents:\n"
                    "  jobs: {kind: cloud_scheduler, jobs: 1}\n")
    result = run(str(plan), "--only", "availability,capacity")
    assert result.returncode == 0, result.stdout
    assert "Availability per path" in result.stdout
    assert run(str(plan), "--only", "security,nonsense").returncode == 2


@pytest.mark.parametrize("name", sorted(SEEDS) + ["starter"])
def test_check_json_matches_golden(name):
    result = run(str(EXAMPLES / f"{name}.yaml"), "--format", "json")
    text = result.stdout.replace(str(EXAMPLES / f"{name}.yaml"), f"examples/{name}.yaml")
    golden = GOLDEN / f"{name}.json"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text)
    assert json.loads(text) == json.loads(golden.read_text()), f"regenerate with UPDATE_GOLDEN=1 and review {golden}"
