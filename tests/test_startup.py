"""`archplan cost` starts fast because it imports only what pricing needs (the timing itself is measured
by benchmarks/cost.py, not here): these tests fail when a change makes the cost path import a package
that only another command uses."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from archplan.cli import PACKAGE_COMMANDS, build_parser, main

ROOT = Path(__file__).resolve().parent.parent
NOT_ON_THE_COST_PATH = ("archplan.diff", "archplan.scale", "archplan.optimize", "archplan.importers",
                        "archplan.init", "archplan.generate", "archplan.check", "archplan.doc", "archplan.simulate",
                        "archplan.serve", "archplan.assess")


def test_cost_imports_no_other_commands_packages():
    code = ("import json, sys, io, contextlib\n"
            "from archplan.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    code = main(['cost', {str(ROOT / 'examples' / 'starter.yaml')!r}])\n"
            "print(json.dumps([code, sorted(sys.modules)]))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    code, modules = json.loads(out.stdout)
    assert code == 0
    loaded = [name for name in modules if name.split(".")[0] == "archplan"]
    assert "archplan.analysis.cost" in loaded  # it did price the plan
    assert not [name for name in loaded if name.startswith(NOT_ON_THE_COST_PATH)]


def test_every_command_is_listed_when_none_or_an_unknown_one_is_named(capsys):
    full = build_parser()._subparsers._group_actions[0].choices
    assert set(PACKAGE_COMMANDS) <= set(full)
    with pytest.raises(SystemExit):
        main(["cots", "plan.yaml"])
    error = capsys.readouterr().err
    assert all(f"'{name}'" in error for name in full if not name.startswith("_"))


@pytest.mark.parametrize("command", PACKAGE_COMMANDS)
def test_package_commands_still_parse(command, capsys):
    with pytest.raises(SystemExit) as exit_code:
        main([command, "--help"])
    assert exit_code.value.code == 0 and f"usage: archplan {command}" in capsys.readouterr().out
