"""Issue 14: faults in what archplan writes from a hostile or large plan, each with its own test."""
import subprocess

import pytest
import yaml

from archplan import catalog
from archplan.cli import main
from archplan.doc import dot
from archplan.doc.graph import MAX_DRAWN_COMPONENTS, bounded, build_graph
from archplan.errors import SpecError, UsageError
from archplan.generate.command import build, selected_targets
from archplan.generate.context import Context
from archplan.plan import resolve
from archplan.spec.load import load_spec
from archplan.validate import exercise
from tests.conftest import EXAMPLES


def spec_of(tmp_path, document: dict):
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return load_spec(path, None, catalog.supported_regions())


def chain(count: int) -> dict:
    components = {f"s{i}": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 10,
                            "requests_per_month": 10, **({"depends_on": [f"s{i + 1}"]} if i + 1 < count else {})}
                  for i in range(count)}
    return {"project": {"name": "deep", "region": "us-central1"}, "components": components}


def test_a_1000_deep_depends_on_chain_works_in_every_command(tmp_path):
    exercise(spec_of(tmp_path, chain(1000)))  # cost, check, generate and doc in memory, no recursion limit


def test_cotton_erp_declares_its_dead_letter_topic_once():
    spec = load_spec(EXAMPLES / "cotton-erp.yaml", None, catalog.supported_regions())
    ctx = Context(resolve(spec))
    pubsub = build(ctx, ["terraform"])["terraform/pubsub.tf"][1]
    assert pubsub.count('resource "google_pubsub_topic" "events_dead_letter"') == 1


def test_names_that_meet_in_a_terraform_address_are_refused(tmp_path):
    """`a` with topic `b-c` and `a-b` with topic `c` both make google_pubsub_topic.a_b_c."""
    bus = {"kind": "pubsub", "messages_per_month": 10, "avg_message_kib": 1}
    document = {"project": {"name": "dup", "region": "us-central1"},
                "components": {"a": dict(bus, topics=["b-c"]), "a-b": dict(bus, topics=["c"])}}
    with pytest.raises(SpecError, match="both become Terraform google_pubsub_topic.a_b_c") as caught:
        spec_of(tmp_path, document)
    assert caught.value.key == "components.a-b.topics[0]"


def test_a_nul_in_a_protocol_is_refused_at_its_line(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text('project: {name: n, region: us-central1}\ncomponents:\n'
                    '  a: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 1, requests_per_month: 1, '
                    'depends_on: [{name: b, protocol: "x\\0y"}]}\n'
                    '  b: {kind: cloud_storage, location_type: region, storage_gb: 1}\n')
    with pytest.raises(SpecError) as caught:
        load_spec(path, None, catalog.supported_regions())
    assert caught.value.line == 3 and caught.value.key == "components.a.depends_on[0].protocol"


def test_dot_quoting_drops_control_characters():
    assert dot.quote('a\x00b"c\\') == '"a b\\"c\\\\"'


def test_an_environment_name_cannot_add_a_manifest(tmp_path):
    document = chain(1)
    document["project"]["environments"] = {"x\n---\nkind: ConfigMap": {}}
    with pytest.raises(SpecError, match="environment names"):
        spec_of(tmp_path, document)


def test_file_headers_are_one_comment_line(tmp_path):
    from archplan.generate.command import header

    class Fake:
        environment = "prod\nkind: ConfigMap"
        source_name = "plan\n---\n.yaml"

    lines = header(Fake()).splitlines()
    assert all(line.startswith("#") or not line for line in lines) and len(lines) == 3


def test_big_diagrams_are_grouped_with_a_note(tmp_path):
    spec = spec_of(tmp_path, chain(MAX_DRAWN_COMPONENTS + 30))
    graph = build_graph(resolve(spec))
    drawn = bounded(graph)
    assert len(drawn.nodes) == 1 and "150 components drawn as 1 groups" in drawn.title
    assert bounded(build_graph(resolve(spec_of(tmp_path, chain(5))))).title.endswith("us-central1")


def test_a_graphviz_timeout_is_one_line(monkeypatch):
    def slow(*args, **kwargs):
        raise subprocess.TimeoutExpired(args, 60)

    monkeypatch.setattr(dot.subprocess, "run", slow)
    monkeypatch.setattr(dot, "dot_binary", lambda: "dot")
    with pytest.raises(UsageError, match="did not finish in 60 s"):
        dot.run_dot("digraph {}", "svg")


def test_validate_says_which_environments_it_checked(capsys):
    assert main(["validate", str(EXAMPLES / "anwesha.yaml")]) == 0
    assert capsys.readouterr().out.endswith("anwesha.yaml: valid (11 components); checked in every environment: "
                                            "peak-fest\n")


def test_validate_refuses_a_bad_override_without_env(tmp_path, capsys):
    """16 typos and 21 wrong values in environments passed `validate` unless --env named them."""
    document = chain(1)
    document["project"]["environments"] = {"prod": {"components": {"s0": {"min_instances": 3,
                                                                          "max_instances": 2}}}}
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(document))
    assert main(["validate", str(path)]) == 1
    assert "project.environments.prod.components.s0" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [
    ["init", "web-app", "-o", "b" * 300 + ".yaml"],
    ["simulate", str(EXAMPLES / "starter.yaml"), "--days", "0.01", "--seeds", "1", "--pictures", "p" * 300],
])
def test_an_output_name_too_long_is_a_usage_error_before_any_work(tmp_path, monkeypatch, capsys, argv):
    """Found by review: init and simulate said 'internal error (OSError: File name too long)', simulate only
    after the whole run; cost, diff, scale and optimize already said `cannot write ...`."""
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    error = capsys.readouterr().err
    assert "cannot write" in error and "File name too long" in error and "internal error" not in error
    assert error.count("\n") == 1 and not list(tmp_path.iterdir())
