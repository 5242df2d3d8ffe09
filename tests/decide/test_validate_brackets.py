"""`validate` runs the document's growth section at the load points that bracket the document's own
(scale.bracketing_points): for each phase, every load the document evaluates with that phase's plan lies
between two loads validate evaluates with it, and validate evaluates far fewer."""
from __future__ import annotations

import copy
from decimal import Decimal

import pytest
import yaml

from archplan import scale as scale_package
from archplan.doc.command import build_site
from archplan.scale import bracketing_points
from archplan.spec.load import load_spec
from tests.conftest import EXAMPLES


def _evaluated(monkeypatch, spec, graphviz: bool) -> list[tuple[str | None, Decimal]]:
    seen = []
    original = scale_package._Evaluator._evaluate

    def recording(self, phase, load):
        seen.append((phase, load))
        return original(self, phase, load)

    monkeypatch.setattr(scale_package._Evaluator, "_evaluate", recording)
    build_site(spec, graphviz=graphviz)
    monkeypatch.setattr(scale_package._Evaluator, "_evaluate", original)
    return seen


def _plan(tmp_path, phases: bool, gap: bool = False):
    document = yaml.safe_load((EXAMPLES / "event-platform.yaml").read_text())
    document["project"].pop("environments", None)
    document["project"].pop("default_environment", None)
    document.pop("claims", None)
    if not phases:
        document.pop("phases", None)
    elif gap:  # a gap between the first two phases: its points are priced with the last phase
        document["phases"] = copy.deepcopy(document["phases"])
        document["phases"][1]["min_users"] = document["phases"][0]["max_users"] * 4
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return load_spec(str(path))


@pytest.mark.parametrize(("phases", "gap"), [(True, False), (True, True), (False, False)])
def test_validate_brackets_every_load_the_document_evaluates(monkeypatch, tmp_path, phases, gap):
    spec = _plan(tmp_path, phases, gap)
    full = _evaluated(monkeypatch, spec, graphviz=True)
    brief = _evaluated(monkeypatch, spec, graphviz=False)
    assert full and len(set(brief)) < len(set(full))
    for phase, load in full:
        loads = [at for name, at in brief if name == phase]
        assert loads and min(loads) <= load <= max(loads), (phase, load, sorted(loads))


def test_bracketing_points_keep_the_ends_and_the_ends_of_what_no_phase_holds():
    class Phase:
        def __init__(self, low, high):
            self.name, self.min_users = f"from {low}", Decimal(low)
            self.max_users = None if high is None else Decimal(high)

    points = [Decimal(n) for n in (10, 20, 50, 100, 120, 150, 200, 500, 1000)]
    assert bracketing_points([], points) == [Decimal(10), Decimal(1000)]
    # 100..150 fall between the phases: priced with the last phase, so their ends are kept too (50, the first
    # phase's top end, is that phase's: _phase_ranges evaluates it there)
    assert bracketing_points([Phase(10, 50), Phase(200, None)], points) == \
        [Decimal(10), Decimal(100), Decimal(150), Decimal(1000)]
