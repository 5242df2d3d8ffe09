"""Terraform for the google provider: one file per concern, variables and outputs, laid out like Cloud
Foundation Fabric's modules.

Each component kind has a module here named after it (cloud_run.py for `kind: cloud_run`) with
`generate(tf, component)`, and optionally `grant(tf, component, workload)`: what a workload that depends on
that component needs (an IAM role on it), and `created_names(ctx, component)`: the GCP names of what its
generate creates, which the README lists (default <prefix>-<name>). Modules starting with `_` are the shared concerns: project,
network, IAM, monitoring and budget. Nothing here lists the kinds.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
from functools import cache
from types import ModuleType

from archplan.errors import SpecError
from archplan.generate.context import Context, slug

TARGET = "terraform"
ORDER = 1
FOLDER = "terraform"


@cache
def kind_module(kind: str) -> ModuleType:
    """The module of one kind, imported when a plan first has that kind (a plan uses a few of them)."""
    return importlib.import_module(f"{__name__}.{kind}")


def kind_modules(kinds=None) -> dict[str, ModuleType]:
    """kind -> module, for the given kinds (default: every kind that has a module)."""
    if kinds is None:
        import archplan.generate.terraform as package

        kinds = [m.name for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_")]
    return {kind: kind_module(kind) for kind in sorted(kinds)}


def needed(ctx: Context) -> bool:
    return True


def _refuse_duplicate_addresses(tf, ctx: Context) -> None:
    """Terraform refuses a configuration declaring one address twice; say so before writing it."""
    from archplan.errors import SpecError
    from archplan.generate.hcl import Block

    seen: set[tuple] = set()
    for items in tf.files.values():
        for item in items:
            if isinstance(item, Block) and item.type in ("resource", "data"):
                address = (item.type,) + tuple(item.labels)
                if address in seen:
                    raise SpecError(f"two names in the plan both become Terraform {'.'.join(item.labels)}; "
                                    "rename one", ctx.spec.file, ctx.spec.line_of(("components",)), "components")
                seen.add(address)


COMPUTE_NAME_MAX = 63  # hashicorp/terraform-provider-google e911480 (resource_compute_instance.go), after
# https://cloud.google.com/compute/docs/naming-resources#resource-name-format: 1-63 characters
_PROVIDER = "hashicorp/terraform-provider-google commit e03b7622a26cf4e878f90bdccaca6aa3d03a7999"
# resource type -> (the attribute naming it, fewest characters, most, what says so, what is named). A name outside
# these fails the first plan or apply; Compute Engine's rule covers every google_compute_* resource.
NAME_LENGTHS = {
    "google_container_cluster": ("name", 1, 40, f"{_PROVIDER}, google/services/container/"
                                 "resource_container_cluster.go (\"cannot be longer than 40 characters\")",
                                 "GKE cluster"),
    "google_redis_instance": ("name", 2, 41, f"{_PROVIDER}, google/services/redis/resource_redis_instance.go "
                              "(name ^[a-z][a-z0-9-]{0,39}[a-z0-9]$)", "Memorystore for Redis instance"),
    "google_spanner_instance": ("name", 6, 30, f"{_PROVIDER}, google/services/spanner/resource_spanner_instance.go "
                                "(\"between 6 and 30 characters\")", "Spanner instance"),
    "google_memorystore_instance": ("instance_id", 4, 63, f"{_PROVIDER}, google/services/memorystore/"
                                    "resource_memorystore_instance.go (\"4-63 characters\")",
                                    "Memorystore for Valkey instance"),
    "google_apikeys_key": ("name", 1, 63, "the google provider 6.50.0's apikeys_key docs (name: "
                           "\"[a-z]([a-z0-9-]{0,61}[a-z0-9])?\", at most 63 characters)", "API key"),
    "google_cloud_run_v2_service": ("name", 1, 63, f"{_PROVIDER}, google/services/compute/"
                                    "resource_compute_region_network_endpoint_group.go (the serverless NEG's "
                                    "Cloud Run \"service name must be 1-63 characters long\")",
                                    "Cloud Run service"),
}
_INTERPOLATION = re.compile(r"\$\{[^}]*\}")


def _name_rule(resource_type: str) -> tuple[str, int, int, str, str] | None:
    if resource_type in NAME_LENGTHS:
        return NAME_LENGTHS[resource_type]
    if resource_type.startswith("google_compute_"):
        return ("name", 1, COMPUTE_NAME_MAX, "cloud.google.com/compute/docs/naming-resources", "Compute Engine")
    return None


def _refuse_names_out_of_length(tf, ctx: Context) -> None:
    """A resource named past its service's length (a Compute Engine VM or firewall rule past 63 characters, a
    GKE cluster past 40, a Spanner instance outside 6-30) fails its first plan or apply: say which component's
    name is too long before writing anything."""
    from archplan.generate.hcl import Block

    for items in tf.files.values():
        for item in items:
            if not (isinstance(item, Block) and item.type == "resource"):
                continue
            rule = _name_rule(item.labels[0])
            if rule is None:
                continue
            attribute, fewest, most, _source, what = rule
            name = item.body.get(attribute)
            if not isinstance(name, str) or "${" not in name:
                continue
            count = item.body.get("count")
            shown = name.replace("${var.prefix}", ctx.prefix).replace("${var.region}", ctx.region)
            shown = shown.replace("${count.index + 1}", str(count) if isinstance(count, int) else "99")
            if _INTERPOLATION.search(shown) or fewest <= len(shown) <= most:
                continue
            owners = [c for c in ctx.plan.components if slug(c.name) in shown]
            owner = max(owners, key=lambda c: len(slug(c.name)), default=None)
            bound = f"at most {most}" if len(shown) > most else f"at least {fewest}"
            change = "shorten" if len(shown) > most else "lengthen"
            message = (f"generate would name a {item.labels[0]} {len(shown)} characters long; {what} names "
                       f"are {bound}: {change} "
                       + ("this component's name or the project's" if owner else "the project's name"))
            if owner is not None:
                raise ctx.error(owner, (), message)
            raise SpecError(message, ctx.spec.file, ctx.spec.line_of(("project", "name")), "project.name")


def render(ctx: Context, header: str) -> dict[str, str]:
    tf = build(ctx)
    return {f"{FOLDER}/{name}": text for name, text in tf.render(header).items()}


def build(ctx: Context):
    """The Terraform configuration in memory (what the README target also reads: variables, secrets);
    built once per context."""
    if getattr(ctx, "_terraform", None) is not None:
        return ctx._terraform
    from archplan.generate.terraform import _budget, _build, _monitoring, _network, _project, _workloads
    from archplan.generate.terraform._builder import Terraform

    tf = Terraform(ctx)
    _project.begin(tf)
    modules = kind_modules({component.kind for component in ctx.plan.components})
    for component in ctx.plan.components:
        modules[component.kind].generate(tf, component)
    _workloads.generate(tf, modules)
    _build.generate(tf)
    _network.generate(tf)
    _monitoring.generate(tf)
    _budget.generate(tf)
    _project.finish(tf)
    _refuse_duplicate_addresses(tf, ctx)
    _refuse_names_out_of_length(tf, ctx)
    ctx._terraform = tf
    return tf
