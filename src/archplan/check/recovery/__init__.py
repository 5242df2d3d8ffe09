"""Recovery time and point per stateful component and failure scenario: one module per kind
(recovery/<kind>.py) with a function `rows(component, plan) -> list[Recovery]`. Kinds without a module hold no
state archplan models a recovery for. Every figure a row uses is a catalog fact (availability.yaml), and a
row says where Google publishes none and what is assumed instead."""
from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from functools import cache

from archplan import catalog
from archplan.components import module_names

# A restore of a small data set: Google publishes no duration (recovery_restore_minutes is null).
RESTORE_ASSUMED_MINUTES = 60.0


@dataclass
class Recovery:
    component: str
    scenario: str
    rto_minutes: float
    rpo_minutes: float
    basis: str


@cache
def kinds() -> frozenset[str]:
    """The kinds with a recovery module, from the file names: a plan's check imports only its own kinds'."""
    return frozenset(module_names(os.path.dirname(__file__)))


def module(kind: str):
    return importlib.import_module(f"archplan.check.recovery.{kind}") if kind in kinds() else None


def recovery(plan) -> list[Recovery]:
    """Recovery time and point for each stateful component, by failure scenario, in plan order. A multi-region
    plan lists the rows of a module's LISTED_FIRST scenarios (Cloud SQL's, a Redis instance's zone outage) before
    the others, the order its reports have always had."""
    from archplan.check import regions

    rows: list[tuple[Recovery, bool]] = []
    for component in plan.components:
        found = module(component.kind)
        if found is not None:
            first = getattr(found, "LISTED_FIRST", ())
            rows += [(row, row.scenario in first) for row in found.rows(component, plan)]
    if regions.is_multi_region(plan):
        rows.sort(key=lambda pair: not pair[1])  # stable: plan order within each group
    return [row for row, _first in rows]


def fact(key: str):
    return catalog.service("availability").fact(key)


def figure(key: str) -> float:
    return float(fact(key).decimal)


def minutes(key: str) -> float | None:
    """A fact in seconds as minutes; None where Google publishes no figure (the caller says what it assumes)."""
    found = fact(key)
    return None if found.value is None else float(found.decimal) / 60


def restore(what: str) -> tuple[float, str]:
    """(RTO minutes, words) of a restore: Google publishes no duration, so it is assumed, and said so."""
    published = fact("recovery_restore_minutes")
    if published.value is not None:
        return float(published.decimal), f"{what} (~{published.decimal} min)"
    return RESTORE_ASSUMED_MINUTES, f"{what} (not published; assumed {RESTORE_ASSUMED_MINUTES:g} min)"
