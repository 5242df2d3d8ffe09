"""Which published SLA applies to a component: one module per kind (sla/<kind>.py) with a function
`sla(spec) -> SlaChoice`. Kinds without a module have no SLA modelled (they are assumed, and said so)."""
from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from functools import cache

from archplan.components import module_names


@dataclass(frozen=True)
class SlaChoice:
    fact: str | None  # key in catalog availability facts; None: no published SLA applies
    configuration: str  # in the user's words, e.g. "Cloud SQL Enterprise, HA (regional)"
    parallel: int = 1  # identical independent copies (VMs, pods across zones): available if any one is
    single_fact: str | None = None  # the SLA of one copy when parallel > 1


@cache
def kinds() -> frozenset[str]:
    """The kinds with an SLA module, from the file names: a plan's check imports only its own kinds'."""
    return frozenset(module_names(os.path.dirname(__file__)))


def module(kind: str):
    return importlib.import_module(f"archplan.check.sla.{kind}") if kind in kinds() else None


def choose(kind: str, spec) -> SlaChoice | None:
    found = module(kind)
    return found.sla(spec) if found else None
