"""What may vary: the plan's `vary:` section, or per-kind defaults, turned into each component's options.

`vary: {db: {tier: [db-custom-1-3840, db-custom-2-7680], ha: [false, true]}, api: {min_instances: auto}}`
lists the values each setting may take; `auto` takes the kind's default list for that setting. Without a
`vary:` section every component whose kind has defaults varies over them:

- cloud_sql: tier (the current one, half and double the vCPU in the same family), ha (off, on),
  read_replicas (0 and the current count), commitment (none, 1y, 3y);
- memorystore_redis: tier (basic, standard), commitment (none, 1y, 3y where priced);
- cloud_run: min_instances (0, 1, 2 and the current), max_instances (the current, and what the peak
  needs if that is more);
- compute_engine: count (the current and one more; two or more VMs take the multiple-zones SLA);
- gke (Standard): location_type (zonal, regional), the first node pool's commitment (none, 1y, 3y);
- alloydb, spanner, memorystore_valkey, memorystore_redis_cluster, firestore (Standard edition): commitment
  (none, 1y, 3y).

A setting may be nested: `backups.pitr`, or an item of a named list, `node_pools[default-pool].nodes`.

A default value the catalog cannot price (a commitment on a shared-core tier) is left out; a value the
plan declares that cannot be priced or is not a valid setting is a one-line error at the value.
"""
from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

from archplan.errors import SpecError
from archplan.optimize import paths

AUTO = "auto"
COMMITMENTS = ["none", "1y", "3y"]


def _sql_tiers(tier: str) -> list[str]:
    from archplan.components.cloud_sql import SHARED_CORE

    if tier in SHARED_CORE:
        return ["db-f1-micro", "db-g1-small", "db-custom-1-3840"]
    if match := re.match(r"^db-custom-(\d+)-(\d+)$", tier):
        vcpu, memory = int(match.group(1)), int(match.group(2))
        per_vcpu = memory // vcpu
        out = []
        for size in (vcpu // 2, vcpu, vcpu * 2):
            if size >= 1 and (size == 1 or size % 2 == 0):
                out.append(f"db-custom-{size}-{(per_vcpu * size) // 256 * 256}")
        return list(dict.fromkeys(out + [tier]))
    if match := re.match(r"^db-n1-(standard|highmem)-(\d+)$", tier):
        family, vcpu = match.group(1), int(match.group(2))
        sizes = (1, 2, 4, 8, 16, 32, 64, 96)
        index = sizes.index(vcpu)
        return [f"db-n1-{family}-{sizes[i]}" for i in (index - 1, index, index + 1) if 0 <= i < len(sizes)]
    return [tier]


def defaults(component, capacity_row=None, target: float = 0.6) -> dict[str, list]:
    """The kind's default values per setting, around the component's current settings."""
    spec = component.spec
    if component.kind == "cloud_sql":
        return {"tier": _sql_tiers(spec.tier), "ha": [False, True],
                "read_replicas": sorted({0, spec.read_replicas}), "commitment": COMMITMENTS}
    if component.kind == "memorystore_redis":
        return {"tier": ["basic", "standard"], "commitment": COMMITMENTS}
    if component.kind == "cloud_run":
        maximum = [spec.max_instances]
        if capacity_row is not None:
            needed = capacity_row.instances_needed
            if needed > spec.max_instances:
                maximum.append(needed)
        return {"min_instances": sorted({0, 1, 2, spec.min_instances}), "max_instances": maximum}
    if component.kind == "compute_engine":
        return {"count": sorted({max(spec.count, 1), spec.count + 1})}
    if component.kind in ("alloydb", "spanner", "memorystore_valkey", "memorystore_redis_cluster"):
        return {"commitment": COMMITMENTS}
    if component.kind == "firestore" and spec.edition == "standard":
        return {"commitment": COMMITMENTS}
    if component.kind == "gke" and spec.mode == "standard" and spec.node_pools:
        pool = spec.node_pools[0]
        return {"location_type": ["zonal", "regional"], f"node_pools[{pool.name}].commitment": COMMITMENTS}
    return {}


@dataclass
class Option:
    """One configuration of one component: the settings changed from the plan, and the resolved component."""

    component: str
    changes: dict  # setting -> value (only those that differ from the plan)
    resolved: object  # archplan.components.base.Component


def _line(spec, path) -> int | None:
    return spec.line_of(tuple(path))


def _resolve(plan, component, changes: dict):
    from archplan import components as registry
    from archplan.components.base import Component, UsageContext

    spec = component.spec
    body = spec.model_dump(exclude_unset=False)
    for setting, value in changes.items():
        paths.put(body, setting, value)
    new_spec = type(spec).model_validate(body)
    ctx = UsageContext(component.name, plan.traffic, plan.file, plan.spec.line_of, plan.spec.components,
                       _serving(plan).get(component.name))
    usage = registry.kind_module(component.kind).usage(new_spec, ctx)
    return Component(name=component.name, kind=component.kind, spec=new_spec, region=component.region,
                     usage=usage, line=component.line)


def _serving(plan) -> dict:
    """The shares failover balancers send each component (components.load_balancer), once per plan."""
    from archplan.components.load_balancer import serving_fractions
    from archplan.plan import remembered

    return remembered(plan, "_serving", lambda p: serving_fractions(p.spec.components, p.region))


def _priceable(plan, resolved) -> str | None:
    """None if the catalog can price it, else the reason."""
    from dataclasses import replace

    from archplan.analysis.cost import cost_report

    try:
        cost_report(replace(plan, components=[resolved]))
    except SpecError as error:
        return error.message
    return None


def options(plan, capacity=None, settings_limit: int = 4096) -> dict[str, list[Option]]:
    """Per varying component, its options (the plan's own configuration first)."""
    from pydantic import ValidationError

    spec = plan.spec
    declared = spec.vary
    by_name = {c.name: c for c in plan.components}
    rows = {row.name: row for row in (capacity.services if capacity else [])}
    for name in declared:
        if name not in by_name:
            from archplan.spec.load import suggest

            raise SpecError("unknown component; " + suggest(name, list(by_name)), plan.file,
                            _line(spec, ("vary", name)), f"vary.{name}")
    chosen = declared if declared else {c.name: {key: AUTO for key in defaults(c, rows.get(c.name))}
                                        for c in plan.components}
    out: dict[str, list[Option]] = {}
    for name, settings in chosen.items():
        component = by_name[name]
        kind_defaults = defaults(component, rows.get(name), float(spec.checks.target_utilization))
        values: dict[str, list] = {}
        for setting, listed in settings.items():
            where = ("vary", name, setting)
            try:
                head = paths.parse(setting)[0][0]
                paths.get(component.spec.model_dump(), setting)
            except (ValueError, KeyError, TypeError):
                head = None
            if head not in type(component.spec).model_fields or head in ("kind", "depends_on"):
                from archplan.spec.load import suggest

                raise SpecError(f"{component.kind} has no setting {setting!r} to vary; "
                                + suggest(setting, [f for f in type(component.spec).model_fields
                                                    if f not in ("kind", "depends_on", "description")]),
                                plan.file, _line(spec, where), ".".join(where))
            if listed == AUTO:
                if setting not in kind_defaults:
                    raise SpecError(f"no default values for {component.kind} {setting}; list them", plan.file,
                                    _line(spec, where), ".".join(where))
                values[setting] = [(value, None) for value in kind_defaults[setting]]
            else:
                if not isinstance(listed, list) or not listed:
                    raise SpecError("give a list of values or 'auto'", plan.file, _line(spec, where), ".".join(where))
                values[setting] = [(value, where + (index,)) for index, value in enumerate(listed)]
        dumped = component.spec.model_dump()
        current = {setting: paths.get(dumped, setting) for setting in values}
        # Counted before any is built: three lists of 300 values are 27 million tuples (1.9 GB).
        count = math.prod(len(listed) for listed in values.values())
        if count > settings_limit:
            raise SpecError(f"{count:,} combinations of {', '.join(values)} for one component (at most "
                            f"{settings_limit:,}); list fewer values", plan.file, _line(spec, ("vary", name)),
                            f"vary.{name}")
        combos = itertools.product(*values.values())
        found: list[Option] = []
        seen = set()
        used: set = set()  # declared values that appear in at least one valid option
        rejected: dict = {}  # declared value -> why a combination holding it was refused
        for combo in combos:
            changes = {}
            for (setting, (value, _where)) in zip(values, combo):
                if value != current[setting]:
                    changes[setting] = value
            try:
                resolved = _resolve(plan, component, changes)
            except (ValidationError, SpecError, ValueError) as error:
                declared_at = [where for (value, where) in combo if where is not None]
                if not declared_at:
                    continue  # a default that does not apply to this configuration
                message = error.errors(include_url=False)[0]["msg"] if isinstance(error, ValidationError) else str(error)
                message = message.removeprefix("Value error, ")
                if len(declared_at) == 1 or not isinstance(error, ValidationError):
                    raise SpecError(f"not a valid value here: {message}", plan.file, _line(spec, declared_at[0]),
                                    ".".join(map(str, declared_at[0]))) from None
                for where in declared_at:
                    rejected.setdefault(where, message)
                continue  # an invalid combination of valid values (e.g. min above max): skipped
            reason = _priceable(plan, resolved)
            if reason is not None:
                declared_at = [where for (value, where) in combo if where is not None and
                               _priceable(plan, _resolve(plan, component, {where[2]: value})) is not None]
                if declared_at:
                    raise SpecError(f"the catalog cannot price this value: {reason}", plan.file,
                                    _line(spec, declared_at[0]), ".".join(map(str, declared_at[0])))
                for where in (where for (_value, where) in combo if where is not None):
                    rejected.setdefault(where, reason)
                continue
            used.update(where for (_value, where) in combo if where is not None)
            key = tuple(sorted((k, repr(v)) for k, v in changes.items()))
            if key in seen:
                continue
            seen.add(key)
            found.append(Option(name, changes, resolved))
        for where, reason in rejected.items():
            if where not in used:
                raise SpecError(f"no combination with the other listed values can be priced: {reason}", plan.file,
                                _line(spec, where), ".".join(map(str, where)))
        found.sort(key=lambda option: len(option.changes) > 0)  # the plan's own configuration first
        if not found or found[0].changes:
            found.insert(0, Option(name, {}, component))
        out[name] = found
    return {name: opts for name, opts in out.items()}


def space_size(per_component: dict[str, list]) -> int:
    return math.prod(len(v) for v in per_component.values()) if per_component else 1
