"""A plan's figures as the page shows them: the `cost` and `check` JSON documents (the same functions the CLI
renders), the diagram, the charts and the calculator's inputs. Plain data, computed once per plan state."""
from __future__ import annotations

import hashlib
import math
import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class Evaluation:
    data: dict  # JSON-ready
    assessment: object  # archplan.assess.Assessment: what `diff` compares


_SOURCES: dict[str, str] = {}  # diagram id -> Graphviz source, for /api/diagram/{id}
_MAX_SOURCES = 256
_DRAWN: dict[str, "str | DiagramError"] = {}  # diagram id -> its SVG, or why Graphviz could not draw it
_MAX_DRAWN = 64
_DRAWING: dict[str, threading.Lock] = {}  # diagram id -> held while Graphviz draws it
_GUARD = threading.Lock()  # the three tables above, shared by the request threads


class DiagramError(Exception):
    """Graphviz could not draw a diagram (too big to lay out in time, say): one line for the page."""


def _bounded(table: dict, key: str, value, most: int) -> None:
    if key not in table and len(table) >= most:
        table.pop(next(iter(table)))
    table[key] = value


def remember_diagram(source: str) -> str:
    """An id for a diagram source; the SVG is drawn only when the page asks for that id."""
    identity = hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]
    with _GUARD:
        _bounded(_SOURCES, identity, source, _MAX_SOURCES)
    return identity


def diagram_svg(identity: str) -> str | None:
    """The SVG for a diagram id (None when unknown). Graphviz runs once per drawing, however many requests ask
    for it at once; a drawing it failed is remembered as a DiagramError, raised to every later request, so
    a plan too big to lay out costs one Graphviz timeout, not one per page refresh."""
    from archplan.doc import dot
    from archplan.errors import UsageError

    with _GUARD:
        source = _SOURCES.get(identity)
        if source is None:
            return None
        drawing = _DRAWING.setdefault(identity, threading.Lock())
    with drawing:
        with _GUARD:
            drawn = _DRAWN.get(identity)
        if drawn is None:
            try:
                drawn = dot.inline_svg(dot.svg(source))
            except UsageError as error:  # dot missing, failed or out of time: its own one-line reason
                drawn = DiagramError(str(error))
            with _GUARD:
                _bounded(_DRAWN, identity, drawn, _MAX_DRAWN)
                _DRAWING.pop(identity, None)
    if isinstance(drawn, DiagramError):
        raise drawn
    return drawn


def evaluate_spec(spec) -> Evaluation:
    from archplan.assess import assess
    from archplan.doc import dot
    from archplan.doc.graph import build_graph
    from archplan.render import charts, check_json, cost_json
    from archplan.serve.knobs import component_knobs, traffic_knobs

    assessment = assess(spec)
    plan = assessment.plan
    cost = cost_json.as_data(assessment.cost)
    check = check_json.as_data(assessment.check)
    source = dot.to_dot(build_graph(plan))
    components = {}
    for component in plan.components:
        components[component.name] = {
            "kind": component.kind, "category": component.category, "line": component.line,
            "settings": component.spec.model_dump(mode="json", exclude_unset=True, exclude={"kind"}),
            "knobs": component_knobs(component.spec),
        }
    data = {
        "project": plan.spec.project.name, "environment": plan.environment, "region": plan.region,
        "currency": cost["currency"], "cost": cost, "check": check, "components": components,
        "traffic_knobs": traffic_knobs(spec),
        "diagram": {"id": remember_diagram(source)},
        "charts": charts.all_charts(cost, check),
    }
    return Evaluation(data, assessment)


def json_safe(value):
    """Plain data with non-finite floats as null (JSON has no infinity)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_safe(item) for item in value]
    return value


def compare(saved: Evaluation, changed: Evaluation, saved_label: str, changed_label: str) -> dict:
    """`archplan diff` between two evaluations (schema archplan.diff/v1): settings, cost per line item and
    component in both currencies, availability per entry point, capacity headroom, findings raised and
    resolved."""
    from archplan.assess import plain_data
    from archplan.diff import compare as diff

    return json_safe(plain_data(diff(saved.assessment, changed.assessment, saved_label, changed_label)))
