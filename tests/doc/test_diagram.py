"""The architecture diagram: every component and every `depends_on` edge of each example is drawn (DOT, SVG,
Mermaid); no text overlaps another or a node it does not belong to, for the examples and for a 40-component
plan; the layer mapping covers every kind; `archplan diagram` writes each format and refuses others."""
from __future__ import annotations

import itertools
import json
import re
import subprocess
import xml.etree.ElementTree as ElementTree

import pytest

from archplan import components as registry
from archplan.cli import main
from archplan.doc import dot, mermaid
from archplan.doc.layers import KINDS, LAYER_BY_KEY, style_of
from tests.doc.helpers import ALL, depends_on_edges, example_spec, graph_of, spec_from
from tests.doc.large_plan import large_plan

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def drawn():
    """name -> (spec, graph, dot source, svg text) for every example, drawn once."""
    import os

    from tests.conftest import ROOT

    here = os.getcwd()
    os.chdir(ROOT)
    try:
        out = {}
        for name in ALL:
            spec = example_spec(name)
            _plan, graph = graph_of(spec)
            source = dot.to_dot(graph)
            out[name] = (spec, graph, source, dot.svg(source))
        return out
    finally:
        os.chdir(here)


def _svg_ids(svg_text: str) -> dict[str, ElementTree.Element]:
    root = ElementTree.fromstring(svg_text.split("?>", 1)[1])
    return {element.get("id"): element for element in root.iter(f"{SVG}g") if element.get("id")}


@pytest.mark.parametrize("name", ALL)
def test_every_component_and_edge_is_in_the_dot_and_svg(drawn, name):
    spec, _graph, source, svg_text = drawn[name]
    ids = _svg_ids(svg_text)
    for component in spec.components:
        assert f"id={dot.quote('node:' + component)}" in source
        node = ids[f"node:{component}"]
        texts = ["".join(t.itertext()) for t in node.iter(f"{SVG}text")]
        assert component in texts, f"{component} is not written in its node"
    for source_name, target, protocol in depends_on_edges(spec):
        edge_id = dot.edge_id(source_name, target)
        assert f"id={dot.quote(edge_id)}" in source
        assert edge_id in ids, f"no line for {source_name} -> {target}"
        if protocol:
            # Labelled on the line itself, or on the junction where lines with this target and protocol meet.
            own = ["".join(t.itertext()).strip() for t in ids[edge_id].iter(f"{SVG}text")]
            junctions = ["".join(t.itertext()).strip() for key, element in ids.items()
                         if key.startswith(f"junction:{target} via {protocol}") for t in element.iter(f"{SVG}text")]
            assert protocol in own + junctions, f"{source_name} -> {target} lacks its label {protocol!r}"


@pytest.mark.parametrize("name", ALL)
def test_every_component_and_edge_is_in_the_mermaid(drawn, name):
    spec, graph, _source, _svg = drawn[name]
    text = mermaid.to_mermaid(graph)
    assert text.startswith("flowchart TB\n")
    ids = mermaid._identifiers([graph.users] + list(spec.components))
    for component in spec.components:
        assert f'{ids[component]}["<b>{component}</b>' in text or f'{ids[component]}[("<b>{component}</b>' in text
    for source_name, target, protocol in depends_on_edges(spec):
        if "/" in source_name:  # a deployment's edge: its cluster's line, labelled with the deployment
            cluster, deployment = source_name.split("/")
            sibling = target.startswith(cluster + "/")
            end = cluster if sibling else target.split("/")[0]
            lines = [line for line in text.splitlines()
                     if re.match(rf"  {ids[cluster]} -(->|\.->)\|.*\| {ids[end]}$", line)]
            wanted = f"{deployment} -#gt; {target.split('/')[1]}" if sibling else deployment
            assert any(wanted in line and (sibling or not protocol or f": {protocol}" in line) for line in lines), \
                f"{source_name} -> {target}"
            continue
        label = f'|"{protocol}"|' if protocol else ""
        assert any(f"{ids[source_name]} {arrow}{label} {ids[target.split('/')[0]]}" in text
                   for arrow in ("-->", "-.->")), f"{source_name} -> {target}"


def test_the_svg_is_portable_and_the_same_every_time(drawn):
    spec, graph, source, svg_text = drawn["event-platform"]
    assert "<!DOCTYPE" not in svg_text and "<!--" not in svg_text and "<image" not in svg_text
    assert dot.svg(dot.to_dot(graph)) == svg_text
    assert dot.to_dot(graph) == source


def test_users_come_in_at_the_edge(drawn):
    assert drawn["event-platform"][1].entries == ["cdn"]
    assert drawn["drivopay"][1].entries == ["dns"]
    assert drawn["starter"][1].entries == ["lb"]
    # An outside front end that calls into the plan is drawn with the edge, and is where users come in.
    anwesha = drawn["anwesha"][1]
    assert anwesha.node("frontend").layer == "edge" and anwesha.entries == ["frontend"]


def test_a_policy_attached_by_its_field_is_not_where_users_come_in(tmp_path):
    """A Cloud Armor policy naming its load balancer (load_balancer: lb) drew Users -> armor, and the load
    balancer, 'called' by the policy's reference line, was no entry (found on a trial plan's page)."""
    _plan, graph = graph_of(spec_from({
        "project": {"name": "demo", "region": "us-central1"},
        "traffic": {"requests_per_month": 1000000, "avg_request_kib": 1, "avg_response_kib": 4},
        "components": {
            "lb": {"kind": "load_balancer", "depends_on": ["api"]},
            "armor": {"kind": "cloud_armor", "load_balancer": "lb"},
            "api": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 50}}}, tmp_path))
    assert graph.entries == ["lb"]
    assert [(e.source, e.target) for e in graph.edges if e.style == "users"] == [(graph.users, "lb")]
    # the policy is a step of every request to the backend service it is set on (generate's security_policy), as
    # check's path has it: lb -> armor -> api, where a reference line armor -> lb was drawn beside lb -> api
    edges = [(e.source, e.target, e.style) for e in graph.edges]
    assert ("lb", "armor", "call") in edges and ("armor", "api", "call") in edges
    assert ("lb", "api", "call") not in edges and ("armor", "lb", "reference") not in edges


def test_an_operations_service_a_request_waits_on_is_drawn_as_a_call(tmp_path):
    """An edge that states critical: true to Cloud KMS is on check's path: the diagram draws it solid, the
    other operations edges dashed."""
    _plan, graph = graph_of(spec_from({
        "project": {"name": "demo", "region": "us-central1"},
        "traffic": {"requests_per_month": 1000000, "avg_request_kib": 1, "avg_response_kib": 4},
        "components": {
            "api": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 50,
                    "depends_on": [{"name": "keys", "critical": True}, "secrets"]},
            "keys": {"kind": "cloud_kms", "keys": [{"name": "data"}]},
            "secrets": {"kind": "secret_manager", "secrets": 1, "access_ops_per_month": 10}}}, tmp_path))
    styles = {(e.source, e.target): e.style for e in graph.edges}
    assert styles[("api", "keys")] == "call" and styles[("api", "secrets")] == "observe"


def test_a_service_an_eventarc_trigger_starts_is_not_where_users_come_in(tmp_path):
    """An upload processor that only an Eventarc trigger delivers to was drawn as Users -> processor, while
    check's entry points (web) left it out: the trigger starts it (found on a trial plan's page)."""
    run = {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 50}
    plan, graph = graph_of(spec_from({
        "project": {"name": "demo", "region": "us-central1"},
        "traffic": {"requests_per_month": 1000000, "avg_request_kib": 1, "avg_response_kib": 4},
        "components": {
            "web": {**run, "depends_on": [{"name": "uploads", "access": "write"}]},
            "uploads": {"kind": "cloud_storage", "location_type": "region", "storage_gb": 1},
            "events": {"kind": "eventarc", "triggers": [{
                "name": "on-upload", "event_type": "google.cloud.storage.object.v1.finalized", "bucket": "uploads",
                "destination": "processor", "events_per_month": 1000}]},
            "processor": {**run, "requests_per_month": 1000, "depends_on": [{"name": "uploads", "access": "read"}]}}},
        tmp_path))
    assert graph.entries == ["web"]
    assert [(e.source, e.target) for e in graph.edges if e.style == "users"] == [(graph.users, "web")]
    from archplan import check

    assert check.run(plan).availability.entry_points == ["web"]  # the same as check says


CDN_BY_FIELD = {
    "lb": {"kind": "load_balancer", "depends_on": ["api", "site"]},
    "cdn": {"kind": "cloud_cdn", "load_balancer": "lb", "depends_on": ["site"], "destination": "europe",
            "cache_hit_ratio": 0.9},
    "site": {"kind": "cloud_storage", "location_type": "region", "storage_gb": 1},
    "api": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 50}}


def test_a_cdn_attached_by_its_field_sits_between_the_load_balancer_and_its_origin(tmp_path):
    """A Cloud CDN naming its load balancer (load_balancer: lb) that the load balancer does not list was drawn
    as a second way in (Users -> cdn -> site) beside lb -> site, though generate enables it on lb's backend
    bucket: users reach the bucket through lb and the cache (found on a trial plan)."""
    _plan, graph = graph_of(spec_from({
        "project": {"name": "demo", "region": "europe-west3"},
        "traffic": {"requests_per_month": 1000000, "avg_request_kib": 1, "avg_response_kib": 4},
        "components": CDN_BY_FIELD}, tmp_path))
    assert graph.entries == ["lb"]
    calls = [(e.source, e.target) for e in graph.edges if e.style == "call"]
    assert ("lb", "cdn") in calls and ("cdn", "site") in calls and ("lb", "site") not in calls
    assert not [e for e in graph.edges if e.source == "cdn" and e.target == "lb"]  # the field is drawn as the call


def test_every_kind_has_a_layer_and_a_label():
    assert set(KINDS) == set(registry.kinds())
    for style in KINDS.values():
        assert style.layer in LAYER_BY_KEY
    assert style_of("some_new_kind", "data").layer == "data"  # a kind added later still gets its place


# --- Labels never overlap --------------------------------------------------------------------------------

def _layout(source: str) -> dict:
    return json.loads(subprocess.run(["dot", "-Tjson"], input=source.encode(), capture_output=True,
                                     check=True).stdout)


def _text_boxes(owner: str, operations: list[dict]) -> list[tuple[str, str, float, float, float, float]]:
    boxes, size = [], 14.0
    for op in operations:
        if op["op"] == "F":
            size = op["size"]
        elif op["op"] == "T" and op["text"].strip():
            x, y = op["pt"]
            width = op["width"]
            left = {"l": x, "c": x - width / 2, "r": x - width}[op["align"]]
            boxes.append((owner, op["text"].strip(), left, y - 0.2 * size, left + width, y + 0.75 * size))
    return boxes


def _overlap(a, b, slack: float = 0.5) -> bool:
    return a[2] + slack < b[4] and b[2] + slack < a[4] and a[3] + slack < b[5] and b[3] + slack < a[5]


def _problems(layout: dict) -> list[str]:
    nodes, texts = {}, []
    for obj in layout["objects"]:
        if "pos" in obj and obj.get("style") != "invis":
            x, y = map(float, obj["pos"].split(","))
            w, h = float(obj["width"]) * 72, float(obj["height"]) * 72
            nodes[obj["name"]] = (obj["name"], "", x - w / 2, y - h / 2, x + w / 2, y + h / 2)
        texts += _text_boxes(obj["name"], obj.get("_ldraw_", []))
    for edge in layout.get("edges", []):
        for key in ("_ldraw_", "_hldraw_", "_tldraw_"):
            texts += _text_boxes(f"edge {edge['_gvid']}", edge.get(key, []))
    texts += _text_boxes("graph title", layout.get("_ldraw_", []))

    problems = []
    for a, b in itertools.combinations(texts, 2):
        if _overlap(a, b):
            problems.append(f"text {a[1]!r} ({a[0]}) overlaps {b[1]!r} ({b[0]})")
    for a, b in itertools.combinations(nodes.values(), 2):
        if _overlap(a, b):
            problems.append(f"node {a[0]} overlaps node {b[0]}")
    for text in texts:
        for node in nodes.values():
            inside = node[0] == text[0]
            if inside and not (node[2] - 1 <= text[2] and text[4] <= node[4] + 1):
                problems.append(f"{text[1]!r} sticks out of its node {node[0]}")
            if not inside and _overlap(text, node):
                problems.append(f"text {text[1]!r} ({text[0]}) lies on node {node[0]}")
    return problems


def _check_layout(source: str) -> dict:
    layout = _layout(source)
    problems = _problems(layout)
    assert not problems, "\n".join(problems[:20])
    return layout


def test_the_overlap_check_sees_overlaps():
    label = [{"op": "F", "size": 10.0}, {"op": "T", "pt": [50, 50], "align": "c", "width": 40, "text": "HTTPS"}]
    layout = {"objects": [{"name": "a", "pos": "50,50", "width": "1", "height": "0.5", "_ldraw_": [
        {"op": "F", "size": 10.0}, {"op": "T", "pt": [50, 50], "align": "c", "width": 100, "text": "much too wide"}]},
        {"name": "b", "pos": "90,50", "width": "1", "height": "0.5"}], "edges": [{"_gvid": 0, "_ldraw_": label}]}
    problems = "\n".join(_problems(layout))
    assert "'much too wide' sticks out of its node a" in problems
    assert "node a overlaps node b" in problems
    assert "text 'HTTPS' (edge 0) lies on node a" in problems
    assert "text 'much too wide' (a) overlaps 'HTTPS' (edge 0)" in problems


@pytest.mark.parametrize("name", ALL)
def test_no_label_overlaps_in_the_examples(drawn, name):
    _check_layout(drawn[name][2])


def test_a_40_component_plan_stays_readable(tmp_path):
    spec = spec_from(large_plan(), tmp_path)
    assert len(spec.components) == 40
    _plan, graph = graph_of(spec)
    layout = _check_layout(dot.to_dot(graph))
    _left, _bottom, width, height = map(float, layout["bb"].split(","))
    # At its drawn size the smallest text is 8 pt; the whole stays within a large screen or an A3 sheet at
    # half size, and neither very long nor very tall.
    assert width <= 3000 and height <= 3000, (width, height)
    assert 1 / 3 <= width / height <= 3
    assert len(graph.layers) == 7
    svg_text = dot.svg(dot.to_dot(graph))
    ids = _svg_ids(svg_text)
    assert all(f"node:{name}" in ids for name in spec.components)


# --- archplan diagram -------------------------------------------------------------------------------------

@pytest.mark.parametrize("extension,starts", [(".svg", b"<?xml"), (".png", b"\x89PNG\r\n\x1a\n"),
                                              (".mmd", b"flowchart TB"), (".dot", b"digraph architecture")])
def test_diagram_command_writes_each_format(tmp_path, extension, starts):
    target = tmp_path / f"arch{extension}"
    assert main(["diagram", "examples/starter.yaml", "-o", str(target)]) == 0
    assert target.read_bytes().startswith(starts)
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left


def test_diagram_command_refuses_an_unknown_format(tmp_path, capsys):
    target = tmp_path / "arch.jpg"
    assert main(["diagram", "examples/starter.yaml", "-o", str(target)]) == 2
    assert ".svg, .png, .mmd, .dot" in capsys.readouterr().err
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_diagram_command_reports_a_plan_error(tmp_path, capsys):
    plan = tmp_path / "bad.yaml"
    plan.write_text("project: {name: x, region: us-central1}\ncomponents:\n  a: {kind: cloud_run}\n")
    assert main(["diagram", str(plan), "-o", str(tmp_path / "a.svg")]) == 1
    assert "bad.yaml:3" in capsys.readouterr().err
    assert not (tmp_path / "a.svg").exists()


def test_diagram_of_an_environment_leaves_out_what_it_excludes(tmp_path):
    document = {"project": {"name": "t", "region": "us-central1",
                            "environments": {"dev": {"exclude": ["cache"]}}},
                "components": {"api": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 50,
                                       "requests_per_month": 1000},
                               "cache": {"kind": "memorystore_redis", "tier": "basic", "capacity_gb": 1}}}
    spec_from(document, tmp_path)
    assert main(["diagram", str(tmp_path / "plan.yaml"), "--env", "dev", "-o", str(tmp_path / "dev.dot")]) == 0
    text = (tmp_path / "dev.dot").read_text()
    assert '"node:api"' in text and "cache" not in text and "environment dev" in text


def test_protocols_that_need_quoting_are_drawn(tmp_path):
    protocol = 'a|b "q" <c> & d\\'
    document = {"project": {"name": "t", "region": "us-central1"},
                "components": {"files-1": {"kind": "cloud_storage", "location_type": "region", "storage_gb": 1},
                               "files_2": {"kind": "cloud_storage", "location_type": "region", "storage_gb": 1,
                                           "depends_on": [{"name": "files-1", "protocol": protocol}]}}}
    spec = spec_from(document, tmp_path)
    _plan, graph = graph_of(spec)
    ids = _svg_ids(dot.svg(dot.to_dot(graph)))
    assert "node:files-1" in ids and "node:files_2" in ids
    labels = ["".join(t.itertext()).strip() for t in ids[dot.edge_id("files_2", "files-1")].iter(f"{SVG}text")]
    assert labels == [protocol]
    text = mermaid.to_mermaid(graph)
    assert '|"a#124;b #quot;q#quot; #lt;c#gt; #amp; d\\"|' in text  # nothing in it can end Mermaid's label


def test_a_bigquery_node_shows_both_storage_classes_and_the_bytes_scanned(tmp_path):
    # found by the trial (ingest.yaml): the node said "500 GB", the active storage alone
    document = {"project": {"name": "bq", "region": "us-central1"}, "components": {
        "warehouse": {"kind": "bigquery", "active_storage_gb": 500, "long_term_storage_gb": 2000,
                      "query_tib_per_month": 8},
        "fresh": {"kind": "bigquery", "active_storage_gb": 10, "query_tib_per_month": 0.2}}}
    _plan, graph = graph_of(spec_from(document, tmp_path))
    assert graph.node("warehouse").brief == "500 GB active + 2,000 GB long-term, 8 TiB/month scanned"
    assert graph.node("fresh").brief == "10 GB active, 0.2 TiB/month scanned"  # no long-term storage: not said
    assert ">500 GB active + 2,000 GB<" in dot.to_dot(graph)  # wrapped at a space, not inside "long-term"


def test_event_started_components_are_no_way_in_and_nat_is_the_clusters(tmp_path):
    # found in review: a Pub/Sub-triggered function got a Users edge, and every GKE deployment that states no
    # depends_on drew its own edge to Cloud NAT (the nodes' egress, not the pods' calls)
    pod = {"replicas": 1, "cpu": "500m", "memory": "512Mi", "request_duration_ms": 20}
    document = {"project": {"name": "t", "region": "us-central1"}, "traffic": {
        "requests_per_month": 1_000_000, "avg_request_kib": 2, "avg_response_kib": 10}, "components": {
        "lb": {"kind": "load_balancer", "depends_on": ["cluster"]},
        "cluster": {"kind": "gke", "mode": "standard", "location_type": "zonal", "private_nodes": True,
                    "node_pools": [{"name": "pool", "machine_type": "e2-standard-4", "nodes": 2}],
                    "deployments": [{"name": "web", "public": True, "depends_on": ["api"], **pod},
                                    {"name": "api", **pod}, {"name": "worker", **pod}],
                    "depends_on": ["db", "nat", "events"]},
        "db": {"kind": "cloud_sql", "engine": "postgres", "tier": "db-custom-2-7680", "storage_gb": 20},
        "nat": {"kind": "cloud_nat", "vms": 2, "data_processed_gb_per_month": 10},
        "events": {"kind": "pubsub", "topics": ["orders"], "messages_per_month": 1000, "avg_message_kib": 1},
        "on_order": {"kind": "cloud_functions", "trigger": "pubsub", "trigger_component": "events", "cpu": 0.167,
                     "memory": "256Mi", "invocations_per_month": 1000, "duration_ms": 100}}}
    spec = spec_from(document, tmp_path)
    _plan, graph = graph_of(spec)
    assert graph.entries == ["lb"]
    drawn_edges = {(e.source_label, e.target_label) for e in graph.edges if e.style != "reference"}
    assert {edge for edge in drawn_edges if edge[1] == "nat"} == {("cluster", "nat")}
    assert {("cluster/api", "db"), ("cluster/worker", "db"), ("cluster/api", "events")} <= drawn_edges
    assert {(a, b) for a, b, _protocol in depends_on_edges(spec)} == drawn_edges - {("users", "lb")}


def test_a_service_that_calls_nothing_and_nothing_calls_is_where_users_come_in(tmp_path):
    """check reports such a service as a way in; the diagram drew no Users arrow to it."""
    _plan, graph = graph_of(spec_from({
        "project": {"name": "demo", "region": "us-central1"},
        "traffic": {"requests_per_month": 1000000, "avg_request_kib": 1, "avg_response_kib": 4},
        "components": {
            "lb": {"kind": "load_balancer", "depends_on": ["api"]},
            "api": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 50},
            "status": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 50},
            "files": {"kind": "cloud_storage", "location_type": "region", "storage_gb": 1}}}, tmp_path))
    assert graph.entries == ["lb", "status"]


def test_an_export_subscription_is_labelled_on_its_edge(tmp_path):
    """A Pub/Sub component exports to its first BigQuery or Cloud Storage dependency: that edge is labelled with
    the subscription that delivers there; a second one, which generate does not export to, is not."""
    _plan, graph = graph_of(spec_from({
        "project": {"name": "t", "region": "us-central1"},
        "components": {
            "events": {"kind": "pubsub", "topics": ["t"], "messages_per_month": 1000, "avg_message_kib": 1,
                       "depends_on": ["warehouse", "archive", {"name": "lake", "protocol": "gRPC"}]},
            "warehouse": {"kind": "bigquery", "active_storage_gb": 1, "query_tib_per_month": 0},
            "archive": {"kind": "cloud_storage", "location_type": "region", "storage_gb": 1},
            "lake": {"kind": "bigquery", "active_storage_gb": 1, "query_tib_per_month": 0}}}, tmp_path))
    labels = {(e.source, e.target): e.label for e in graph.edges}
    assert labels[("events", "warehouse")] == "BigQuery subscription"
    assert labels[("events", "archive")] == "" and labels[("events", "lake")] == "gRPC"


@pytest.mark.parametrize("receivers, expected", [
    (["worker"], {"worker": "pull subscription"}),
    (["push", "worker"], {"push": "push subscription", "worker": ""}),  # pushed to: nothing left to pull
    (["push", "other"], {"push": "push subscription", "other": ""}),  # one push endpoint per topic
])
def test_a_subscription_that_delivers_is_labelled_as_generate_writes_it(tmp_path, receivers, expected):
    """A Pub/Sub component's edge to a GKE cluster, VM or job is the pull subscription it reads (generate grants
    it); to its first Cloud Run service or function, the push subscription; any other edge has no label."""
    run = {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 50, "requests_per_month": 10}
    _plan, graph = graph_of(spec_from({
        "project": {"name": "t", "region": "us-central1"},
        "components": {
            "events": {"kind": "pubsub", "topics": ["t"], "messages_per_month": 1000, "avg_message_kib": 1,
                       "depends_on": receivers},
            "push": run, "other": run,
            "worker": {"kind": "compute_engine", "machine_type": "e2-small"}}}, tmp_path))
    labels = {e.target: e.label for e in graph.edges if e.source == "events"}
    assert labels == expected
