"""Shared by the doc tests: plans loaded from examples or dicts, a strict HTML well-formedness check, and the
external-reference scan."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import yaml

from archplan import catalog
from archplan.doc.graph import build_graph
from archplan.plan import resolve
from archplan.spec.load import load_spec

SEEDS = ("anwesha", "cotton-erp", "drivopay", "ecommerce-chatbot", "event-platform")
ALL = SEEDS + ("starter",)


def example_spec(name: str, environment: str | None = None):
    """An example loaded by its path relative to the repository (the tests run from there: see conftest)."""
    return load_spec(f"examples/{name}.yaml", environment, catalog.supported_regions())


def spec_from(document: dict, folder: Path, name: str = "plan.yaml"):
    path = folder / name
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return load_spec(path, None, catalog.supported_regions())


def graph_of(spec):
    plan = resolve(spec)
    return plan, build_graph(plan)


def depends_on_edges(spec) -> list[tuple[str, str, str | None]]:
    """(from, to, protocol) for every line the plan's depends_on draws. A GKE cluster whose deployments list
    their own depends_on draws from each deployment ("cluster/deployment"): a sibling edge between two
    deployments, a component edge with the cluster's protocol to it unless the deployment gives one; its
    other edges stay the cluster's; a caller of the cluster reaches its public deployments. A deployment without
    its own depends_on does not inherit what the nodes use (NAT, registry, logging, monitoring)."""
    node_level = {"cloud_nat", "artifact_registry", "cloud_logging", "cloud_monitoring"}
    def expanded(component) -> bool:
        return component.kind == "gke" and any(d.depends_on is not None for d in component.deployments)

    def public(name: str) -> list[str]:
        component = spec.components[name]
        if not expanded(component):
            return [name]
        return [f"{name}/{d.name}" for d in component.deployments if d.public]

    edges = []
    for name, component in spec.components.items():
        if not expanded(component):
            edges += [(name, target, d.protocol) for d in component.depends_on for target in public(d.name)]
            continue
        protocol = {d.name: d.protocol for d in component.depends_on}
        siblings = {d.name for d in component.deployments}
        used = set()
        for deployment in component.deployments:
            inherited = [d for d in component.depends_on if spec.components[d.name].kind not in node_level]
            for d in deployment.depends_on if deployment.depends_on is not None else inherited:
                if d.name in siblings:
                    edges.append((f"{name}/{deployment.name}", f"{name}/{d.name}", d.protocol))
                else:
                    used.add(d.name)
                    edges += [(f"{name}/{deployment.name}", target, d.protocol or protocol[d.name])
                              for target in public(d.name)]
        edges += [(name, d.name, d.protocol) for d in component.depends_on if d.name not in used]
    return edges


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class StrictHTML(HTMLParser):
    """Every element closed, in order (void elements excepted); collects attributes and style text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []  # (tag, name, value)
        self.styles: list[str] = []
        self.ids: list[str] = []
        self._in_style = False
        self.doctype = False

    def handle_decl(self, decl):
        self.doctype = decl.lower() == "doctype html"

    def handle_starttag(self, tag, attrs):
        self._attributes(tag, attrs)
        if tag == "style":
            self._in_style = True
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self._attributes(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}> "
                                 f"at line {self.getpos()[0]}")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)

    def _attributes(self, tag, attrs):
        for name, value in attrs:
            self.attributes.append((tag, name, value or ""))
            if name == "id":
                self.ids.append(value or "")
            if name == "style":
                self.styles.append(value or "")


def parse_html(text: str) -> StrictHTML:
    parser = StrictHTML()
    parser.feed(text)
    parser.close()
    if parser.stack:
        parser.problems.append(f"unclosed: {parser.stack}")
    return parser


URL_ATTRIBUTES = {"src", "href", "xlink:href", "action", "poster", "data", "srcset", "background", "formaction"}


def external_references(page: StrictHTML) -> list[str]:
    """Anything the page would fetch: a URL attribute that is not a same-page anchor, @import, or url()."""
    found = [f"<{tag} {name}={value!r}>" for tag, name, value in page.attributes
             if name in URL_ATTRIBUTES and not value.startswith("#")]
    for style in page.styles:
        found += [f"@import in style: {m}" for m in re.findall(r"@import[^;]*", style)]
        found += [f"url() in style: {m}" for m in re.findall(r"url\([^)]*\)", style)]
    return found
