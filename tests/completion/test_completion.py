"""Shell completion: the bash script is run by bash on real command lines; the zsh and fish scripts are
checked by those shells when they are installed; all three cover every command and flag of the parser."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from archplan.cli import build_parser
from archplan.completion import describe
from tests.conftest import EXAMPLES, ROOT
from tests.test_cli import run

STARTER = str(EXAMPLES / "starter.yaml")
BIN = str(Path(sys.executable).parent)


def complete_bash(*words: str) -> list[str]:
    script = run("completion", "bash").stdout
    line = " ".join(f"'{w}'" for w in words)
    program = f'{script}\nCOMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; _archplan; printf "%s\\n" "${{COMPREPLY[@]}}"'
    result = subprocess.run(["bash", "-c", program], capture_output=True, text=True, cwd=ROOT,
                            env={**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"})
    assert result.returncode == 0, result.stderr
    return [w for w in result.stdout.splitlines() if w]


def test_bash_commands_flags_and_choices():
    commands = list(describe(build_parser()))
    assert complete_bash("archplan", "") == commands
    assert "__complete" not in commands
    assert complete_bash("archplan", "ex") == ["explain"]
    assert complete_bash("archplan", "cost", "p.yaml", "--format", "") == ["table", "json", "md", "csv", "focus"]
    assert complete_bash("archplan", "check", "p.yaml", "--f") == ["--fail-on", "--format"]
    assert complete_bash("archplan", "import", "") == ["terraform", "terraform-plan"]


def test_bash_regions_templates_and_plan_components():
    from archplan import catalog

    assert complete_bash("archplan", "init", "--region", "") == list(catalog.supported_regions())
    assert complete_bash("archplan", "init", "--template", "r") == ["rag-chatbot"]
    # Component names of the plan given, and the rule ids, for explain.
    assert complete_bash("archplan", "explain", STARTER, "u") == ["uploads"]
    assert "SEC-001" in complete_bash("archplan", "explain", STARTER, "SEC")


def test_complete_helper_is_quiet_on_a_bad_plan(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("components: [\n")
    result = run("__complete", "components", str(bad))
    assert result.returncode == 0 and result.stdout == ""


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_every_command_and_flag_is_in_each_script(shell):
    script = run("completion", shell).stdout
    for name, info in describe(build_parser()).items():
        assert name in script
        for flag in info["flags"]:
            assert (flag[2:] if shell == "fish" and flag.startswith("--") else flag) in script, (name, flag)


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_script_parses_and_loads(tmp_path):
    script = tmp_path / "_archplan"
    script.write_text(run("completion", "zsh").stdout)
    assert subprocess.run(["zsh", "-n", str(script)], capture_output=True).returncode == 0
    loaded = subprocess.run(["zsh", "-c", f"autoload -U compinit && compinit -u && source {script} && "
                                          "print ${_comps[archplan]}"], capture_output=True, text=True)
    assert loaded.stdout.strip() == "_archplan", loaded.stderr


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_script_parses_and_completes(tmp_path):
    script = tmp_path / "archplan.fish"
    script.write_text(run("completion", "fish").stdout)
    assert subprocess.run(["fish", "--no-execute", str(script)], capture_output=True).returncode == 0
    done = subprocess.run(["fish", "-c", f"source {script}; complete -C 'archplan cost x.yaml --format '"],
                          capture_output=True, text=True, env={**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"})
    assert sorted(done.stdout.split()) == sorted(["table", "json", "md", "csv", "focus"]), done.stderr
