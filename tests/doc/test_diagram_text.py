"""Any text a user writes (a component's brief, a provider's name, a deployment, a region) draws: Graphviz never
rejects the DOT, and the words come out in the node."""
from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archplan.doc import dot
from archplan.doc.graph import ArchitectureGraph, Node
from archplan.doc.layers import LAYER_BY_KEY
from tests.doc.helpers import graph_of, spec_from

SVG = "{http://www.w3.org/2000/svg}"


def _graph(brief: str, kind_label: str = "Cloud Run", workloads: tuple[str, ...] = (),
           region: str | None = None) -> ArchitectureGraph:
    node = Node("api", "cloud_run", kind_label, "compute", "box", brief, workloads, region=region)
    layers = [(LAYER_BY_KEY["compute"], [node])]
    regions = [(region, layers)] if region is not None else []
    return ArchitectureGraph("t", [node], [], [], "users", layers, regions)


def _node_texts(svg_text: str, name: str) -> list[str]:
    root = ElementTree.fromstring(svg_text.split("?>", 1)[1])
    for group in root.iter(f"{SVG}g"):
        if group.get("id") == f"node:{name}":
            return ["".join(t.itertext()) for t in group.iter(f"{SVG}text")]
    raise AssertionError(f"no node {name} in the SVG")


def test_a_node_with_an_empty_brief_and_label_draws():
    # Regression: an empty brief wrote <FONT ...></FONT>, which dot rejects ("syntax error in line 1").
    source = dot.to_dot(_graph("", kind_label="", workloads=("",), region=""))
    assert "></FONT>" not in source and "<B></B>" not in source
    assert _node_texts(dot.svg(source), "api") == ["api"]


def test_an_external_service_with_an_empty_provider_draws(tmp_path):
    document = {"project": {"name": "t", "region": "us-central1"},
                "components": {"sms": {"kind": "external", "provider": "", "service": "sms",
                                       "items": [{"description": "", "currency": "USD", "unit_price": 0.01,
                                                  "quantity_per_month": 10, "unit": "SMS"}]}}}
    _plan, graph = graph_of(spec_from(document, tmp_path))
    assert "sms" in _node_texts(dot.svg(dot.to_dot(graph)), "sms")


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(brief=_TEXT, kind_label=_TEXT, workload=_TEXT, region=st.none() | _TEXT)
def test_any_brief_label_workload_and_region_draws(brief, kind_label, workload, region):
    svg_text = dot.svg(dot.to_dot(_graph(brief, kind_label, (workload,), region)))
    drawn = "".join("".join(_node_texts(svg_text, "api")).split())
    written = "".join(dot._CONTROL.sub(" ", brief).split())
    assert written in drawn, (written, drawn)


@pytest.mark.parametrize("brief", ["\\E", "\\N", "C:\\G\\L", "ends with \\"])
def test_graphviz_escapes_in_a_label_draw_as_written(brief):
    """Graphviz reads \\N, \\E, \\G in a label as the node's, edge's or graph's name, also in HTML labels: a
    brief of '\\E' drew nothing, one of '\\N' the node's name."""
    svg_text = dot.svg(dot.to_dot(_graph(brief, "k", ("w",), None)))
    assert brief in "".join(_node_texts(svg_text, "api"))
