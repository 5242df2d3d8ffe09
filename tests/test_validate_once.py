"""`validate` runs every command in every environment, but resolves, prices and checks each environment once:
the document's scaling phases and its check sections read the plans and reports validate already has. The
document built that way is the one `doc` builds on its own."""
from __future__ import annotations

import os

from archplan import catalog
from archplan.analysis import cost
from archplan.check import capacity
from archplan.doc import content
from archplan.doc.graph import build_graph
from archplan.plan import resolve
from archplan.spec.load import load_every_environment, load_spec
from archplan.validate import exercise_every_environment
from tests.conftest import ROOT

PLAN = "examples/event-platform.yaml"  # two environments besides the plan as written


def _counting(monkeypatch, module, name):
    """The specs of the plans module.name is called with (scale and claims price plans of their own)."""
    calls = []
    original = getattr(module, name)

    def counted(plan, *args, **kwargs):
        calls.append(plan.spec)
        return original(plan, *args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_each_environment_is_priced_and_checked_once(monkeypatch):
    os.chdir(ROOT)
    content._environment_plan_of.cache_clear()
    specs = load_every_environment(PLAN, catalog.supported_regions())
    priced = _counting(monkeypatch, cost, "_cost_report")
    analysed = _counting(monkeypatch, capacity, "_analyse")
    loaded = []
    load = content._load_environment
    monkeypatch.setattr(content, "_load_environment", lambda file, name: loaded.append(name) or load(file, name))
    exercise_every_environment(specs)
    assert len(specs) >= 3
    for spec in specs:  # once each: the phases table and the check sections read what validate computed
        assert sum(1 for s in priced if s is spec) == 1, spec.environment
        assert sum(1 for s in analysed if s is spec) == 1, spec.environment
    assert loaded == []  # no environment loaded again for the phases table


def test_the_document_from_shared_plans_is_the_document_doc_builds():
    os.chdir(ROOT)
    content._environment_plan_of.cache_clear()
    spec = load_spec(PLAN, "growth", catalog.supported_regions())
    plan = resolve(spec)
    alone = content.build(plan, build_graph(plan), PLAN)
    others = {s.environment: resolve(s) for s in load_every_environment(PLAN, catalog.supported_regions())}
    shared = content.build(plan, build_graph(plan), PLAN, others)
    phases = [next(s for s in document.sections if s.key == "phases") for document in (alone, shared)]
    assert phases[0] == phases[1] and len(phases[0].blocks[1].rows) >= 3
    assert alone == shared
