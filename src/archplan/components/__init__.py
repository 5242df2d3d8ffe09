"""The registry of component kinds. A kind is a module in this package named after it (cloud_run.py
for `kind: cloud_run`) with a `Spec` model and a `usage()` function; its pricer is the module of
the same name in archplan.pricing. Adding a kind is adding those files: nothing here lists them."""
from __future__ import annotations

import importlib
import os
from functools import cache
from types import ModuleType

_NOT_KINDS = {"base"}


def module_names(folder: str) -> tuple[str, ...]:
    """The public modules of a package folder (its .py files not starting with `_`), found without
    importing any: os.scandir, as pkgutil would cost start-up time for the same list. Packages with one
    module per kind (kinds here, SLAs in check/sla) use it so that a run imports only the modules it needs."""
    names = (entry.name[:-3] for entry in os.scandir(folder) if entry.name.endswith(".py") and entry.is_file())
    return tuple(sorted(name for name in names if not name.startswith("_")))


@cache
def kinds() -> tuple[str, ...]:
    return tuple(name for name in module_names(os.path.dirname(__file__)) if name not in _NOT_KINDS)


def kind_module(kind: str) -> ModuleType:
    module = _KIND_MODULES.get(kind)
    if module is None:
        if kind not in kinds():
            raise KeyError(kind)
        module = _KIND_MODULES[kind] = importlib.import_module(f"archplan.components.{kind}")
    return module


def pricer_module(kind: str) -> ModuleType:
    module = _PRICER_MODULES.get(kind)
    if module is None:
        module = _PRICER_MODULES[kind] = importlib.import_module(f"archplan.pricing.{kind}")
    return module


# Looked up once per component (and per load point in `scale`); import_module's own lookup is not free.
_KIND_MODULES: dict[str, ModuleType] = {}
_PRICER_MODULES: dict[str, ModuleType] = {}
