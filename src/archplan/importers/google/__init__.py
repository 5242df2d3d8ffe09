"""Mappers from google provider resource types to archplan components, one module per archplan kind (named
after it, like components/ and pricing/). Each module declares RESOURCE_TYPES (the resources that make a
component of its kind), optionally SUPPORTING (resources that belong to such a component: its databases,
users, node pools...) and `components(resources, ctx) -> list[Mapped]`. Nothing here lists the kinds."""
from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from types import ModuleType


@cache
def mappers() -> dict[str, ModuleType]:
    import archplan.importers.google as package

    names = sorted(m.name for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_"))
    return {name: importlib.import_module(f"{__name__}.{name}") for name in names}


@cache
def resource_kinds() -> dict[str, str]:
    """Resource type -> the archplan kind whose mapper reads it."""
    return {resource_type: kind for kind, module in mappers().items() for resource_type in module.RESOURCE_TYPES}


@cache
def supporting_types() -> frozenset[str]:
    from archplan.importers.google._base import PLUMBING

    found = set(PLUMBING)
    for module in mappers().values():
        found |= set(getattr(module, "SUPPORTING", ()))
    return frozenset(found)
