"""`archplan cost` starts fast because it imports only what pricing needs (the timing itself is measured
by benchmarks/cost.py, not here): these tests fail when a change makes the cost path import a package
that only another command uses."""
from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from archplan import components
from archplan.check import rules, sla
from archplan.cli import PACKAGE_COMMANDS, build_parser, main

ROOT = Path(__file__).resolve().parent.parent
NOT_ON_THE_COST_PATH = ("archplan.diff", "archplan.scale", "archplan.optimize", "archplan.importers",
                        "archplan.init", "archplan.generate", "archplan.check", "archplan.doc", "archplan.simulate",
                        "archplan.serve", "archplan.assess")


def modules_after(*argv: str) -> list[str]:
    """The modules a run of `archplan ARGV...` has imported, from a fresh interpreter."""
    code = ("import json, sys, io, contextlib\n"
            "from archplan.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    code = main({list(argv)!r})\n"
            "print(json.dumps([code, sorted(sys.modules)]))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    code, modules = json.loads(out.stdout)
    assert code in (0, 1)  # check exits 1 on error-level findings
    return modules


def kinds_of(plan: Path) -> set[str]:
    return {body["kind"] for body in yaml.safe_load(plan.read_text())["components"].values()}


def test_cost_imports_no_other_commands_packages():
    modules = modules_after("cost", str(ROOT / "examples" / "starter.yaml"))
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


@pytest.mark.parametrize("command", ["cost", "check"])
def test_a_run_imports_only_its_plans_kinds_pricers_and_slas(command):
    plan = ROOT / "examples" / "cotton-erp.yaml"
    modules = modules_after(command, str(plan))
    used = kinds_of(plan)
    assert {m.rsplit(".", 1)[1] for m in modules if m.startswith("archplan.components.")
            and not m.rsplit(".", 1)[1].startswith("_")} - {"base"} == used
    assert {m.rsplit(".", 1)[1] for m in modules if m.startswith("archplan.pricing.")
            and not m.rsplit(".", 1)[1].startswith("_")} - {"base", "inter_region"} == used
    slas = {m.rsplit(".", 1)[1] for m in modules if m.startswith("archplan.check.sla.")}
    assert slas == (used & sla.kinds() if command == "check" else set())
    # pydantic's plugin loader is stood in for while plugins are off: no scan of every package's metadata
    assert "importlib.metadata" not in modules


def test_the_kind_and_sla_lists_are_every_module_in_their_folders():
    """A kind (or an SLA) is picked up by its file alone: the lists are read from the folders, and hold
    exactly what importing the packages the slow way (pkgutil) finds."""
    def public(package) -> set[str]:
        return {m.name for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_")}

    assert set(components.kinds()) == public(components) - {"base"}
    assert set(sla.kinds()) == public(sla) and sla.kinds() <= set(components.kinds())
    assert {m.__name__.rsplit(".", 1)[1] for m in rules.modules()} == public(rules)
    for kind in components.kinds():
        assert components.kind_module(kind).Spec and components.pricer_module(kind).price


def test_pydantic_still_gets_its_real_plugin_loader_when_it_asks_for_more():
    code = ("import os, sys\n"
            "from archplan.cli import _without_pydantic_plugins\n"
            "_without_pydantic_plugins()\n"
            "from pydantic.plugin._loader import get_plugins\n"
            "assert tuple(get_plugins()) == () and 'importlib.metadata' not in sys.modules\n"
            "from pydantic.plugin._loader import PYDANTIC_ENTRY_POINT_GROUP\n"
            "assert PYDANTIC_ENTRY_POINT_GROUP == 'pydantic' and 'importlib.metadata' in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    # a plugin the user names is not switched off for them: then the real loader is used from the start
    code = ("import os, sys\n"
            "os.environ['PYDANTIC_DISABLE_PLUGINS'] = 'some_plugin'\n"
            "from archplan.cli import _without_pydantic_plugins\n"
            "_without_pydantic_plugins()\n"
            "assert 'pydantic.plugin._loader' not in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_the_garbage_collector_is_paused_only_while_a_plan_loads():
    code = ("import gc, sys\n"
            "from archplan.cli import _load, _start_up\n"
            "spec = _load(sys.argv[1], None)\n"
            "assert gc.isenabled() and gc.get_freeze_count() > 1000  # start-up's objects left out of scans\n"
            "with _start_up():\n"
            "    assert not gc.isenabled()\n"
            "    with _start_up():\n"
            "        pass\n"
            "    assert not gc.isenabled()  # an inner start-up does not switch it back on early\n"
            "assert gc.isenabled()\n"
            "try:\n"
            "    _load('/nonexistent/plan.yaml', None)\n"
            "except Exception:\n"
            "    pass\n"
            "assert gc.isenabled()  # on after a plan that fails to load too\n")
    subprocess.run([sys.executable, "-c", code, str(ROOT / "examples" / "starter.yaml")], check=True, cwd=ROOT)
