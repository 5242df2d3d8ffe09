"""Round trip: for every example, `generate --target terraform` then `import terraform` gives back the same
components (kinds with a Terraform footprint), the same depends_on edges, and the same price for every
fixed-price line. "Fixed-price" is what remains when usage is taken away: the original plan with no traffic
and with each kind's USAGE fields (importers/google/<kind>.py: what Terraform does not hold) removed or set
to the importer's placeholder. Besides the examples, tests/generate/platform_plan.yaml holds one component of
every kind added for production plans (Tasks, Run jobs, Eventarc, API Gateway, Endpoints, Valkey, Redis
Cluster, KMS, Build, Identity Platform). Every difference that remains is listed below with its reason."""
from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from archplan import catalog
from archplan.analysis.cost import cost_report
from archplan.importers.build import not_imported_kinds
from archplan.importers.google import mappers
from archplan.plan import resolve
from archplan.spec.load import load_spec
from tests.conftest import EXAMPLES, ROOT

PLANS = {**{p.stem: p for p in sorted(EXAMPLES.glob("*.yaml"))},
         "platform": ROOT / "tests" / "generate" / "platform_plan.yaml"}

ATTACHED_KINDS = ("cloud_armor", "cloud_cdn")  # linked to their load balancer by a field; edges contracted

# Components the generated Terraform has and the plan does not price, and the reverse.
EXTRA_COMPONENTS = {
    ("starter", "images"): "the generator creates the Artifact Registry repository Cloud Build pushes to when "
                           "the plan has none",
    ("event-platform", "images"): "the generator creates the Artifact Registry repository Cloud Build pushes to "
                                  "when the plan has none",
    ("platform", "images"): "the generator creates the Artifact Registry repository Cloud Build pushes to when "
                            "the plan has none",
}
MISSING_COMPONENTS = {
    ("cotton-erp", "scheduler"): "the plan counts 20 jobs without naming them, so no job is generated",
    ("cotton-erp", "secrets"): "the plan counts 50 secrets without naming them, so none is generated (the CDN "
                               "key's and the database password's secrets are their components')",
    ("drivopay", "cdn"): "Cloud CDN for a GKE Ingress is its BackendConfig (kubernetes/), not Terraform",
}
# (example, component, sku, or "*" for all its lines): why the imported quantity differs from the plan's.
LINE_DIFFERENCES = {
    ("ecommerce-chatbot", "secrets", "active_version"): "the plan lists db-password, which is the database password "
                                                        "secret generate writes (once) for db: the import gives it "
                                                        "to the database, one version fewer",
    ("event-platform", "secrets", "active_version"): "db-password is the database password secret of db (see "
                                                     "ecommerce-chatbot)",
    ("drivopay", "secrets", "active_version"): "secrets: 50 is a count without names: none is generated",
    ("cotton-erp", "armor", "rule"): "the plan counts 6 rules, one its own (a geo-block with no country list): "
                                     "the generated policy holds the 5 archplan writes and says to add it",
}
EDGE_DIFFERENCES = {
    ("cotton-erp", "scheduler", "workers"): "no scheduler job is generated (a count, not named jobs)",
    ("cotton-erp", "dns", "lb"): "the generated A record names the load balancer; the plan draws no edge",
    ("drivopay", "gke", "nat"): "nothing in Terraform ties the cluster to the NAT gateway but the network",
    ("drivopay", "gke", "redis"): "Redis is reached over the network: no IAM binding or reference names it",
    ("drivopay", "gke", "secrets"): "secrets: 50 is a count: no secret is generated to grant",
    ("ecommerce-chatbot", "vpc_connector", "db"): "the connector only routes to the VPC: Terraform has no link "
                                                 "from it to the database",
    ("cotton-erp", "functions_connector", "db"): "the connector only routes to the VPC: Terraform has no link "
                                               "from it to the database",
    ("event-platform", "functions_connector", "db"): "the connector only routes to the VPC: Terraform has no "
                                                     "link from it to the database",
    ("event-platform", "functions_connector", "redis"): "the connector only routes to the VPC: Terraform has no "
                                                        "link from it to Redis",
    ("event-platform", "api_gateway", "endpoints_api"): "the ESPv2 proxy is deployed with the Endpoints service "
                                                        "name (an output); no resource of it refers to the service",
    ("platform", "nightly", "uploads"): "the job's service_account_roles grant roles/storage.objectAdmin on the "
                                        "project, and the plan has one bucket: read as a use of it",
}


def norm(name: str) -> str:
    """A name as it comes back: the Terraform label archplan writes for it (api-east -> api_east)."""
    return name.replace("-", "_")


def _keyed(items, rename=None) -> dict:
    """Line items by (component, sku, n): the n-th line of that SKU (a primary and its replica share one)."""
    seen: dict = {}
    result = {}
    for item in items:
        name = norm(item.component)
        name = rename.get(name, name) if rename is not None else name
        n = seen[(name, item.sku)] = seen.get((name, item.sku), -1) + 1
        result[(name, item.sku, n)] = item
    return result


def _replace(value: dict, path: str, placeholder) -> None:
    """Remove the field at `path` (a.b, items[].c), or set it to the placeholder (a function of the
    component's own fields where the importer derives it, e.g. a job's task duration from its timeout)."""
    head, _, rest = path.partition(".")
    if head.endswith("[]"):
        for item in value.get(head[:-2], []) or []:
            if isinstance(item, dict):
                _replace(item, rest, placeholder)
    elif rest:
        if isinstance(value.get(head), dict):
            _replace(value[head], rest, placeholder)
    elif placeholder is None:
        value.pop(head, None)
    else:
        value[head] = placeholder(value) if callable(placeholder) else placeholder


def without_usage(document: dict) -> dict:
    """The plan with usage taken away, as the importer writes what Terraform does not hold."""
    plan = copy.deepcopy(document)
    plan["project"].pop("environments", None)
    plan["project"].pop("default_environment", None)
    plan.pop("claims", None)
    plan.pop("checks", None)
    plan.pop("flows", None)  # flows name components (external ones too) that are not imported
    plan["traffic"] = {"requests_per_month": 0, "avg_request_kib": 0, "avg_response_kib": 0}
    removed = {n for n, c in plan["components"].items() if c["kind"] in not_imported_kinds()}
    for name in removed:
        del plan["components"][name]
    for component in plan["components"].values():
        component["depends_on"] = [d for d in component.get("depends_on", [])
                                   if (d if isinstance(d, str) else d["name"]) not in removed]
        usage = getattr(mappers()[component["kind"]], "USAGE", {})
        for key, (placeholder, _what) in usage.items():
            _replace(component, key, placeholder)
    return plan


def _price(path: Path):
    spec = load_spec(path, None, catalog.supported_regions())
    return spec, cost_report(resolve(spec))


def _contracted_edges(spec) -> set[tuple[str, str]]:
    """depends_on edges, with Cloud Armor and CDN (attached by a field) contracted: a -> armor -> b is a -> b."""
    kinds = {n: c.kind for n, c in spec.components.items()}
    graph = {n: [d.name for d in c.depends_on if d.name in kinds] for n, c in spec.components.items()}

    def targets(node, seen):
        for nxt in graph[node]:
            if kinds[nxt] in ATTACHED_KINDS:
                if nxt not in seen:
                    seen.add(nxt)
                    yield from targets(nxt, seen)
            else:
                yield nxt
    return {(norm(a), norm(b)) for a in graph if kinds[a] not in ATTACHED_KINDS for b in targets(a, set())}


def test_names_come_back_as_written(round_trip):
    # found by the trial (ingest.yaml): the queue enrich-queue came back as `tasks`; a name is its Terraform
    # label (only - becomes _), never the kind's generic word
    example, (base, _), (imported, _) = round_trip
    back = {norm(n) for n in imported.components}
    renamed = {name: sorted(n for n, c in imported.components.items() if c.kind == component.kind
                            and norm(n) not in {norm(o) for o in base.components})
               for name, component in base.components.items() if norm(name) not in back
               and (example, name) not in MISSING_COMPONENTS and component.kind not in not_imported_kinds()}
    assert not renamed, f"renamed on import (original -> imported of that kind): {renamed}"


def _matched(original: dict[str, str], imported: dict[str, str]) -> dict[str, str]:
    """Original name -> imported name: the same name, else the only component of that kind on both sides."""
    result = {}
    for name, kind in original.items():
        if name in imported and imported[name] == kind:
            result[name] = name
        else:
            same = [n for n, k in imported.items() if k == kind and n not in original]
            if len([n for n, k in original.items() if k == kind and n not in imported]) == 1 and len(same) == 1:
                result[name] = same[0]
    return result


@pytest.fixture(scope="module", params=sorted(PLANS))
def round_trip(request, tmp_path_factory):
    example = request.param
    work = tmp_path_factory.mktemp(example)
    original = yaml.safe_load(PLANS[example].read_text())
    base = work / f"{example}.yaml"
    base.write_text(yaml.safe_dump(without_usage(original), sort_keys=False))
    run = lambda *a: subprocess.run([sys.executable, "-m", "archplan", *a], capture_output=True, text=True)
    generated = run("generate", str(PLANS[example]), "--target", "terraform", "-o", str(work / "out"))
    assert generated.returncode == 0, generated.stderr
    imported_path = work / "imported.yaml"
    imported = run("import", "terraform", str(work / "out" / "terraform"), "-o", str(imported_path))
    assert imported.returncode == 0, imported.stderr
    return example, _price(base), _price(imported_path)


def test_components_match(round_trip):
    example, (base, _), (imported, _) = round_trip
    original = {norm(n): c.kind for n, c in base.components.items()}
    back = {norm(n): c.kind for n, c in imported.components.items()}
    matched = _matched(original, back)
    missing = {n for n in original if n not in matched} - {norm(n) for (e, n) in MISSING_COMPONENTS if e == example}
    extra = set(back) - set(matched.values()) - {n for (e, n) in EXTRA_COMPONENTS if e == example}
    assert not missing, f"not imported: {sorted(missing)}"
    assert not extra, f"imported but not in the plan: {sorted(extra)}"


def test_edges_match(round_trip):
    example, (base, _), (imported, _) = round_trip
    original = {norm(n): c.kind for n, c in base.components.items()}
    back = {norm(n): c.kind for n, c in imported.components.items()}
    rename = _matched(original, back)
    expected = {(rename.get(a, a), rename.get(b, b)) for a, b in _contracted_edges(base)}
    got = _contracted_edges(imported)
    allowed = {(norm(a), norm(b)) for (e, a, b) in EDGE_DIFFERENCES if e == example}
    missing_components = {norm(n) for (e, n) in MISSING_COMPONENTS if e == example}
    expected = {e for e in expected if not set(e) & missing_components}
    extra_components = {norm(n) for (e, n) in EXTRA_COMPONENTS if e == example}
    got = {e for e in got if not set(e) & extra_components or e in allowed}
    assert expected - got - allowed == set(), "edges not imported"
    assert got - expected - allowed == set(), "edges imported but not in the plan"
    # Protocols the importer infers agree with the plan's where the plan states one.
    stated = {(norm(n), norm(d.name)): d.protocol for n, c in base.components.items() for d in c.depends_on
              if d.protocol}
    for name, component in imported.components.items():
        for dependency in component.depends_on:
            key = next((k for k in stated if (rename.get(k[0], k[0]), rename.get(k[1], k[1])) ==
                        (norm(name), norm(dependency.name))), None)
            if key and dependency.protocol and stated[key].lower() in ("postgres", "mysql", "redis"):
                assert dependency.protocol.lower() == stated[key].lower(), (name, dependency.name)


def test_fixed_price_lines_match(round_trip):
    example, (base, base_cost), (imported, imported_cost) = round_trip
    original = {norm(n): c.kind for n, c in base.components.items()}
    back = {norm(n): c.kind for n, c in imported.components.items()}
    rename = _matched(original, back)
    got = _keyed(imported_cost.line_items)
    compared = 0
    for (name, sku, n), item in _keyed(base_cost.line_items).items():
        if {(example, name, item.sku), (example, name, "*")} & set(LINE_DIFFERENCES) or name not in rename:
            continue
        other = got.get((rename[name], item.sku, n))
        if item.monthly_usd == 0 and other is None:
            continue
        assert other is not None, f"{item.component} {item.sku}: no such line after import"
        assert other.quantity == item.quantity, (item.component, item.sku, item.quantity, other.quantity)
        assert other.monthly_usd == item.monthly_usd, (item.component, item.sku)
        compared += 1
    assert compared >= len(rename)  # every matched component contributes at least one line on average
    # Nothing priced after import that the plan (without usage) does not price, beyond the listed extras.
    extra_components = {norm(n) for (e, n) in EXTRA_COMPONENTS if e == example}
    base_keys = set(_keyed(base_cost.line_items, rename))
    for key, item in got.items():
        if key[0] in extra_components or item.monthly_usd == 0:
            continue
        original_name = next((o for o, i in rename.items() if i == key[0]), key[0])
        if {(example, original_name, key[1]), (example, original_name, "*")} & set(LINE_DIFFERENCES):
            continue
        assert key in base_keys, f"{key}: priced after import only"


# Kinds with no mapper, each because its generated Terraform holds no resource of its own to read back.
NO_RESOURCE_OF_ITS_OWN = {
    "cloud_vision": "the generator only enables vision.googleapis.com",
    "cloud_translation": "the generator only enables translate.googleapis.com",
    "speech_to_text": "the generator only enables speech.googleapis.com",
    "document_ai": "the generator only enables documentai.googleapis.com",
    "llm": "Vertex AI is an enabled API and a role; the Gemini API is a key in Secret Manager",
    "cloud_monitoring": "an enabled API and roles; its alert policies come from the plan's slo",
    "cloud_trace": "an enabled API and a role",
    "network_egress": "billed traffic, not a resource",
    "external": "a service outside GCP",
}


def test_every_kind_with_resources_of_its_own_has_a_mapper():
    assert set(not_imported_kinds()) == set(NO_RESOURCE_OF_ITS_OWN)
