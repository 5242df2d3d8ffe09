"""Terraform for the google provider: one file per concern, variables and outputs, laid out like Cloud
Foundation Fabric's modules.

Each component kind has a module here named after it (cloud_run.py for `kind: cloud_run`) with
`generate(tf, component)`, and optionally `grant(tf, component, workload)`: what a workload that depends on
that component needs (an IAM role on it). Modules starting with `_` are the shared concerns: project,
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
_INTERPOLATION = re.compile(r"\$\{[^}]*\}")


def _refuse_long_compute_names(tf, ctx: Context) -> None:
    """A Compute Engine resource (VM, firewall rule, instance group, address) named past 63 characters fails
    its first apply: say which component's name is too long before writing anything."""
    from archplan.generate.hcl import Block

    for items in tf.files.values():
        for item in items:
            if not (isinstance(item, Block) and item.type == "resource"
                    and item.labels[0].startswith("google_compute_")):
                continue
            name = item.body.get("name")
            if not isinstance(name, str) or "${" not in name:
                continue
            count = item.body.get("count")
            shown = name.replace("${var.prefix}", ctx.prefix).replace("${var.region}", ctx.region)
            shown = shown.replace("${count.index + 1}", str(count) if isinstance(count, int) else "99")
            if _INTERPOLATION.search(shown) or len(shown) <= COMPUTE_NAME_MAX:
                continue
            owners = [c for c in ctx.plan.components if slug(c.name) in shown]
            owner = max(owners, key=lambda c: len(slug(c.name)), default=None)
            message = (f"generate would name a {item.labels[0]} {len(shown)} characters long; Compute Engine names "
                       f"are at most {COMPUTE_NAME_MAX}: shorten "
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
    _refuse_long_compute_names(tf, ctx)
    ctx._terraform = tf
    return tf
