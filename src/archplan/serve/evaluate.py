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
_DRAWING: dict[str, object] = {}  # diagram id -> an anyio.Event set when the drawing under way ends
_GUARD = threading.Lock()  # _SOURCES, written by the request threads that evaluate


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


def draw(source: str) -> str:
    """Graphviz's SVG of a diagram source, for the page (run in a worker process: see diagram_svg)."""
    from archplan.doc import dot

    return dot.inline_svg(dot.svg(source))


async def diagram_svg(identity: str, drawing) -> str | None:
    """The SVG for a diagram id (None when unknown), drawn by `await drawing(source)`. Graphviz runs once per
    diagram however many requests ask for it at once (they wait for the one drawing it); a drawing it
    failed (`drawing` raises DiagramError) is remembered and raised to every later request, so a plan too
    big to lay out costs one Graphviz timeout, not one per page refresh. Runs on the event loop's thread."""
    import anyio

    with _GUARD:
        source = _SOURCES.get(identity)
    if source is None:
        return None
    while identity not in _DRAWN:
        under_way = _DRAWING.get(identity)
        if under_way is not None:
            await under_way.wait()  # if that request was cancelled, the loop draws it here
            continue
        _DRAWING[identity] = done = anyio.Event()
        try:
            _bounded(_DRAWN, identity, await drawing(source), _MAX_DRAWN)
        except DiagramError as error:
            _bounded(_DRAWN, identity, error, _MAX_DRAWN)
        finally:
            del _DRAWING[identity]
            done.set()
    drawn = _DRAWN[identity]
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
