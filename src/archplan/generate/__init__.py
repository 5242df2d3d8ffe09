"""`archplan generate`: deployable files for a plan.

Each target is a subpackage here with `TARGET` (its --target name), `ORDER`, `needed(ctx)` (does the plan
call for it) and `render(ctx, header) -> {relative path: text}`. Nothing here lists them: a new target is a
new subpackage.
"""
from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from types import ModuleType


@cache
def targets() -> dict[str, ModuleType]:
    import archplan.generate as package

    found = []
    for info in pkgutil.iter_modules(package.__path__):
        if not info.ispkg:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "TARGET"):
            found.append(module)
    return {module.TARGET: module for module in sorted(found, key=lambda m: m.ORDER)}
