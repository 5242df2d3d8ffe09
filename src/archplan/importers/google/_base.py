"""What the mappers share: the Mapped result, the context they read resources through, and small readers
of Terraform values (durations, memory sizes, names)."""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from archplan.importers.hcl.expressions import unknown
from archplan.importers.resources import ImportProblem, TfResource

# Resources with no price and no component of their own in archplan: networking plumbing, IAM, monitoring
# configuration, project settings. They are read for the references they carry (IAM bindings give edges)
# and otherwise left out, listed in the report's count of resources read.
PLUMBING = frozenset({
    "google_project_service", "google_project_iam_member", "google_project_iam_binding",
    "google_project_iam_audit_config", "google_service_account", "google_service_account_iam_member",
    "google_service_account_iam_binding", "google_service_account_key",
    "google_compute_network", "google_compute_subnetwork", "google_compute_firewall",
    "google_compute_global_address", "google_compute_address", "google_service_networking_connection",
    "google_compute_ssl_policy", "google_compute_managed_ssl_certificate", "google_compute_ssl_certificate",
    "google_compute_target_https_proxy", "google_compute_target_http_proxy", "google_compute_url_map",
    "google_compute_backend_service", "google_compute_backend_bucket", "google_compute_region_network_endpoint_group",
    "google_compute_global_forwarding_rule", "google_compute_router", "google_compute_shared_vpc_service_project",
    "google_monitoring_alert_policy", "google_monitoring_notification_channel", "google_monitoring_uptime_check_config",
    "google_monitoring_dashboard", "google_billing_budget", "google_logging_project_sink", "google_project",
    "google_dns_record_set", "google_cloud_run_v2_service_iam_member", "google_cloud_run_v2_service_iam_binding",
    "google_cloud_run_v2_job_iam_member", "google_compute_backend_bucket_signed_url_key", "google_cloudbuild_worker_pool",
    "google_cloud_run_service_iam_member", "google_cloudfunctions2_function_iam_member",
    "google_pubsub_topic_iam_member", "google_pubsub_subscription_iam_member", "google_storage_bucket_iam_member",
    "google_storage_bucket_iam_binding", "google_secret_manager_secret_iam_member",
    "google_artifact_registry_repository_iam_member", "google_bigquery_dataset_iam_member",
    "google_kms_crypto_key_iam_member", "google_vpc_access_connector_iam_member", "google_compute_project_metadata",
    "google_compute_project_metadata_item", "google_compute_security_policy_rule", "google_project_organization_policy",
    "google_org_policy_policy", "google_tags_tag_binding", "google_cloud_run_service_iam_binding",
    "google_project_service_identity", "google_project_iam_custom_role", "google_storage_bucket_object",
    "google_compute_health_check", "google_compute_route", "google_cloudfunctions2_function_iam_binding",
    "google_pubsub_topic_iam_binding", "google_pubsub_subscription_iam_binding",
    "google_secret_manager_secret_iam_binding", "google_compute_subnetwork_iam_member",
    "google_cloud_run_service_iam_policy", "google_cloud_run_v2_service_iam_policy",
})
# Labels that say nothing about the resource: a module's resource takes the module's name, a root
# resource its own `name` (in a module, these and the kind's usual words do).
GENERIC_LABELS = ("this", "main", "default", "primary", "instance", "self")
MODULE_LABELS = GENERIC_LABELS + ("service", "cluster", "bucket", "function", "topic", "repository", "policy")


@dataclass
class Mapped:
    """One component read from Terraform."""

    name: str
    kind: str
    fields: dict  # spec fields, in the order written
    owns: set[str]  # base addresses of the resources it was read from
    source: TfResource  # the resource it is named after (for the comment naming file and line)
    placeholders: dict[str, str] = field(default_factory=dict)  # field -> why it is a placeholder
    notes: list[str] = field(default_factory=list)
    ignore_refs: set[str] = field(default_factory=set)  # references that are not runtime calls (deploy-time)
    reverse_refs: set[str] = field(default_factory=set)  # references read the other way (a trigger's topic)


class MapContext:
    def __init__(self, resources: list[TfResource], region: str | None):
        self.resources = resources
        self.region = region
        self.by_base: dict[str, list[TfResource]] = {}
        self.by_type: dict[str, list[TfResource]] = {}  # each type's resources, in file order
        self.position = {id(r): i for i, r in enumerate(resources)}
        for resource in resources:
            self.by_base.setdefault(resource.base_address, []).append(resource)
            self.by_type.setdefault(resource.type, []).append(resource)
        self.notes: list[str] = []
        self.name_prefix = _common_name_prefix(resources)

    def own_name(self, name: str) -> str:
        """A resource name without the prefix most names in the configuration share (myapp-orders -> orders);
        kept whole where what follows the prefix is not a name (orders-0, orders-1: plan names start with a letter)."""
        own = name[len(self.name_prefix):] if self.name_prefix and name.startswith(self.name_prefix) else ""
        return own if own[:1].isascii() and own[:1].isalpha() else name

    def of_type(self, *types: str) -> list[TfResource]:
        """The resources of these types, in file order (from the per-type index: a scan of every resource per
        call made importing thousands of resources quadratic)."""
        found = [r for t in dict.fromkeys(types) for r in self.by_type.get(t, [])]
        return sorted(found, key=lambda r: self.position[id(r)]) if len(types) > 1 else found

    def referrers(self, target: TfResource | set[str], *types: str) -> list[TfResource]:
        """Resources of these types that refer to the target (a resource or a set of base addresses)."""
        targets = {target.base_address} if isinstance(target, TfResource) else target
        return [r for r in self.of_type(*types) if r.references & targets]

    def referenced(self, resource: TfResource, *types: str) -> list[TfResource]:
        return [r for address in sorted(resource.references) for r in self.by_base.get(address, [])
                if not types or r.type in types]


def _common_name_prefix(resources: list[TfResource]) -> str:
    """The longest `prefix-` more than half of the resource names start with (myapp-prod-api,
    myapp-prod-db -> myapp-prod-), else ''. A secret's id is its name."""
    names = [r.values.get("secret_id" if r.type == "google_secret_manager_secret" else "name") for r in resources]
    names = [n for n in names if isinstance(n, str) and "-" in n]
    if len(names) < 2:
        return ""
    counts: dict[str, int] = {}
    for name in set(names):
        for cut in [i + 1 for i, ch in enumerate(name[:-1]) if ch == "-"]:
            counts[name[:cut]] = 0
    for prefix in counts:
        counts[prefix] = sum(1 for n in names if n.startswith(prefix) and len(n) > len(prefix))
    shared = [p for p, count in counts.items() if count * 2 > len(names)]
    return max(shared, key=len) if shared else ""


def placeholders(usage: dict) -> dict[str, str]:
    """The placeholder comments of a kind's USAGE fields that are written (those with a value)."""
    return {key: f"{what}: Terraform does not hold it" for key, (value, what) in usage.items()
            if value is not None and "." not in key and "[" not in key}


def label_name(resource: TfResource) -> str:
    """The component name for a resource: its Terraform label; for a generic label (this, main, default...)
    the module it is in, else its own `name` when that is a plain literal."""
    modules = re.findall(r"module\.([A-Za-z0-9_-]+)", resource.address)
    name = resource.name
    if modules and name in MODULE_LABELS:
        name = modules[-1]
    elif name in GENERIC_LABELS:
        own = resource.values.get("name")
        if isinstance(own, str) and re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]{0,62}", own):
            name = own
    # An instance of a module with count or for_each (module.svc["a"]...) is named after its key too.
    keys = re.findall(r'module\.[A-Za-z0-9_-]+\[("?)([^\]"]+)\1\]', resource.address)
    if keys:
        name = f"{name}_{keys[-1][1]}"
    name = _ascii(name)
    if not re.search(r"[A-Za-z0-9]", name):  # a label in another script (サービス): its own name, else its type
        own = resource.values.get("name")
        name = _ascii(own) if isinstance(own, str) and re.search(r"[A-Za-z0-9]", _ascii(own)) else \
            resource.type.removeprefix("google_")
    return name if re.match(r"^[A-Za-z]", name) else f"r_{name}"


def _ascii(text: str) -> str:
    """A label in the characters a plan name takes: accents dropped (données -> donnees), anything else _."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    if plain != text:
        plain = plain.strip("_-")  # what the characters dropped leave at the ends (api-日本 -> api)
    return re.sub(r"[^A-Za-z0-9_-]", "_", plain)


def distinct(names: list[str]) -> bool:
    """Whether no two of the names become the same generated name (orders and Orders do: lowercase, - for _)."""
    from archplan.spec.names import normal

    return len({normal(n) for n in names}) == len(names)


def numbered(names: list[str], limit: int = 1 << 16) -> list[str]:
    """The names, at most `limit` characters long, each one that would become the same generated name as one
    before it numbered (_2, _3...)."""
    from archplan.spec.names import normal

    seen: set[str] = set()
    found = []
    for name in names:
        name = name[:limit]
        candidate, n = name, 1
        while normal(candidate) in seen:
            n += 1
            candidate = f"{name[:limit - len(str(n)) - 1]}_{n}"
        seen.add(normal(candidate))
        found.append(candidate)
    return found


def group_name(resources: list[TfResource], own_names: list[str], fallback: str) -> str:
    """A name for a component made of several resources (Pub/Sub topics, secrets, scheduler jobs): what
    their labels share before their own names (pubsub_orders, pubsub_payments -> pubsub); one resource whose
    label is all its own name (a queue enrich_queue named enrich-queue) keeps it, as a single-resource kind's
    component does (label_name); else `fallback`, for resources with nothing in common."""
    stems = set()
    for resource, own in zip(resources, own_names):
        own_ident = re.sub(r"[^A-Za-z0-9]", "_", own)
        label = resource.name
        stems.add(label[: -len(own_ident)].rstrip("_") if own_ident and label.endswith(own_ident) else "")
    if len(stems) == 1 and (stem := stems.pop()) and re.match(r"^[A-Za-z][A-Za-z0-9_-]*$", stem):
        return stem
    if len(resources) == 1:
        return label_name(resources[0])
    return fallback


def seconds(value, default: int | None = None) -> int | None:
    """'300s' or 300 -> 300."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, str) and (match := re.fullmatch(r"(\d+)(?:\.\d+)?s", value.strip())):
        return int(match.group(1))
    return default


def memory(value) -> str | None:
    """A Kubernetes-style memory size as the plan writes it ('512Mi', '2Gi'); '1G' -> '1000M' units kept."""
    if isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?(Ki|Mi|Gi|M|G|k)?", value.strip()):
        return value.strip()
    return None


def cpu(value) -> str | Decimal | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(str(value))
    if isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?m?", value.strip()):
        text = value.strip()
        return text if text.endswith("m") else Decimal(text)
    return None


def whole(value) -> int | None:
    """A whole number as Terraform takes it for a number argument: 8000 or "8000" (a string variable)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return int(value.strip()) if isinstance(value, str) and value.strip().isdigit() else None


def invalid(resource: TfResource, path: tuple, why: str) -> ImportProblem:
    """A value GCP itself would refuse: one line naming the file (and line), the resource and the argument."""
    key = ".".join(str(p) for p in path)
    return ImportProblem(f"{resource.address}: {why}", resource.file, resource.line, key)


def written(resource: TfResource, ctx: "MapContext", path: tuple, assumed: str):
    """The value at `path`: None where it is not written, and where it is known only after apply, which the
    notes then say, with what is done instead (`assumed`)."""
    raw = resource._at(path)
    if raw is not None and unknown(raw):
        ctx.notes.append(f"{resource.address}: {'.'.join(map(str, path))} is not known before apply: {assumed}")
        return None
    return raw


_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


def number(resource: TfResource, ctx: "MapContext", *path, default=None, minimum=None, maximum=None,
           integer: bool = True, assumed: str = ""):
    """A number argument, checked as GCP checks it. Not written (null): `default`, silently (what GCP does
    too). Known only after apply: `default`, said in the notes (`assumed` says what is done instead, as in
    "read as 10 GB" or "left out"). A value Terraform would refuse (a string that is not a number, a bool) or GCP would (NaN, infinity,
    a fraction where a whole number belongs, below `minimum` or above `maximum`): ImportProblem, one line.
    A number written as a string ("8000") is read as Terraform converts it."""
    raw = written(resource, ctx, path,
                  assumed or (f"read as {default}" if default is not None else "left at GCP's default"))
    if raw is None:
        return default
    value = raw
    if isinstance(raw, str) and _NUMBER.fullmatch(raw.strip()):
        value = Decimal(raw.strip())
    elif isinstance(raw, float):
        value = Decimal(str(raw)) if math.isfinite(raw) else None
    elif isinstance(raw, bool) or not isinstance(raw, (int, Decimal)):
        raise invalid(resource, path, f"{_shown(raw)} is not a number")
    if value is None or isinstance(value, Decimal) and not value.is_finite():
        raise invalid(resource, path, f"{_shown(raw)} is not a finite number")
    if integer:
        if value != int(value):
            raise invalid(resource, path, f"{_shown(raw)} is not a whole number")
        value = int(value)
    elif isinstance(value, Decimal) and value == int(value):
        value = int(value)
    if minimum is not None and value < minimum:
        raise invalid(resource, path, f"{_shown(value)} is below {minimum}, the least GCP takes")
    if maximum is not None and value > maximum:
        raise invalid(resource, path, f"{_shown(value)} is above {maximum}, the most GCP takes")
    return value


def duration(resource: TfResource, ctx: "MapContext", *path, default: int | None = None, minimum: int = 0,
             assumed: str = "") -> int | None:
    """A duration argument ('300s', '3.5s' or a number of seconds) in whole seconds, checked as number()
    checks a number (not written: `default`; not known: `default`, said; not a duration or below `minimum`:
    one line)."""
    raw = resource._at(path)
    if isinstance(raw, str) and not unknown(raw):
        match = re.fullmatch(r"(\d+(?:\.\d+)?)s", raw.strip())
        if not match:
            raise invalid(resource, path, f"{_shown(raw)} is not a duration (seconds, like 300s)")
        value = int(Decimal(match.group(1)))
        if value < minimum:
            raise invalid(resource, path, f"{_shown(raw)} is below {minimum}s, the least GCP takes")
        return value
    found = number(resource, ctx, *path, default=default, minimum=minimum, integer=False, assumed=assumed)
    return int(found) if found is not None else None


def _shown(value) -> str:
    text = repr(value) if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def cpu_limit(resource: TfResource, ctx: "MapContext", *path, assumed: str = "left at the default CPU") \
        -> str | Decimal | None:
    """A container's CPU limit ('2', '1000m', 0.5): None where it is not written or not known (said), one
    line where it is not a CPU amount GCP takes (negative, zero, NaN, not a number)."""
    raw = written(resource, ctx, path, assumed)
    if raw is None:
        return None
    found = cpu(raw)
    try:
        amount = Decimal(str(found).removesuffix("m")) if found is not None else None
    except InvalidOperation:
        amount = None
    if found is None or amount is None or not amount.is_finite() or amount <= 0:
        raise invalid(resource, path, f"{_shown(raw)} is not a CPU amount (a number of vCPU above 0, like 1 or 0.5, "
                                      "or millicores, like 500m)")
    return found


def memory_limit(resource: TfResource, ctx: "MapContext", *path, read=None,
                 assumed: str = "left at the default memory") -> str | None:
    """A container's memory limit ('512Mi', '2Gi'): None where it is not written or not known (said), one line
    where it is not a size above 0. `read` is the kind's own reader of the value (memory by default)."""
    raw = written(resource, ctx, path, assumed)
    if raw is None:
        return None
    found = (read or memory)(raw)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and found is None and math.isfinite(raw):
        found = str(raw)
    amount = re.match(r"\d+(\.\d+)?", found) if found else None
    if amount is None or Decimal(amount.group()) <= 0:
        raise invalid(resource, path, f"{_shown(raw)} is not a memory size above 0 (like 512Mi or 2Gi)")
    if amount.group() == found:  # a bare number is bytes, as in Kubernetes: the plan writes a unit
        return f"{(Decimal(found) / 1048576).normalize():f}Mi"
    return found.removesuffix("k") + "K" if found.endswith("k") else found


def enabled(value, default: bool = False) -> bool:
    return value if isinstance(value, bool) else default


def literal_region(value) -> str | None:
    """A region written as a literal (`var.region` and other expressions are not known here)."""
    return value if isinstance(value, str) and re.fullmatch(r"[a-z]+-[a-z]+[0-9]+", value) else None


def function_source_buckets(ctx: MapContext) -> set[str]:
    """Buckets that only hold 2nd-gen functions' source archives: named in a function's build_config and
    otherwise used only by their objects and IAM grants (how a deployment ships code, not application data).
    The function owns them, so the round trip does not turn them into a component of their own."""
    named = {ref for function in ctx.of_type("google_cloudfunctions2_function") for ref in function.refs("build_config")
             if ref.startswith("google_storage_bucket.")}
    plumbing = ("google_cloudfunctions2_function", "google_storage_bucket_object", "google_storage_bucket_iam_member",
                "google_storage_bucket_iam_binding")
    return {address for address in named
            if all(r.type in plumbing for r in ctx.resources if address in r.references)}


def owned(*resources: TfResource) -> set[str]:
    return {r.base_address for r in resources}


def continent_destination(region: str | None) -> str | None:
    """Cloud CDN's egress destination from the project region's continent (a stated derivation)."""
    if not region:
        return None
    if region.startswith("australia-"):
        return "oceania"
    if region.startswith("asia-"):
        return "asia_pacific"
    if region.startswith(("europe-", "me-")):
        return "europe"
    if region.startswith("southamerica-"):
        return "south_america"
    if region.startswith(("us-", "northamerica-")):
        return "north_america"
    return None
