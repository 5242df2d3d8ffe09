"""Data flows one way: plan file -> spec -> resolved plan -> analyses -> renderers. The spec layer (and the
naming rules it shares with the generators) imports nothing from the layers above it, not even lazily."""
from __future__ import annotations

import ast

from tests.conftest import ROOT

SOURCE = ROOT / "src" / "archplan"
ABOVE_THE_SPEC = ("plan", "analysis", "pricing", "check", "generate", "doc", "render", "scale", "simulate", "serve",
                  "decide", "diff", "importers", "assess", "cli", "validate")


def _imported(path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_the_spec_layer_imports_nothing_above_it():
    files = sorted((SOURCE / "spec").rglob("*.py")) + [SOURCE / "naming.py"]
    wrong = [f"{path.relative_to(SOURCE)} imports {module}" for path in files for module in _imported(path)
             if module.startswith("archplan.") and module.split(".")[1] in ABOVE_THE_SPEC]
    assert not wrong, wrong


def test_the_generators_and_the_spec_share_one_naming_rule():
    from archplan import naming
    from archplan.generate import context

    assert context.ident is naming.ident and context.slug is naming.slug and context.env_key is naming.env_key
