"""Which published SLA applies to a component: one module per kind (sla/<kind>.py) with a function
`sla(spec) -> SlaChoice`. Kinds without a module have no SLA modelled (they are assumed, and said so)."""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class SlaChoice:
    fact: str | None  # key in catalog availability facts; None: no published SLA applies
    configuration: str  # in the user's words, e.g. "Cloud SQL Enterprise, HA (regional)"
    parallel: int = 1  # identical independent copies (VMs, pods across zones): available if any one is
    single_fact: str | None = None  # the SLA of one copy when parallel > 1


@cache
def modules() -> dict[str, object]:
    import archplan.check.sla as package

    return {m.name: importlib.import_module(f"archplan.check.sla.{m.name}")
            for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_")}


def choose(kind: str, spec) -> SlaChoice | None:
    module = modules().get(kind)
    return module.sla(spec) if module else None
