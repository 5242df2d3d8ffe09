"""Every decision command the README shows on an example runs (exit 0, or 1 for a gate or an infeasible
target), as Cloud Foundation Fabric's tested READMEs do."""
from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest

from archplan.cli import main

ROOT = Path(__file__).resolve().parents[2]
SECTION = (ROOT / "README.md").read_text().split("## Decisions: diff, scale, optimize", 1)[1].split("\n## ", 1)[0]
COMMANDS = [line.split("#")[0].strip() for line in SECTION.splitlines() if re.match(r"archplan (diff|scale|optimize) ", line)]


@pytest.mark.parametrize("command", [c for c in COMMANDS if "examples/" in c])
def test_readme_command_runs(command, tmp_path, capsys):
    argv = shlex.split(command)[1:]
    argv = [str(tmp_path / a) if a.endswith((".svg", ".png", ".md")) else a for a in argv]
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        code = main(argv)
    finally:
        os.chdir(here)
    assert code in (0, 1)
    assert capsys.readouterr().out


def test_readme_shows_each_command():
    assert {c.split()[1] for c in COMMANDS} == {"diff", "scale", "optimize"}
