"""A plan's figures as the page shows them: the `cost` and `check` JSON documents (the same functions the CLI
renders), the diagram, the charts and the calculator's inputs. Plain data, computed once per plan state."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Evaluation:
    data: dict  # JSON-ready


_SOURCES: dict[str, str] = {}  # diagram id -> Graphviz source, for /api/diagram/{id}
_MAX_SOURCES = 256


def remember_diagram(source: str) -> str:
    """An id for a diagram source; the SVG is drawn only when the page asks for that id."""
    identity = hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]
    if identity not in _SOURCES:
        if len(_SOURCES) >= _MAX_SOURCES:
            _SOURCES.pop(next(iter(_SOURCES)))
        _SOURCES[identity] = source
    return identity


@lru_cache(maxsize=64)
def diagram_svg(identity: str) -> str | None:
    """The SVG for a diagram id (None when unknown): Graphviz runs once per drawing."""
    from archplan.doc import dot

    source = _SOURCES.get(identity)
    return None if source is None else dot.inline_svg(dot.svg(source))


def evaluate_spec(spec) -> Evaluation:
    from archplan.analysis.cost import cost_report
    from archplan.check import run_checks
    from archplan.doc import dot
    from archplan.doc.graph import build_graph
    from archplan.plan import resolve
    from archplan.render import charts, check_json, cost_json
    from archplan.serve.knobs import component_knobs, traffic_knobs

    plan = resolve(spec)
    cost = cost_json.as_data(cost_report(plan))
    check = check_json.as_data(run_checks(plan))
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
    return Evaluation(data)


def _money(total: dict) -> tuple[float, float]:
    return total["usd"], total["inr"]


def compare(saved: dict, changed: dict) -> dict:
    """What the changes move, against the saved plan: totals, components, categories, availability per entry
    point, findings raised and resolved. Differences of figures the API computed, nothing more."""
    def by_component(data):
        return {c["name"]: c["monthly"] for c in data["cost"]["components"]}

    before, after = by_component(saved), by_component(changed)
    components = []
    for name in list(before) + [n for n in after if n not in before]:
        old, new = before.get(name), after.get(name)
        old_usd = old["usd"] if old else 0
        new_usd = new["usd"] if new else 0
        if old is None or new is None or abs(new_usd - old_usd) >= 0.005:
            components.append({"name": name, "before": old, "after": new,
                               "delta": {"usd": round(new_usd - old_usd, 2),
                                         "inr": round((new["inr"] if new else 0) - (old["inr"] if old else 0), 2)},
                               "status": "added" if old is None else "removed" if new is None else "changed"})
    total_before, total_after = saved["cost"]["total"], changed["cost"]["total"]

    def entries(data):
        availability = data["check"].get("availability") or {}
        rows = {e.get("name") or e["entry"]: e["percent"] for e in availability.get("entries", [])}
        rows["(composite)"] = availability.get("composite_percent")
        return rows

    avail_before, avail_after = entries(saved), entries(changed)
    availability = [{"entry": entry, "before": avail_before.get(entry), "after": avail_after.get(entry)}
                    for entry in dict.fromkeys(list(avail_before) + list(avail_after))
                    if avail_before.get(entry) != avail_after.get(entry)]

    def finding_keys(data):
        return {(f["id"], f.get("component") or ""): f for f in data["check"]["findings"]}

    found_before, found_after = finding_keys(saved), finding_keys(changed)
    return {
        "total": {"before": total_before, "after": total_after,
                  "delta": {"usd": round(total_after["usd"] - total_before["usd"], 2),
                            "inr": round(total_after["inr"] - total_before["inr"], 2)}},
        "components": components,
        "availability": availability,
        "findings_raised": [found_after[k] for k in found_after if k not in found_before],
        "findings_resolved": [found_before[k] for k in found_before if k not in found_after],
    }
