"""Read a plan file into a validated Spec, or fail with one SpecError naming file, line and key."""
from __future__ import annotations

import copy
import difflib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from archplan import components as registry
from archplan.errors import SpecError
from archplan.spec.model import SpecDocument, Spec
from archplan.spec.yamlpos import Positions, dotted, load_yaml_file


def suggest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "valid: " + ", ".join(sorted(choices))


def _allowed_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    """The field names allowed at the mapping that holds loc[-1], by walking the model."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int) or current is None:
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return []
        current = _model_in(fields[part].annotation)
    if current is None or not hasattr(current, "model_fields"):
        return []
    return list(current.model_fields)


def _model_in(annotation: Any) -> Any:
    """The BaseModel inside Optional[X], list[X], dict[str, X], or X itself."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _data_path(loc: tuple, data: Any) -> tuple:
    """pydantic's error location with its union and validator tags removed: only real keys and indexes."""
    path, node = [], data
    for part in loc:
        if isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
        elif not isinstance(node, (dict, list)) or isinstance(part, int):
            break
        elif part == loc[-1]:
            path.append(part)  # a missing key, or an unknown one already removed
    return tuple(path)


def _first_error(exc: ValidationError, model: type[BaseModel], prefix: tuple, file: str,
                 positions: Positions, data: Any) -> SpecError:
    errors = exc.errors(include_url=False)
    # A misspelt key shows up as both an unknown key and a missing one: the unknown key says more.
    error = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    loc = _data_path(tuple(error["loc"]), data)
    if error["type"] in ("extra_forbidden", "missing") and (not loc or loc[-1] != error["loc"][-1]):
        loc = loc + (error["loc"][-1],)
    path = prefix + loc
    line = positions.line_of(path)
    kind = error["type"]
    if kind == "extra_forbidden":
        message = "unknown key; " + suggest(str(loc[-1]), _allowed_keys(model, loc))
    elif kind == "missing":
        message = "required key is missing"
    else:
        message = error["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, "):]
        if kind not in ("model_type", "dict_type") and "input" in error and not isinstance(error["input"], (dict, list)):
            message += f" (got {error['input']!r})"
        elif kind in ("model_type", "dict_type"):
            message = "expected a mapping of keys to values" + (
                f" (got {type(error['input']).__name__})" if "input" in error else "")
    return SpecError(message, file, line, dotted(path))


def _apply_environment(data: dict, positions: Positions, env: str, file: str) -> None:
    """Merge an environment's overrides into the component and traffic sections, moving positions."""
    _apply_overrides(data, positions, ("project", "environments", env), data["project"]["environments"][env], file)


def _apply_overrides(data: dict, positions: Positions, env_path: tuple, overrides, file: str) -> None:
    """Merge one environment's or phase's overrides (at env_path in the file) into the plan."""
    overrides = overrides or {}
    if not isinstance(overrides, dict):
        return  # the model check reports it
    for name in overrides.get("exclude", []) or []:
        if name not in data.get("components", {}):
            raise SpecError("unknown component; " + suggest(name, list(data.get("components", {}))),
                            file, positions.line_of(env_path + ("exclude",)), dotted(env_path + ("exclude",)))
        del data["components"][name]
    for name, changes in (overrides.get("components") or {}).items():
        where = env_path + ("components", name)
        if name not in data.get("components", {}):
            raise SpecError("unknown component; " + suggest(name, list(data.get("components", {}))),
                            file, positions.line_of(where), dotted(where))
        if isinstance(changes, dict) and isinstance(data["components"][name], dict):
            _merge(data["components"][name], changes, ("components", name), where, positions)
    if "monthly_budget" in overrides:
        data["project"]["monthly_budget"] = copy.deepcopy(overrides["monthly_budget"])
        for path, line in list(positions.items()):
            if path[: len(env_path) + 1] == env_path + ("monthly_budget",):
                positions[("project",) + path[len(env_path):]] = line
    traffic = overrides.get("traffic") or {}
    if isinstance(traffic, dict) and traffic:
        data.setdefault("traffic", {})
        _merge(data["traffic"], traffic, ("traffic",), env_path + ("traffic",), positions)


def _named_list(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(i, dict) and "name" in i for i in value)


def _merge(target: dict, changes: dict, target_path: tuple, source_path: tuple, positions: Positions) -> None:
    """Deep-merge an override into the plan: mappings key by key, lists of named items (node pools,
    deployments, jobs) item by item on `name`; anything else is replaced."""
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value, target_path + (key,), source_path + (key,), positions)
            continue
        if _named_list(value) and _named_list(target.get(key)):
            by_name = {item["name"]: index for index, item in enumerate(target[key])}
            for index, item in enumerate(value):
                at = by_name.get(item["name"])
                if at is None:
                    at = len(target[key])
                    target[key].append({})
                _merge(target[key][at], item, target_path + (key, at), source_path + (key, index), positions)
            continue
        target[key] = copy.deepcopy(value)
        for path, line in list(positions.items()):
            if path[: len(source_path) + 1] == source_path + (key,):
                positions[target_path + path[len(source_path):]] = line


def _check_graph(components: dict, file: str, positions: Positions) -> None:
    names = list(components)
    for name, spec in components.items():
        for key, target in spec.referenced_components():
            if target not in components:
                path = ("components", name) + key
                raise SpecError("unknown component; " + suggest(target, names), file, positions.line_of(path),
                                dotted(path))
        for index, dependency in enumerate(spec.depends_on):
            if dependency.name not in components:
                path = ("components", name, "depends_on", index)
                raise SpecError("unknown component; " + suggest(dependency.name, names), file,
                                positions.line_of(path), dotted(path))
            if dependency.name == name:
                path = ("components", name, "depends_on", index)
                raise SpecError("a component cannot depend on itself", file, positions.line_of(path), dotted(path))
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for root in names:  # depth-first without recursion: a chain may be longer than Python's stack
        if root in state:
            continue
        state[root] = 1
        trail = [root]
        stack = [iter(components[root].depends_on)]
        while stack:
            dependency = next(stack[-1], None)
            name = trail[-1]
            if dependency is None:
                state[name] = 2
                stack.pop()
                trail.pop()
                continue
            if state.get(dependency.name) == 1:
                cycle = trail[trail.index(dependency.name):] + [dependency.name]
                path = ("components", name, "depends_on")
                raise SpecError("dependency cycle: " + " -> ".join(cycle), file, positions.line_of(path),
                                dotted(path))
            if state.get(dependency.name) is None:
                state[dependency.name] = 1
                trail.append(dependency.name)
                stack.append(iter(components[dependency.name].depends_on))


def _move_to_region(data: dict, region: str) -> None:
    """`--region`: the plan's region, and every component placed in the plan's own region, move there."""
    project = data.get("project")
    if not isinstance(project, dict):
        return
    old = project.get("region")
    project["region"] = region
    for body in (data.get("components") or {}).values() if isinstance(data.get("components"), dict) else ():
        if isinstance(body, dict) and old is not None and body.get("location") == old:
            body["location"] = region


def load_spec(path: str | Path, environment: str | None = None, regions: tuple[str, ...] | None = None,
              phase: str | None = None, region: str | None = None) -> Spec:
    """The plan at path; `region` (if given) prices it in another region without editing the file."""
    data, positions = load_yaml_file(path)
    return load_spec_data(data, positions, str(path), environment, regions, phase, region=region)


def _apply_phase(data: dict, positions: Positions, phase: str, file: str) -> None:
    phases = data.get("phases")
    names = [p.get("name") for p in phases if isinstance(p, dict)] if isinstance(phases, list) else []
    if phase not in names:
        raise SpecError(f"no phase {phase!r} in the plan; " + suggest(phase, names or ["(none defined)"]),
                        file, positions.line_of(("phases",)) or 1, "phases")
    index = names.index(phase)
    body = {key: value for key, value in phases[index].items() if key in ("traffic", "components", "exclude")}
    _apply_overrides(data, positions, ("phases", index), body, file)


def load_spec_data(data, positions: Positions, file: str, environment: str | None = None,
                   regions: tuple[str, ...] | None = None, phase: str | None = None, adjust=None,
                   region: str | None = None) -> Spec:
    """A Spec from YAML data already parsed (with its positions); `load_spec` reads the file first.
    The data is changed in place by the environment and phase overrides, then by `adjust(data)` if given
    (`scale` sets the load there), before it is validated; `region` moves the plan to another region."""
    if not isinstance(data, dict):
        raise SpecError("a plan is a mapping with project, components and optional traffic, slo, claims",
                        file, 1)
    if region is not None:
        _move_to_region(data, region)
    project = data.get("project")
    environments = project.get("environments") if isinstance(project, dict) else None
    if environment is not None:
        if not isinstance(environments, dict) or environment not in environments:
            raise SpecError(f"no environment {environment!r} in the plan; "
                            + suggest(environment, list(environments or {}) or ["(none defined)"]),
                            file, positions.line_of(("project", "environments")), "project.environments")
    elif isinstance(project, dict) and isinstance(environments, dict) and project.get("default_environment") in environments:
        environment = project["default_environment"]
    all_components = list(data["components"]) if isinstance(data.get("components"), dict) else []
    if environment is not None:
        _apply_environment(data, positions, environment, file)
    if phase is not None:
        _apply_phase(data, positions, phase, file)
    if adjust is not None:
        adjust(data)

    try:
        document = SpecDocument.model_validate(data)
    except ValidationError as exc:
        raise _first_error(exc, SpecDocument, (), file, positions, data) from None

    if regions is not None and document.project.region not in regions:
        from archplan import catalog

        raise SpecError(f"unknown or unsupported region {document.project.region!r}; "
                        + catalog.nearest_regions(document.project.region), file,
                        positions.line_of(("project", "region")), "project.region")

    if not document.components:
        raise SpecError("a plan needs at least one component", file, positions.line_of(("components",)),
                        "components")
    components = {}
    for name, body in document.components.items():
        where = ("components", name)
        if not isinstance(name, str) or not name.replace("-", "").replace("_", "").isalnum() or not name[0].isalpha():
            raise SpecError("component names start with a letter and hold letters, digits, - and _", file,
                            positions.line_of(where), dotted(where))
        kind = body.get("kind")
        if kind is None:
            raise SpecError("required key is missing; valid kinds: " + ", ".join(registry.kinds()), file,
                            positions.line_of(where), dotted(where + ("kind",)))
        if kind not in registry.kinds():
            raise SpecError(f"unknown kind {kind!r}; " + suggest(kind, registry.kinds()), file,
                            positions.line_of(where + ("kind",)), dotted(where + ("kind",)))
        model = registry.kind_module(kind).Spec
        try:
            components[name] = model.model_validate(body)
        except ValidationError as exc:
            raise _first_error(exc, model, where, file, positions, body) from None
    _check_graph(components, file, positions)
    for index, claim in enumerate(document.claims):
        if claim.environment is not None and claim.environment not in document.project.environments:
            path = ("claims", index, "environment")
            raise SpecError("unknown environment; " + suggest(claim.environment,
                                                              list(document.project.environments) or ["(none)"]),
                            file, positions.line_of(path), dotted(path))
        for name in claim.components or []:
            if name not in all_components:
                path = ("claims", index, "components")
                raise SpecError("unknown component; " + suggest(name, all_components), file,
                                positions.line_of(path), dotted(path))
    for flow_name, flow in document.flows.items():
        for key, names in (("entry", [flow.entry] if flow.entry else []), ("through", flow.through),
                           ("components", flow.components or [])):
            for name in names:
                if name not in all_components:
                    path = ("flows", flow_name, key)
                    raise SpecError("unknown component; " + suggest(name, all_components), file,
                                    positions.line_of(path), dotted(path))
    ids = [c.id for c in document.claims]
    for index, claim in enumerate(document.claims):
        if claim.flow is not None and claim.flow not in document.flows:
            path = ("claims", index, "flow")
            raise SpecError("unknown flow; " + suggest(claim.flow, list(document.flows) or ["(none)"]), file,
                            positions.line_of(path), dotted(path))
        for name in claim.claims or []:
            if name not in ids:
                path = ("claims", index, "claims")
                raise SpecError("unknown claim id; " + suggest(name, ids), file, positions.line_of(path),
                                dotted(path))
    for index, skip in enumerate(document.checks.skip):
        for name in skip.components or []:
            if name not in all_components:
                path = ("checks", "skip", index, "components")
                raise SpecError("unknown component; " + suggest(name, all_components), file,
                                positions.line_of(path), dotted(path))
    _check_phases(document, all_components, file, positions)
    return Spec(file, document.project, document.traffic, document.slo, components, document.claims,
                environment, positions, document.checks, phases=document.phases, phase=phase,
                vary=document.vary, flows=document.flows)


def _check_phases(document: SpecDocument, all_components: list[str], file: str, positions: Positions) -> None:
    previous = None
    for index, phase in enumerate(document.phases):
        for name in list(phase.components) + list(phase.exclude):
            if name not in all_components:
                path = ("phases", index, "components" if name in phase.components else "exclude")
                raise SpecError("unknown component; " + suggest(name, all_components), file,
                                positions.line_of(path), dotted(path))
        if previous is not None and phase.min_users < previous.min_users:
            path = ("phases", index, "min_users")
            raise SpecError(f"phases are listed in order of users: {phase.min_users} is below the previous "
                            f"phase's {previous.min_users}", file, positions.line_of(path), dotted(path))
        previous = phase
    names = [p.name for p in document.phases]
    for index, name in enumerate(names):
        if names.index(name) != index:
            path = ("phases", index, "name")
            raise SpecError(f"phase {name!r} is defined twice", file, positions.line_of(path), dotted(path))
