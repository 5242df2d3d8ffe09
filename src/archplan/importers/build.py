"""TfResources -> an archplan plan document: components by kind (the mappers in google/), depends_on edges
from the references between them (and from IAM bindings: a workload's service account granted a role on
another component's resource), protocols where the target says, placeholders for usage Terraform does not
hold, and the report of what was read, inferred, left out or unknown."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from archplan.importers.google import mappers, resource_kinds, supporting_types
from archplan.importers.google._base import MapContext, Mapped, literal_region, numbered
from archplan.importers.google._budget import monthly_budget
from archplan.importers.resources import ImportProblem, TfResource

def not_imported_kinds() -> tuple[str, ...]:
    """Kinds with no mapper in importers/google: usage with no resource of its own (egress, tokens, spans,
    metrics), services outside GCP, and kinds no mapper has been written for yet."""
    from archplan import components

    return tuple(sorted(set(components.kinds()) - set(mappers())))
TRAFFIC_PLACEHOLDERS = {"requests_per_month": "user requests a month (or daily_active_users x "
                                              "requests_per_user_per_day)",
                        "avg_request_kib": "mean request size", "avg_response_kib": "mean response size"}
# Project-level IAM roles that name the service a workload uses.
PROJECT_ROLE_KINDS = {"roles/redis.dbConnectionUser": "memorystore_redis_cluster",  # before roles/redis.
                      "roles/memorystore.": "memorystore_valkey", "roles/cloudtasks.": "cloud_tasks",
                      "roles/cloudkms.": "cloud_kms", "roles/cloudsql.": "cloud_sql", "roles/alloydb.": "alloydb",
                      "roles/spanner.": "spanner",
                      "roles/datastore.": "firestore", "roles/bigquery.": "bigquery",
                      "roles/pubsub.": "pubsub", "roles/secretmanager.": "secret_manager",
                      "roles/redis.": "memorystore_redis", "roles/logging.": "cloud_logging",
                      "roles/artifactregistry.": "artifact_registry", "roles/storage.": "cloud_storage"}
_NAME = re.compile(r"^[a-z][a-z0-9-]{0,62}$")


@dataclass
class Edge:
    source: str
    target: str
    protocol: str | None
    why: str  # "reference" or "iam"


@dataclass
class ImportResult:
    project: dict
    components: list[Mapped]
    edges: list[Edge]
    unknown: list[TfResource]
    other_providers: list[TfResource]
    notes: list[str]
    dropped_edges: list[tuple[Edge, str]] = field(default_factory=list)
    resources_read: int = 0
    source: str = ""


def _region(resources: list[TfResource]) -> str | None:
    """The region most of the resources archplan maps name (a zone, us-central1-c, names its region); a tie
    goes to the one named first."""
    kinds = resource_kinds()
    seen: Counter = Counter()
    first: dict[str, int] = {}
    for index, resource in enumerate(sorted(resources, key=lambda r: r.type not in kinds)):
        for key in ("region", "location", "zone", "config"):
            raw = resource.values.get(key)
            if key == "config":  # a Spanner instance's regional configuration names its region
                raw = raw.removeprefix("regional-") if resource.type == "google_spanner_instance" and \
                    isinstance(raw, str) and raw.startswith("regional-") else None
            if key == "zone" and isinstance(raw, str):
                raw = re.sub(r"-[a-z]$", "", raw)  # us-central1-c is in us-central1
            if key == "location" and isinstance(raw, str):
                raw = raw.lower()  # a bucket's location is often written in capitals (EUROPE-WEST1)
            value = literal_region(raw)
            if value:
                seen[value] += 2 if resource.type in kinds else 1
                first.setdefault(value, index)
    return sorted(seen, key=lambda region: (-seen[region], first[region]))[0] if seen else None


def _keep_region(mapped: Mapped, project_region: str) -> None:
    """A component whose resource sits in another region than the plan's keeps it (`region:`), for kinds placed
    by region (global kinds have none; buckets and datasets keep their own `location`)."""
    from archplan.components import kind_module

    spec = getattr(kind_module(mapped.kind), "Spec", None)
    if spec is None or not spec.regional or spec.location_field is not None or "region" in mapped.fields:
        return
    for key in ("region", "location"):
        value = literal_region(mapped.source.values.get(key))
        if value:
            if value != project_region:
                mapped.fields = {"region": value, **mapped.fields}
            return


def _project_name(ctx: MapContext, source: str) -> str:
    candidates = [ctx.name_prefix.rstrip("-"), re.sub(r"[^a-z0-9-]", "-", source.lower().rstrip("/")
                                                     .rsplit("/", 1)[-1].removesuffix(".json")).strip("-")]
    for candidate in candidates:
        if candidate and _NAME.fullmatch(candidate):
            return candidate
    return "imported"


def _cycle(edges: dict[str, set[str]], source: str, target: str) -> bool:
    """Would source -> target close a cycle (is source reachable from target)?"""
    stack, seen = [target], set()
    while stack:
        node = stack.pop()
        if node == source:
            return True
        if node not in seen:
            seen.add(node)
            stack.extend(edges.get(node, ()))
    return False


def _edges(components: list[Mapped], resources: list[TfResource]) -> tuple[list[Edge], list[tuple[Edge, str]]]:
    # An edge needs a reference to what makes the target a component (its instance, topic, bucket...), not
    # to one of its supporting pieces (a generated password, a database user).
    # A mapper's EDGE_TYPES are supporting types that stand for the component too (a BigQuery table: what a
    # BigQuery subscription writes to is the dataset's component).
    kinds = resource_kinds()
    modules = mappers()
    owner: dict[str, Mapped] = {}
    primary: dict[str, Mapped] = {}
    for mapped in components:
        standing = getattr(modules.get(mapped.kind), "EDGE_TYPES", ())
        for address in mapped.owns:
            owner.setdefault(address, mapped)
            type_name = address.rsplit(".", 2)[-2]
            if kinds.get(type_name) == mapped.kind or mapped.kind == "external" or type_name in standing:
                primary.setdefault(address, mapped)
    candidates: list[Edge] = []

    def add(source: Mapped, target: Mapped, why: str) -> None:
        if source is target or target.fields.get("load_balancer") == source.name or source.kind == "cloud_cdn":
            return  # a field already links them (Cloud Armor and CDN name their load balancer)
        protocol = getattr(modules[target.kind], "protocol", None)
        if source.kind == "cloud_dns":
            protocol = None  # a record naming the target's address: resolution, not a call
        candidates.append(Edge(source.name, target.name, protocol(target) if protocol else None, why))

    by_base: dict[str, list[TfResource]] = {}
    for resource in resources:
        by_base.setdefault(resource.base_address, []).append(resource)
    for mapped in components:
        for address in sorted(mapped.owns):
            for resource in by_base.get(address, []):
                for reference in sorted(resource.references - mapped.ignore_refs):
                    if reference in primary:
                        if reference in mapped.reverse_refs:
                            add(primary[reference], mapped, "reference")
                        else:
                            add(mapped, primary[reference], "reference")
    # An IAM binding on B for the service account of A: A uses B.
    for resource in resources:
        if "_iam_" not in resource.type or resource.base_address in owner:
            continue
        owners = [primary[r] for r in sorted(resource.references) if r in primary]
        accounts = [owner[r] for r in sorted(resource.references) if r in owner and r.split(".")[-2] ==
                    "google_service_account"]
        for account_owner in accounts:
            for target in owners:
                if target is not account_owner:
                    add(account_owner, target, "iam")
            # A project-wide role for one service (roles/cloudsql.client): the one component of that kind.
            role = str(resource.values.get("role") or "")
            kind = next((k for prefix, k in PROJECT_ROLE_KINDS.items() if role.startswith(prefix)), None)
            of_kind = [m for m in components if m.kind == kind]
            if resource.type.startswith("google_project_iam") and len(of_kind) == 1:
                add(account_owner, of_kind[0], "iam")
    kept, dropped, graph, seen = [], [], {}, set()
    for edge in sorted(candidates, key=lambda e: (e.why != "reference", e.source, e.target)):
        if (edge.source, edge.target) in seen:
            continue
        seen.add((edge.source, edge.target))
        if _cycle(graph, edge.source, edge.target):
            dropped.append((edge, f"{edge.target} already depends on {edge.source} (depends_on may not form a cycle)"))
            continue
        graph.setdefault(edge.source, set()).add(edge.target)
        kept.append(edge)
    order = {m.name: i for i, m in enumerate(components)}
    kept.sort(key=lambda e: (order[e.source], order[e.target]))
    return kept, dropped


def _unique_names(components: list[Mapped]) -> None:
    """Names a plan takes: at most MAX_NAME_CHARS long, and none the same as another once lowercase with - for
    _ (api-data and api_data collide: the second becomes api_data_2, as a second `web` becomes web_2)."""
    from archplan.spec.names import MAX_NAME_CHARS

    for mapped, name in zip(components, numbered([m.name for m in components], MAX_NAME_CHARS)):
        mapped.name = name


def build(resources: list[TfResource], notes: list[str], source: str, region: str | None = None,
          name: str | None = None, keep_unknown: bool = False, default_region: str | None = None) -> ImportResult:
    """The plan the resources make. Its region: `region` (--region), else the one most resources name, else
    `default_region` (the google provider's, which resources without a region of their own are in)."""
    google = [r for r in resources if r.type.startswith("google_")]
    others = [r for r in resources if not r.type.startswith("google_") and r.type not in supporting_types()]
    if not google:
        kinds = sorted({r.type.split("_", 1)[0] for r in resources})
        # the resources may all be in modules from a registry, which only terraform show -json holds
        registry = [re.sub(r"^.*?module (\S+) \(source '?([^')]*)'?\).*$", r"\1 (\2)", n) for n in notes
                    if "only local modules" in n]
        raise ImportProblem("no google provider resources found" + (f" (resources of {', '.join(kinds)} only)"
                                                                      if kinds else "")
                            + (f"; modules not read: {', '.join(registry)}: import `terraform show -json` output "
                               "to include them" if registry else ""), source)
    region = region or _region(google) or literal_region(default_region)
    if region is None:
        raise ImportProblem("the region is not in the Terraform (no region or location attribute is known): "
                            "pass --region", source)
    ctx = MapContext(resources, region)
    kinds = resource_kinds()
    components: list[Mapped] = []
    by_kind: dict[str, list[Mapped]] = {}
    for kind, module in mappers().items():
        mine = [r for r in google if kinds.get(r.type) == kind]
        if mine:
            by_kind[kind] = module.components(mine, ctx)
            components += by_kind[kind]
    _unique_names(components)
    for mapped in components:
        _keep_region(mapped, region)
    for kind, found in by_kind.items():
        attach = getattr(mappers()[kind], "attach", None)
        if attach:
            attach(found, components, ctx)
    unknown = [r for r in google if r.type not in kinds and r.type not in supporting_types()]
    if keep_unknown:
        for resource in unknown:
            components.append(Mapped(
                re.sub(r"[^A-Za-z0-9_-]", "_", resource.name), "external",
                {"provider": f"Google Cloud ({resource.type})", "service": "other",
                 "items": [{"description": f"{resource.address}: a resource archplan does not price",
                            "currency": "USD", "unit": "month", "unit_price": 0, "quantity_per_month": 1}]},
                {resource.base_address}, resource, {"items": "archplan has no price for this resource type: "
                                                             "state its monthly price"}))
        _unique_names(components)
    if not components and unknown:
        raise ImportProblem("none of the google resources is one archplan has a kind for: "
                            + ", ".join(sorted({r.type for r in unknown})[:6]), source)
    if not components:  # resources of kinds archplan reads, each left out (the mappers say why)
        raise ImportProblem("no component imported: " + ("; ".join(ctx.notes) or "the google resources are all "
                                                         "supporting ones (IAM, networking, monitoring)"), source)
    edges, dropped = _edges(components, resources)
    project_name = name or _project_name(ctx, source)
    if not _NAME.fullmatch(project_name):
        raise ImportProblem(f"--name {project_name!r}: lowercase letters, digits and hyphens, starting with a "
                            "letter", source)
    project: dict = {"name": project_name, "region": region}
    budget = monthly_budget(ctx)
    if budget is not None:
        project["monthly_budget"] = budget
    all_notes = list(dict.fromkeys(notes + ctx.notes + [n for m in components for n in m.notes]))
    return ImportResult(project, components, edges, unknown, others, all_notes, dropped, len(resources), source)
