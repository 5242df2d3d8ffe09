"""A plan across regions is drawn with each region as a group (its layers inside), global services outside
any region; a single-region plan keeps the layers alone. Region labels are escaped for DOT and Mermaid."""
from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ElementTree

from archplan.doc import dot, mermaid
from archplan.doc.graph import ArchitectureGraph, Node, build_graph
from archplan.doc.layers import LAYER_BY_KEY
from archplan.plan import resolve
from archplan.spec.load import load_spec
from tests.conftest import EXAMPLES
from tests.generate.conftest import PLAN_FILES

SVG = "{http://www.w3.org/2000/svg}"


def multiregion_graph():
    return build_graph(resolve(load_spec(PLAN_FILES["multiregion"])))


def cluster_blocks(source: str) -> dict[str, str]:
    """DOT cluster id -> its text up to its closing brace (nested clusters included)."""
    found = {}
    lines = source.splitlines()
    for index, line in enumerate(lines):
        match = re.match(r'^(\s*)subgraph "([^"]+)" \{$', line)
        if match:
            pad = match.group(1)
            end = next(i for i in range(index + 1, len(lines)) if lines[i] == f"{pad}}}")
            found[match.group(2)] = "\n".join(lines[index:end + 1])
    return found


def test_regions_and_global_services_in_the_graph():
    graph = multiregion_graph()
    regions = {region: sorted(n.name for _layer, members in layers for n in members)
               for region, layers in graph.regions}
    assert regions == {"asia-south1": ["api-mumbai", "cache", "db", "egress", "images"],
                       "asia-south2": ["api-delhi", "images-delhi"]}
    # The load balancer is global; the dual-region bucket is in no single region.
    assert {n.name for n in graph.nodes if n.region is None} == {"lb", "media"}
    assert graph.title == "events: asia-south1, asia-south2"


def test_dot_draws_each_region_as_a_cluster_with_its_layers():
    source = dot.to_dot(multiregion_graph())
    clusters = cluster_blocks(source)
    assert 'label=<<B>asia-south1</B>>' in clusters["cluster_region_0"]
    assert '"api-delhi" [' in clusters["cluster_region_1_compute"]
    assert "cluster_region_1_compute" in clusters["cluster_region_1"]
    assert '"lb" [' in clusters["cluster_edge"] and '"lb" [' not in clusters["cluster_region_0"]
    assert '"media" [' in clusters["cluster_data"]
    # dot accepts it and draws both region labels.
    svg = ElementTree.fromstring(subprocess.run(["dot", "-Tsvg"], input=source.encode(), capture_output=True,
                                                check=True).stdout)
    texts = {t.text for t in svg.iter(f"{SVG}text")}
    assert {"asia-south1", "asia-south2"} <= texts


def test_mermaid_nests_layers_in_region_subgraphs():
    text = mermaid.to_mermaid(multiregion_graph())
    region = text.index('subgraph region_1["asia-south2"]')
    inner = text.index('subgraph region_1_compute["Compute"]')
    node = text.index("n_api_delhi[")
    assert region < inner < node
    assert 'subgraph layer_edge["Users and edge"]' in text  # the global load balancer's layer
    assert "style region_1 " in text


def test_single_region_plan_has_no_region_groups():
    graph = build_graph(resolve(load_spec(EXAMPLES / "starter.yaml")))
    assert graph.regions == []
    assert "cluster_region" not in dot.to_dot(graph) and "region_" not in mermaid.to_mermaid(graph)


def test_region_labels_are_escaped_for_each_format():
    hostile = 'r<b>"x"&y|#`z'
    compute = LAYER_BY_KEY["compute"]
    node = Node("api", "cloud_run", "Cloud Run", "compute", "box", "1 vCPU", region=hostile)
    other = Node("worker", "cloud_run", "Cloud Run", "compute", "box", "1 vCPU", region="asia-south2")
    graph = ArchitectureGraph("t", [node, other], [], [], "users", [(compute, [node, other])],
                              [(hostile, [(compute, [node])]), ("asia-south2", [(compute, [other])])])
    source = dot.to_dot(graph)
    assert "label=<<B>r&lt;b&gt;&quot;x&quot;&amp;y|#`z</B>>" in source
    subprocess.run(["dot", "-Tsvg"], input=source.encode(), capture_output=True, check=True)
    text = mermaid.to_mermaid(graph)
    assert 'subgraph region_0["r#lt;b#gt;#quot;x#quot;#amp;y#124;#35;#96;z"]' in text
