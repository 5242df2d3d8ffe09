"""The CI files in docs/ci/ are valid YAML and every archplan command in them runs: on a pull request that
changes a plan (a git repository whose base branch has the plan before the change)."""
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import EXAMPLES, ROOT

CI = ROOT / "docs" / "ci"


def _commands() -> list[str]:
    found = []
    workflow = yaml.safe_load((CI / "github-actions.yml").read_text())
    for step in workflow["jobs"]["plan"]["steps"]:
        found += [line.strip() for line in str(step.get("run", "")).splitlines() if line.strip().startswith("archplan ")]
    job = yaml.safe_load((CI / "gitlab-ci.yml").read_text())["archplan"]
    found += [line for line in job["script"] if isinstance(line, str) and line.startswith("archplan ")]
    return found


def test_workflows_are_yaml_and_name_check_cost_and_diff():
    verbs = {shlex.split(c)[1] for c in _commands()}
    assert {"validate", "check", "cost", "diff"} <= verbs
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hooks[0]["id"] == "archplan-validate" and hooks[0]["entry"] == "archplan validate"


def test_every_ci_command_runs_on_a_pull_request(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git = lambda *a: subprocess.run(["git", *a], cwd=repo, check=True, capture_output=True)
    git("init", "-q", "-b", "main")
    git("config", "user.email", "ci@example.com")
    git("config", "user.name", "ci")
    shutil.copy(EXAMPLES / "starter.yaml", repo / "plan.yaml")
    git("add", "plan.yaml")
    git("commit", "-qm", "base")
    # The pull request: the API gets a second warm instance.
    (repo / "plan.yaml").write_text((repo / "plan.yaml").read_text().replace("min_instances: 1", "min_instances: 2"))
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}", "PLAN": "plan.yaml",
           "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main"}
    for command in _commands():
        command = re.sub(r"origin/\$\{\{ github.base_ref \}\}|origin/\$CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main",
                         command)
        result = subprocess.run(["bash", "-c", command], cwd=repo, capture_output=True, text=True, env=env)
        # The starter has error-level findings, so the gating check fails the job, as it should.
        expected = 1 if re.search(r"check \"\$PLAN\"( --format github)? --fail-on error", command) else 0
        assert result.returncode == expected, f"{command}\n{result.stdout[-1500:]}\n{result.stderr[-1500:]}"
    assert "min_instances" in (repo / "diff.md").read_text() or "api" in (repo / "diff.md").read_text()
    assert (repo / "archplan.sarif").exists() and (repo / "cost-focus.csv").exists()
