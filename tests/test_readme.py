"""Every command of the README's `sh` blocks runs, in order, in a scratch folder holding the examples and
the Terraform fixtures, and exits 0 (the tour: init, validate, cost, check, generate, explain...)."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"^```sh\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    return [line for block in blocks for line in block.splitlines() if line.strip() and not line.startswith("#")]


def test_the_tour_is_init_validate_cost_check_generate_on_a_new_plan():
    commands = [c.split()[1] for c in readme_commands() if c.startswith("archplan ")]
    assert commands[:5] == ["init", "validate", "cost", "check", "generate"]
    first = readme_commands()[0]
    plan = first.split("-o ")[1].split()[0]
    assert plan not in {p.name for p in (ROOT / "examples").glob("*.yaml")}


def test_every_readme_command_runs(tmp_path):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    shutil.copytree(ROOT / "tests" / "fixtures" / "terraform", tmp_path / "tests" / "fixtures" / "terraform")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    commands = readme_commands()
    assert len(commands) >= 15
    for command in commands:
        result = subprocess.run(["bash", "-c", command], cwd=tmp_path, capture_output=True, text=True, env=env,
                                timeout=300)
        assert result.returncode == 0, f"{command}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        assert "Traceback" not in result.stderr, command
