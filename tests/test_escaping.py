"""Issue 14: a hostile string in any free-text field of a plan leaves every output format with the structure a
plain value gives, and the value itself intact where the format carries it: Terraform (HCL), Kubernetes,
Cloud Run, Cloud Build and compose YAML, the sourced .env file, Markdown, HTML, Mermaid and DOT."""
import copy
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser

import hcl2
import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st
from markdown_it import MarkdownIt

from archplan import catalog
from archplan.doc.command import build_site
from archplan.errors import SpecError
from archplan.generate.command import build, selected_targets
from archplan.generate.context import Context
from archplan.plan import resolve
from archplan.spec.load import load_spec
from tests.fuzz.fuzzer import HOSTILE_STRINGS

PLAN = {
    "project": {"name": "esc", "region": "us-central1", "seed": "doc", "notification_email": "ops@example.com",
                "environments": {"prod": {"description": "production",
                                          "components": {"api": {"max_instances": 20}}}}},
    "traffic": {"requests_per_month": 1000000, "avg_request_kib": 1, "avg_response_kib": 10},
    "components": {
        "lb": {"kind": "load_balancer", "traffic_share": 1, "depends_on": [{"name": "api", "protocol": "HTTPS"}]},
        "api": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 100, "traffic_share": 1,
                "description": "the API", "image": "us-docker.pkg.dev/p/r/api:1", "health_check_path": "/healthz",
                "env": {"MODE": "prod", "TOKEN": {"secret": "api-token"}},
                "service_account_roles": ["roles/logging.logWriter"],
                "depends_on": [{"name": "db", "protocol": "Postgres"}, {"name": "bus", "protocol": "gRPC"}]},
        "db": {"kind": "cloud_sql", "engine": "postgres", "version": "16", "tier": "db-custom-1-3840",
               "storage_gb": 10, "databases": ["app"], "database_flags": {"archplan.note": "250"},
               "description": "the database"},
        "bus": {"kind": "pubsub", "topics": ["orders"], "messages_per_month": 1000, "avg_message_kib": 1,
                "description": "events"},
        "gke": {"kind": "gke", "mode": "autopilot", "location_type": "regional", "description": "jobs",
                "deployments": [{"name": "worker", "replicas": 1, "cpu": "250m", "memory": "256Mi",
                                 "env": {"QUEUE": "orders"}}]},
    },
    "claims": [{"id": "cost", "kind": "monthly_cost", "value": 100, "currency": "USD", "text": "about $100",
                "source": "seed line 1", "note": "n"}],
}
# Where a free-text value may go, and the formats that must carry it intact.
FIELDS = [
    (("components", "api", "description"), ()),
    (("components", "db", "description"), ()),
    (("components", "api", "depends_on", 0, "protocol"), ()),
    (("components", "api", "env", "MODE"), ("hcl", "yaml")),
    (("components", "gke", "deployments", 0, "env", "QUEUE"), ("yaml",)),
    (("components", "api", "image"), ("hcl", "yaml")),
    (("components", "db", "database_flags", "archplan.note"), ("hcl",)),  # a custom flag: free text
    (("project", "environments", "prod", "description"), ()),
    (("claims", 0, "text"), ()),
    (("claims", 0, "source"), ()),
    (("project", "seed"), ()),
]
hostile = st.one_of(st.sampled_from(HOSTILE_STRINGS),
                    st.builds(lambda a, b: a + b, st.sampled_from(HOSTILE_STRINGS), st.sampled_from(HOSTILE_STRINGS)),
                    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40))


def _set(document: dict, path: tuple, value) -> None:
    node = document
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


def _outputs(tmp_path, document: dict, name: str):
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
    spec = load_spec(path, None, catalog.supported_regions())
    ctx = Context(resolve(spec))
    generated = {p: text for p, (_target, text) in build(ctx, selected_targets(None, ctx)).items()}
    site = build_site(spec, graphviz=False)
    return generated, {k: v.decode("utf-8") for k, v in site.items() if not k.endswith(".png")}


def _hcl_strings(node, found: list[str]) -> list[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            _hcl_strings(key, found)
            _hcl_strings(value, found)
    elif isinstance(node, list):
        for item in node:
            _hcl_strings(item, found)
    elif isinstance(node, str):
        text = node[1:-1] if node.startswith('"') and node.endswith('"') else node
        escapes = {"n": "\n", "t": "\t", "r": "\r"}
        found.append(re.sub(r'\\(["\\ntr]|u[0-9a-fA-F]{4})',
                            lambda m: chr(int(m.group(1)[1:], 16)) if m.group(1)[0] == "u" and len(m.group(1)) == 5
                            else escapes.get(m.group(1), m.group(1)),
                            text).replace(_DOLLAR, "${").replace(_PERCENT, "%{"))
    return found


# python-hcl2 (8.1) rejects an escaped `$${` or `%%{` with no closing brace, which terraform reads as the literal
# `${` or `%{` (tests/generate/test_hcl_quote.py has terraform itself read such texts back). The escapes are
# swapped for words before parsing, scanning left to right as HCL does, and swapped back in the strings found.
_DOLLAR, _PERCENT = "QQescapedDollarQQ", "QQescapedPercentQQ"


def _hcl(files: dict) -> tuple[set, list[str]]:
    addresses, strings = set(), []
    for path, text in files.items():
        if path.endswith(".tf"):
            parsed = hcl2.loads(re.sub(r"%%\{", _PERCENT, re.sub(r"\$\$\{", _DOLLAR, text)))
            for block in parsed.get("resource", []):
                for type_, named in block.items():
                    addresses.update((type_, name) for name in named)
            _hcl_strings(parsed, strings)
    return addresses, strings


def _yaml_values(node, found: list):
    if isinstance(node, dict):
        for value in node.values():
            _yaml_values(value, found)
    elif isinstance(node, list):
        for item in node:
            _yaml_values(item, found)
    else:
        found.append(node)
    return found


def _yaml(files: dict) -> tuple[list, list]:
    shapes, values = [], []
    for path, text in sorted(files.items()):
        if path.endswith((".yaml", ".yml")):
            for document in yaml.safe_load_all(text):
                if isinstance(document, dict):
                    metadata = document.get("metadata") if isinstance(document.get("metadata"), dict) else {}
                    shapes.append((path, document.get("kind"), metadata.get("name"), sorted(document)))
                    _yaml_values(document, values)
    return shapes, values


def _env_file(tmp_path, text: str) -> dict:
    path = tmp_path / "local.env"
    path.write_text(text)
    result = subprocess.run(["bash", "-c", f"set -a; . {path}; env -0"], cwd=tmp_path, capture_output=True,
                            env={"PATH": os.environ["PATH"]}, check=True)
    pairs = [item.split("=", 1) for item in result.stdout.decode().split("\0") if "=" in item]
    return {k: v for k, v in pairs if k not in ("PWD", "SHLVL", "_", "PATH", "OLDPWD")}


def _markdown(text: str) -> tuple[list, list]:
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    html, links = [], []
    for token in tokens:
        if token.type == "html_block":
            html.append(token.content.strip())
        for child in token.children or []:
            if child.type == "html_inline":
                html.append(child.content)
            if child.type == "link_open":
                links.append(child.attrGet("href"))
        if token.type == "fence":
            html.append(("fence", token.info, len(token.content.splitlines())))
    return html, links


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attributes = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]


def _html(text: str) -> tuple[list, list]:
    parser = _Tags()
    parser.feed(text)
    return parser.tags, parser.attributes


_BASELINES: dict = {}


def _baseline(tmp_path_factory, path: tuple):
    """The outputs with a plain value in the same field (text lengths aside, what a hostile one must give)."""
    if path not in _BASELINES:
        document = copy.deepcopy(PLAN)
        _set(document, path, "vplainv")
        folder = tmp_path_factory.mktemp("baseline")
        _BASELINES[path] = folder, _outputs(folder, document, "plan")
    return _BASELINES[path]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          print_blob=False)
@given(field=st.sampled_from(FIELDS), hostile_text=hostile)
def test_hostile_values_keep_every_format_intact(tmp_path_factory, field, hostile_text):
    path, carried_by = field
    folder, (base_files, base_site) = _baseline(tmp_path_factory, path)
    value = "v" + hostile_text + "v"  # never empty, nothing to strip: only the hostile part differs
    document = copy.deepcopy(PLAN)
    _set(document, path, value)
    work = tmp_path_factory.mktemp("hostile")
    try:
        files, site = _outputs(work, document, "plan")
    except SpecError:
        return  # refused with a one-line error: nothing is written
    kept = value

    addresses, strings = _hcl(files)
    assert len(addresses) == len(_hcl(base_files)[0])
    shapes, values = _yaml(files)
    assert shapes == _yaml(base_files)[0]
    if "hcl" in carried_by:
        assert any(kept in s for s in strings), "value not intact in Terraform"
    if "yaml" in carried_by:
        assert any(isinstance(v, str) and kept in v for v in values), "value not intact in YAML"
    assert _env_file(work, files["compose/local.env"]).keys() == _env_file(folder, base_files["compose/local.env"]).keys()
    assert not (work / "pwned").exists()

    html_md, links = _markdown(site["architecture.md"])
    base_html_md, base_links = _markdown(base_site["architecture.md"])
    assert [h for h in html_md if isinstance(h, str)] == [h for h in base_html_md if isinstance(h, str)]
    assert [h[:2] for h in html_md if isinstance(h, tuple)] == [h[:2] for h in base_html_md if isinstance(h, tuple)]
    assert links == base_links
    tags, attributes = _html(site["index.html"])
    # The document's own inline marks (`code`, **bold**) may take in a value's backticks or asterisks: text
    # formatting, not markup; every other element is the plain value's.
    inline = {"code", "strong"}
    assert [t for t in tags if t not in inline] == [t for t in _html(base_site["index.html"])[0] if t not in inline]
    assert not [a for a in attributes if a[0].startswith("on") or a[1].strip().lower().startswith("javascript:")]
    assert len(site["architecture.mmd"].splitlines()) == len(base_site["architecture.mmd"].splitlines())
    assert not any(line.lstrip().startswith(("```", "~~~")) for line in site["architecture.mmd"].splitlines())


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
@pytest.mark.parametrize("value", ['a"b\\', "x\\N\\G", "<b>", "]; evil [", "}\n digraph {", "a\\\nb"])
def test_dot_parses_with_hostile_labels(tmp_path, value):
    document = copy.deepcopy(PLAN)
    _set(document, ("components", "api", "depends_on", 0, "protocol"), value)
    _set(document, ("components", "api", "description"), value)
    _files, site = _outputs(tmp_path, document, "plan")
    base = _outputs(tmp_path, PLAN, "base")[1]
    canonical = [subprocess.run(["dot", "-Tcanon"], input=s["architecture.dot"].encode(), capture_output=True)
                 for s in (site, base)]
    assert canonical[0].returncode == 0, canonical[0].stderr
    count = [text.stdout.decode().count(" -> ") for text in canonical]
    assert count[0] == count[1]


@pytest.mark.parametrize("role", ['roles/x" }\nresource "x" "y" {', "roles/${var.x}", "admin"])
def test_roles_are_role_names(tmp_path, role):
    document = copy.deepcopy(PLAN)
    _set(document, ("components", "api", "service_account_roles", 0), role)
    with pytest.raises(SpecError, match="service_account_roles"):
        _outputs(tmp_path, document, "plan")


@pytest.mark.parametrize("value", ["~~struck~~", "about ~1 min, then ~$20 a year", "a ~~b `~~c~~` d~~"])
def test_markdown_text_strikes_nothing_through(value):
    # GitHub strikes through text between tildes (two, or even one each side); archplan never means that
    from archplan.escape import markdown_text

    tokens = MarkdownIt("commonmark").enable("strikethrough").parseInline(markdown_text(value))
    kinds = [child.type for token in tokens for child in token.children or []]
    assert "s_open" not in kinds
    text = "".join(child.content for token in tokens for child in token.children or []
                   if child.type in ("text", "code_inline"))
    assert text.replace("`", "") == value.replace("`", "")  # the value reads back intact
