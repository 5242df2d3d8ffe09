"""Read a plan file into a validated Spec, or fail with one SpecError naming file, line and key."""
from __future__ import annotations

import copy
import difflib
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ValidationError

from archplan import components as registry
from archplan.errors import CatalogError, SpecError, combined
from archplan.spec.model import Environment, SpecDocument, Spec
from archplan.spec.yamlpos import Positions, dotted, load_yaml, read_plan_text


MAX_LISTED_CHOICES = 12


def suggest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(str(word)[:100], list(choices), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    listed = sorted(choices)
    more = f" and {len(listed) - MAX_LISTED_CHOICES} more" if len(listed) > MAX_LISTED_CHOICES else ""
    return "valid: " + ", ".join(listed[:MAX_LISTED_CHOICES]) + more


def _allowed_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    """The field names allowed at the mapping that holds loc[-1], by walking the model (a dict's keys and a
    list's indexes are stepped over)."""
    holder = _model_holding(model, loc)
    return list(holder.model_fields) if holder is not None else []


def _missing_message(model: type[BaseModel], loc: tuple) -> str:
    """A missing key, with what it is and the values it takes (from the schema), so the fix is in the line."""
    holder = _model_holding(model, loc)
    field = holder.model_fields.get(str(loc[-1])) if holder is not None and loc else None
    message = "required key is missing"
    if field is None:
        return message
    if field.description:
        message += f": {field.description}"
    choices = [a for a in get_args(field.annotation) if isinstance(a, str)] \
        if get_origin(field.annotation) is Literal else []
    if choices:
        message += f"; one of {', '.join(choices)}"
    return message


def _model_holding(model: type[BaseModel], loc: tuple):
    """The model whose field loc[-1] is, or None."""
    current: Any = model
    keyed = False  # the last field was a dict of models: the next part is one of its keys
    for part in loc[:-1]:
        if isinstance(part, int) or current is None:
            continue
        if keyed:
            keyed = False
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return None
        annotation = fields[part].annotation
        keyed = _is_dict_of_models(annotation)
        current = _model_in(annotation)
    if current is None or not hasattr(current, "model_fields"):
        return None
    return current


def _is_dict_of_models(annotation: Any) -> bool:
    origin = getattr(annotation, "__origin__", None)
    if origin is dict:
        return _model_in(annotation.__args__[-1]) is not None
    return any(_is_dict_of_models(arg) for arg in getattr(annotation, "__args__", ()) or ())


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
        elif not isinstance(node, dict) or isinstance(part, int):
            break  # a list or scalar where pydantic tags its union members and validators: not real keys
        elif part == loc[-1]:
            path.append(part)  # a missing key, or an unknown one already removed
    return tuple(path)


def _errors_of(exc: ValidationError, model: type[BaseModel], prefix: tuple, file: str,
               positions: Positions, data: Any) -> list[SpecError]:
    """Every error pydantic found, one per key written (a value failing each member of a union is one error,
    the first member's, as before)."""
    errors = exc.errors(include_url=False)
    found: dict[tuple, SpecError] = {}
    unknown: dict[tuple, list[str]] = {}  # mapping -> the unknown keys written in it
    for error in errors:
        loc = _data_path(tuple(error["loc"]), data)
        if error["type"] in ("extra_forbidden", "missing") and (not loc or loc[-1] != error["loc"][-1]):
            loc = loc + (error["loc"][-1],)
        if error["type"] == "extra_forbidden":
            unknown.setdefault(loc[:-1], []).append(str(loc[-1]))
        found.setdefault(loc, _error_at(error, loc, model, prefix, file, positions))
    kept: list[tuple[tuple, SpecError]] = []
    later: list[tuple[tuple, SpecError]] = []
    for loc, problem in found.items():
        if problem.message.startswith("required key is missing") and loc:
            # A misspelt key shows up as both an unknown key and a missing one: the unknown key's suggestion
            # says it. A missing key beside an unknown one is said after it: the unknown key is likely the cause.
            if any(_answers(word, loc, model) for word in unknown.get(loc[:-1], ())):
                continue
            if unknown.get(loc[:-1]):
                later.append((loc, problem))
                continue
        kept.append((loc, problem))
    for loc, problem in later:
        after = max(i for i, (other, _) in enumerate(kept) if other[:-1] == loc[:-1])
        kept.insert(after + 1, (loc, problem))
    return [problem for _, problem in kept]


def _suggest_key(word: str, loc: tuple, model: type[BaseModel], choices: list[str] | None = None) -> str:
    """What to say of an unknown key `word` in the mapping holding loc[-1]: a name other tools use for a
    field of the kind (other_names), else the closest allowed key or the list of them."""
    known = getattr(_model_holding(model, loc), "other_names", {}).get(word)
    if known:
        return f"did you mean '{known}'?"
    return suggest(word, _allowed_keys(model, loc) if choices is None else choices)


def _answers(word: str, loc: tuple, model: type[BaseModel]) -> bool:
    """Whether the unknown key `word`'s suggestion is the missing key at loc (so that error says it)."""
    return _suggest_key(word, loc, model, [str(loc[-1])]) == f"did you mean '{loc[-1]}'?"


def _validation_error(exc: ValidationError, model: type[BaseModel], prefix: tuple, file: str,
                      positions: Positions, data: Any) -> SpecError:
    """All of pydantic's errors as one SpecError (a SpecErrors when there are several)."""
    return combined(_errors_of(exc, model, prefix, file, positions, data))


def _error_at(error: dict, loc: tuple, model: type[BaseModel], prefix: tuple, file: str,
              positions: Positions) -> SpecError:
    path = prefix + loc
    line = positions.line_of(path)
    written = positions.written_at(path)
    if written in positions.touched:  # a whole-model check on a component an override changed: point there
        written = positions.touched[written]
        line = positions.line_of(written)
    kind = error["type"]
    if kind == "extra_forbidden":
        message = "unknown key; " + _suggest_key(str(loc[-1]), loc, model)
    elif kind == "missing":
        message = _missing_message(model, loc)
    else:
        message = error["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, "):]
        # (a default validated because the key is missing, None, says nothing of what was written)
        if kind not in ("model_type", "dict_type") and "input" in error and not isinstance(error["input"], (dict, list)) \
                and error["input"] is not None and "(got " not in message:
            message += f" (got {_short(error['input'])})"
        elif kind in ("model_type", "dict_type"):
            message = "expected a mapping of keys to values" + (
                f" (got {type(error['input']).__name__})" if "input" in error else "")
    return SpecError(message, file, line, dotted(written))


def _short(value: Any, limit: int = 60) -> str:
    text = str(value) if isinstance(value, Decimal) else repr(value)  # 1E+30, not Decimal('1E+30')
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _error(message: str, file: str, positions: Positions, path: tuple) -> SpecError:
    """A SpecError at a key path, named as the user wrote it (inside an environment override if it came from one)."""
    return SpecError(message, file, positions.line_of(path), dotted(positions.written_at(path)))


def _environment_view(data: dict) -> dict:
    """A copy of the plan an environment can be merged into without touching the original: the sections an
    override changes are copied, components only when an override merges into them."""
    view = dict(data)
    view["project"] = dict(data["project"])
    view["components"] = dict(data["components"])
    if isinstance(data.get("traffic"), dict):
        view["traffic"] = copy.deepcopy(data["traffic"])
    return view


def _apply_environment(data: dict, positions: Positions, env: str, file: str) -> None:
    """Merge an environment's overrides (already checked against the Environment model) into the component and
    traffic sections, recording where each merged value is written."""
    _apply_overrides(data, positions, ("project", "environments", env), data["project"]["environments"][env], file)


def _apply_overrides(data: dict, positions: Positions, env_path: tuple, overrides, file: str) -> None:
    """Merge one environment's or phase's overrides (at env_path in the file) into a view of the plan."""
    overrides = overrides or {}
    if not isinstance(overrides, dict):
        return  # the model check reports it
    components = data["components"]

    def left_out(name) -> bool:
        """In a phase: a component the plan writes that the environment applied before it excludes."""
        return env_path[0] == "phases" and isinstance(name, str) and name not in components \
            and ("components", name) in positions

    for index, name in enumerate(overrides.get("exclude") or [] if isinstance(overrides.get("exclude"), list) else []):
        if left_out(name):
            continue  # excluded already: excluding it again changes nothing
        if name not in components:
            raise _error("unknown component; " + suggest(name, list(components)), file, positions,
                         env_path + ("exclude", index))
        del components[name]
    excluded = {name for name in overrides.get("exclude") or [] if isinstance(name, str)} \
        if isinstance(overrides.get("exclude"), list) else set()
    if excluded:
        _drop_edges_to(components, excluded, positions)
    changes_by_name = overrides.get("components") if isinstance(overrides.get("components"), dict) else {}
    for name, changes in changes_by_name.items():
        where = env_path + ("components", name)
        if name not in components and isinstance(changes, dict) and "kind" in changes:
            # a component only this environment has (a second region's services): written in full here
            components[name] = {}
            positions.touched[("components", name)] = where
            _merge(components[name], changes, ("components", name), where, positions)
            continue
        if left_out(name):
            continue  # a phase's change to a component the environment leaves out
        if name not in components:
            raise _error("unknown component; " + suggest(name, list(components))
                         + " (a component only this environment has needs its kind)", file, positions, where)
        if isinstance(changes, dict) and isinstance(components[name], dict):
            components[name] = copy.deepcopy(components[name])
            positions.touched[("components", name)] = where
            _merge(components[name], changes, ("components", name), where, positions)
    if "monthly_budget" in overrides and isinstance(data.get("project"), dict):
        data["project"]["monthly_budget"] = copy.deepcopy(overrides["monthly_budget"])
        positions.origins[("project", "monthly_budget")] = env_path + ("monthly_budget",)
    traffic = overrides.get("traffic") or {}
    if isinstance(traffic, dict) and traffic:
        if not isinstance(data.get("traffic"), dict):
            data["traffic"] = {}
        _merge(data["traffic"], traffic, ("traffic",), env_path + ("traffic",), positions)


def _drop_edges_to(components: dict, excluded: set, positions: Positions) -> None:
    """What an environment excludes is not called there: each depends_on entry naming it (a component's, or a
    cluster deployment's) goes with it, and the entries after it keep the lines they are written at."""
    def kept(edges, path):
        if not isinstance(edges, list):
            return None
        names = [edge if isinstance(edge, str) else edge.get("name") if isinstance(edge, dict) else None
                 for edge in edges]
        if not excluded.intersection(n for n in names if isinstance(n, str)):
            return None
        survivors = [index for index, n in enumerate(names) if n not in excluded]
        for new, old in enumerate(survivors):
            if new != old:
                positions.origins[path + (new,)] = positions.written_at(path + (old,))
        return [edges[index] for index in survivors]

    for name, body in list(components.items()):
        if not isinstance(body, dict):
            continue
        changed = dict(body)  # the parse's own body is never changed (_environment_view shares it)
        edges = kept(body.get("depends_on"), ("components", name, "depends_on"))
        if edges is not None:
            changed["depends_on"] = edges
        deployments = body.get("deployments")
        if isinstance(deployments, list):
            for index, deployment in enumerate(deployments):
                if not isinstance(deployment, dict):
                    continue
                edges = kept(deployment.get("depends_on"), ("components", name, "deployments", index, "depends_on"))
                if edges is not None:
                    if changed.get("deployments") is deployments:
                        changed["deployments"] = list(deployments)
                    changed["deployments"][index] = {**deployment, "depends_on": edges}
        if changed != body:
            components[name] = changed


def _named_list(value) -> bool:
    return isinstance(value, list) and bool(value) and all(
        isinstance(i, dict) and isinstance(i.get("name"), str) for i in value)


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
        positions.origins[target_path + (key,)] = source_path + (key,)


def _check_graph(components: dict, names: list[str], file: str, positions: Positions,
                 problems: list[SpecError], written: list[str] = (), view: str = "") -> None:
    """Every component a component names is in the plan (`names`: every one written, valid or not); no
    dependency cycle among the valid ones. `written` are the plan's own components, `view` the environment
    or phase that leaves some of them out (a name it excludes is not "unknown")."""
    known = set(names)  # a membership test per reference: a list scan would be quadratic on a large plan

    def unknown(target: str) -> str:
        if target in written and view:
            return (f"{target} is excluded in {view}, and this names it: exclude {{this}} there too, or "
                    f"keep {target}")
        return "unknown component; " + suggest(target, names)

    for name, spec in components.items():
        for key, target in spec.referenced_components():
            if target not in known:
                problems.append(_error(unknown(target).replace("{this}", name), file, positions,
                                       ("components", name) + key))
                continue
            field = next((part for part in reversed(key) if isinstance(part, str)), None)
            allowed = spec.reference_kinds.get(field)
            named = components.get(target)
            if allowed and named is not None and named.kind not in allowed:
                kinds = allowed[0] if len(allowed) == 1 else f"{', '.join(allowed[:-1])} or {allowed[-1]}"
                problems.append(_error(f"{field} must name a {kinds} component; {target} is a {named.kind}", file,
                                       positions, ("components", name) + key))
        for index, dependency in enumerate(spec.depends_on):
            path = ("components", name, "depends_on", index)
            target = components.get(dependency.name)
            if spec.attaches_by and target is not None and target.kind == spec.attaches_by:
                problems.append(_error(
                    f"{name} ({spec.kind}) is a policy on {dependency.name}, not a caller of it: write "
                    f"`{spec.attaches_by}: {dependency.name}` instead: that puts it on the request paths "
                    f"{dependency.name} serves", file, positions, path))
            elif dependency.name not in known:
                problems.append(_error(unknown(dependency.name).replace("{this}", name), file, positions, path))
            elif dependency.name == name:
                problems.append(_error("a component cannot depend on itself", file, positions, path))
    # Depth-first search for a cycle with an explicit stack: a legal chain may be thousands deep.
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for root in components:
        if root in state:
            continue
        trail: list[str] = [root]
        state[root] = 1
        stack = [iter(components[root].depends_on)]
        while stack:
            dependency = next(stack[-1], None)
            if dependency is None:
                stack.pop()
                state[trail.pop()] = 2
                continue
            if dependency.name not in components or dependency.name == trail[-1]:
                continue  # reported above, or an invalid component (its own errors are reported)
            seen = state.get(dependency.name)
            if seen == 1:
                cycle = trail[trail.index(dependency.name):] + [dependency.name]
                hint = next((f"; {name} ({components[name].kind}) names what it calls in "
                             f"{components[name].target_setting}, not in depends_on: it starts that component "
                             "without waiting on it" for name in cycle if components[name].target_setting), "")
                problems.append(_error("dependency cycle: " + " -> ".join(cycle) + hint, file, positions,
                                       ("components", trail[-1], "depends_on")))
                return  # one cycle is reported; the search stops (every later one may share it)
            if seen is None:
                state[dependency.name] = 1
                trail.append(dependency.name)
                stack.append(iter(components[dependency.name].depends_on))


def _check_data(data, positions: Positions, file: str) -> None:
    """The checks on the plan as written that come before any environment is applied."""
    from archplan.spec import names

    if not isinstance(data, dict):
        raise SpecError("a plan is a mapping with project, components and optional traffic, slo, claims",
                        file, 1)
    for section, expected in (("project", dict), ("components", dict)):
        if section not in data:
            raise SpecError("required key is missing", file, positions.line_of(()), section)
        if not isinstance(data[section], expected):
            raise _error("expected a mapping of keys to values", file, positions, (section,))
    if len(data["components"]) > names.MAX_COMPONENTS:
        raise _error(f"more than {names.MAX_COMPONENTS:,} components, the most a plan may have", file, positions,
                     ("components",))
    names.check_component_names(data["components"], file, positions)
    environments = data["project"].get("environments")
    if environments is not None:
        if not isinstance(environments, dict):
            raise _error("expected a mapping of environment names to overrides", file, positions,
                         ("project", "environments"))
        names.check_environment_names(environments, file, positions)
        problems = []
        for env, overrides in environments.items():
            where = ("project", "environments", env)
            try:
                Environment.model_validate(overrides or {})
            except ValidationError as exc:
                problems += _errors_of(exc, Environment, where, file, positions, overrides or {})
        if problems:
            raise combined(problems)


def environments_of(data: dict) -> list[str]:
    return list(data["project"].get("environments") or {})


def _default_environment(data: dict, environment: str | None, file: str, positions: Positions) -> str | None:
    environments = data["project"].get("environments") or {}
    if environment is not None:
        if environment not in environments:
            raise SpecError(f"no environment {environment!r} in the plan; "
                            + suggest(environment, list(environments) or ["(none defined)"]),
                            file, positions.line_of(("project", "environments")), "project.environments")
        return environment
    default = data["project"].get("default_environment")
    return default if isinstance(default, str) and default in environments else None


def _move_to_region(data: dict, region: str) -> None:
    """`--region`: the plan's region, and every component placed in the plan's own region, move there (on a
    view: the bodies changed are copies)."""
    project = data.get("project")
    if not isinstance(project, dict):
        return
    old = project.get("region")
    project["region"] = region
    components = data.get("components")
    for name, body in list(components.items()) if isinstance(components, dict) else ():
        if isinstance(body, dict) and old is not None:
            moved = {key: region for key in ("location", "region") if body.get(key) == old}
            stays = _deployed_only_elsewhere(body, region, old)
            if stays:  # a gateway deployed in a few regions stays where it is, fronting the moved backends
                moved = {**moved, "region": old}
            if moved:
                components[name] = dict(body, **moved)


def _deployed_only_elsewhere(body: dict, region: str, old: str) -> bool:
    """Whether a component of a kind deployed in a few regions only (deploy_regions) cannot follow the plan to
    `region` but can stay in `old`, where it was."""
    from archplan import components as registry

    kind = body.get("kind")
    if not isinstance(kind, str) or kind not in registry.kinds() or body.get("region") not in (None, old):
        return False
    offered = registry.kind_module(kind).Spec.deployable_regions()
    return offered is not None and region not in offered and old in offered


def _apply_phase(data: dict, positions: Positions, phase: str, file: str) -> None:
    phases = data.get("phases")
    names = [p.get("name") for p in phases if isinstance(p, dict)] if isinstance(phases, list) else []
    if phase not in names:
        raise SpecError(f"no phase {phase!r} in the plan; " + suggest(phase, names or ["(none defined)"]),
                        file, positions.line_of(("phases",)) or 1, "phases")
    index = names.index(phase)
    body = {key: value for key, value in phases[index].items() if key in ("traffic", "components", "exclude")}
    _apply_overrides(data, positions, ("phases", index), body, file)


def _parsed(path: str | Path) -> tuple[Any, Positions]:
    """The file's YAML parsed once per content: `validate` and `doc` load one plan in several environments,
    and parsing is most of a large plan's loading. Loading never changes the parsed data (an environment is
    merged into a copy, `_environment_view`), so one parse can serve every load of the same text."""
    text = read_plan_text(path)
    return _parse_text(str(path), text)


@lru_cache(maxsize=4)
def _parse_text(file: str, text: str) -> tuple[Any, Positions]:
    data, positions = load_yaml(text, file)
    if len(_MODELS) >= 4:  # as many as the parses kept
        del _MODELS[next(iter(_MODELS))]
    _MODELS[id(data)] = (data, {})
    return data, positions


# id(parsed data) -> (the data, {component name: (its parsed body, its validated model)}): see
# _validated_component. Each entry holds its data, so the id is not reused while the entry lives.
_MODELS: dict[int, tuple[Any, dict[str, tuple[dict, Any]]]] = {}


def load_spec(path: str | Path, environment: str | None = None, regions: tuple[str, ...] | None = None,
              phase: str | None = None, region: str | None = None) -> Spec:
    """The plan in one environment (the default one if not named). Every other environment's overrides are
    validated too: a typo in one the command does not use is still an error. `region` (if given) prices the
    plan in another region without editing the file."""
    data, positions = _parsed(path)
    return load_spec_data(data, positions, str(path), environment, regions, phase, region=region)


def load_spec_data(data, positions: Positions, file: str, environment: str | None = None,
                   regions: tuple[str, ...] | None = None, phase: str | None = None, adjust=None,
                   region: str | None = None) -> Spec:
    """A Spec from YAML data already parsed (with its positions); `load_spec` reads the file first.
    The environment and phase overrides, then `adjust(data)` if given (`scale` sets the load there), are
    applied to a copy before it is validated; `region` moves the plan to another region. An `adjust` that
    replaces what it changes instead of changing it in place says so (`adjust.copy_on_write`, as `scale`'s
    does): it is given a view that shares the parse's unchanged parts, not a deep copy of the whole plan,
    so its untouched components are the parse's and their validated models are reused (_validated_component)."""
    passed = getattr(adjust, "structure_checked", None)  # see _build: one caller's set, for one parse
    if passed is None or "data" not in passed:
        _check_data(data, positions, file)
        if passed is not None:
            passed.add("data")
    environment = _default_environment(data, environment, file, positions)
    builds = [(environment, phase, adjust)]
    if phase is None and adjust is None:
        builds += [(other, None, None) for other in [None] + environments_of(data) if other != environment]
    return _build_all(data, positions, file, regions, builds, region)[0]


def _build_all(data, positions: Positions, file: str, regions, builds: list[tuple], region: str | None = None) -> list[Spec]:
    """One Spec per (environment, phase, adjust); what is wrong in any of them is raised at once, each error
    once (an error in the plan as written is found again in every environment)."""
    specs, problems = [], []
    for environment, phase, adjust in builds:
        try:
            specs.append(_build(data, positions, environment, file, regions, phase, adjust, region))
        except SpecError as error:
            problems += error.every()
    if problems:
        raise combined(problems)
    return specs


def load_environment(path: str | Path, environment: str | None, regions: tuple[str, ...] | None = None) -> Spec:
    """The plan in one environment, as `load_spec` gives it, without validating the other environments again:
    for a caller that has loaded the plan once already (the document prices every environment)."""
    data, positions = _parsed(path)
    file = str(path)
    _check_data(data, positions, file)
    return _build(data, positions, _default_environment(data, environment, file, positions), file, regions)


def load_every_environment(path: str | Path, regions: tuple[str, ...] | None = None) -> list[Spec]:
    """The plan as written, then once per environment: what `validate` checks every command against."""
    data, positions = _parsed(path)
    file = str(path)
    _check_data(data, positions, file)
    return _build_all(data, positions, file, regions, [(env, None, None) for env in [None] + environments_of(data)])


# id(body) -> (the body, {model: its validated model}): bodies a caller builds once and hands to several builds
# (scale's grown components inside archplan.scale.load.shared_growth: the same body at the same load in every
# environment). Each entry holds its body, so the id is not reused while the entry lives.
_SHARED_BODIES: dict[int, tuple[dict, dict]] = {}


def share_body(body: dict) -> None:
    """`body` is handed, unchanged, to several builds: validate it once (see _SHARED_BODIES)."""
    _SHARED_BODIES.setdefault(id(body), (body, {}))


def forget_shared_bodies() -> None:
    _SHARED_BODIES.clear()


def _validated_component(model, name: str, body: dict, parsed: dict | None, copied: bool = False) -> Any:
    """model.model_validate(body), once per parse for a body no override touched: `validate`, `doc` and
    `load_spec` build a plan in every environment, and such a body is the same parsed mapping in each (the
    parse is never changed, _parsed), so its validated, frozen model is the same too. In a deep copy of the
    parse (`copied`: optimize's candidates) a body the adjustment left exactly as parsed
    (_same: same types, keys in the same order, numbers written alike) is that body again. Any other body (an
    override's, an adjusted one, one of data not from _parsed, as serve edits its own) is validated afresh."""
    original = parsed["components"].get(name) if parsed is not None else None
    if original is None or (body is not original and not (copied and _same(body, original))):
        shared = _SHARED_BODIES.get(id(body))
        if shared is None or shared[0] is not body:
            return model.model_validate(body)
        validated = shared[1].get(model)
        if validated is None:
            validated = shared[1][model] = model.model_validate(body)
        return validated
    models = _MODELS[id(parsed)][1]
    cached = models.get(name)
    if cached is not None and cached[0] is original and type(cached[1]) is model:
        return cached[1]
    validated = model.model_validate(body)
    models[name] = (original, validated)
    return validated


def _same(a, b) -> bool:
    """a and b are the same YAML value, down to each number's type and written form (1.0 is not 1.00, nor 1)."""
    kind = type(a)
    if kind is not type(b):
        return False
    if kind is dict:
        return len(a) == len(b) and all(k1 == k2 and type(k1) is type(k2) and _same(v1, a2)
                                        for (k1, v1), (k2, a2) in zip(a.items(), b.items()))
    if kind is list:
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if kind is float or kind is Decimal:
        return repr(a) == repr(b)
    return a == b


def _build(data: dict, positions: Positions, environment: str | None, file: str,
           regions: tuple[str, ...] | None, phase: str | None = None, adjust=None,
           region: str | None = None) -> Spec:
    all_components = list(data["components"])
    entry = _MODELS.get(id(data))
    parsed = data if entry is not None and entry[0] is data else None  # the parse itself, not a caller's copy
    # an adjustment made in place works on a deep copy of the parse; one made copy on write keeps the bodies
    # it leaves alone as the parse's own (and those it replaces differ from them: no _same needed)
    in_place = adjust is not None and not getattr(adjust, "copy_on_write", False)
    if environment is not None or phase is not None or adjust is not None or region is not None:
        data = copy.deepcopy(data) if in_place else _environment_view(data)
        positions = positions.copy()
        if region is not None:
            _move_to_region(data, region)
        if environment is not None:
            _apply_environment(data, positions, environment, file)
        if phase is not None:
            _apply_phase(data, positions, phase, file)
        if adjust is not None:
            adjust(data)

    problems: list[SpecError] = []  # everything wrong with this plan, raised together
    # An adjustment that changes only load figures (scale's, at each load point) says so by keeping the
    # (environment, phase, region) builds it has seen pass: the plan's structure (names, kinds, edges, regions,
    # references, generated names) is theirs, so its checks, passed there, are not run again.
    passed = getattr(adjust, "structure_checked", None)
    structure_key = (environment, phase, region, regions)
    structure_known = passed is not None and structure_key in passed
    try:
        # the document's `components` is only their shape (a mapping of mappings; each body is validated by
        # its kind below): a known structure has passed it, and the load changes numbers, not shapes
        document = SpecDocument.model_validate({**data, "components": {}} if structure_known else data)
    except ValidationError as exc:
        document = None
        problems += _errors_of(exc, SpecDocument, (), file, positions, data)
    project_region = document.project.region if document is not None else data["project"].get("region")

    if document is not None and regions is not None:
        if document.project.region not in regions:
            problems.append(_unknown_region(document.project.region, file, positions, ("project", "region")))
        for region in document.project.quotas.regions:
            if region not in regions:
                problems.append(_unknown_region(region, file, positions, ("project", "quotas", "regions", region)))
        residency = document.project.data_residency
        if residency is not None:
            from archplan import catalog

            if catalog.residency(residency) is None:
                # SEC-008 compares it with each region's country: a name no region has would fail every region
                groups = " or ".join(catalog.residency_groups())
                continents = ", ".join(sorted({r["continent"] for r in catalog.regions().values()}))
                close = suggest(residency, catalog.residency_names())
                problems.append(_error(f"{_short(residency)} is not the country of any region, a group or a "
                                       f"continent; " + (close if close.startswith("did you mean") else
                                                         f"valid: a country `archplan regions` lists, {groups}, or "
                                                         f"a continent: {continents}"), file, positions,
                                       ("project", "data_residency")))

    if not data["components"]:
        problems.append(_error("a plan needs at least one component", file, positions, ("components",)))
    components = {}
    for name, body in data["components"].items():
        where = ("components", name)
        if not isinstance(body, dict):
            problems.append(_error("expected a mapping of keys to values", file, positions, where))
            continue
        kind = body.get("kind")
        if kind is None:
            problems.append(_error("required key is missing; valid kinds: " + ", ".join(registry.kinds()), file,
                                   positions, where + ("kind",)))
            continue
        if not isinstance(kind, str) or kind not in registry.kinds():
            problems.append(_error(f"unknown kind {_short(kind)}; " + suggest(str(kind), registry.kinds()), file,
                                   positions, where + ("kind",)))
            continue
        model = registry.kind_module(kind).Spec
        try:
            components[name] = _validated_component(model, name, body, parsed, in_place)
        except ValidationError as exc:
            problems += _errors_of(exc, model, where, file, positions, body)
    if not structure_known:
        view = " and ".join(f"{what} {label}" for what, label in (("environment", environment), ("phase", phase))
                            if label is not None)
        _check_graph(components, list(data["components"]), file, positions, problems, all_components, view)
    if regions is not None and isinstance(project_region, str) and not structure_known:
        _check_component_regions(components, project_region, regions, file, positions, problems)
    singletons: dict[str, str] = {}
    for name, component in components.items() if not structure_known else ():
        if component.one_per_project:
            if component.kind in singletons:
                first = positions.line_of(("components", singletons[component.kind]))
                problems.append(_error(f"a plan has at most one {component.kind} component "
                                       f"({component.one_per_project}); the first is at line {first}", file,
                                       positions, ("components", name)))
                continue
            singletons[component.kind] = name
    if document is not None and not structure_known:
        _check_references(document, components, all_components, file, positions, problems)
    if problems:
        raise combined(problems)
    spec = Spec(file, document.project, document.traffic, document.slo, components, document.claims,
                environment, positions, document.checks, phases=document.phases, phase=phase,
                vary=document.vary, flows=document.flows)
    spec.missing_usage = _missing_usage(document, components, file, positions, spec.warnings)
    from archplan.spec import names

    if not structure_known:
        names.check_generated_names(spec)
        if passed is not None:
            passed.add(structure_key)
    for name, component in components.items():
        for key, message in component.plan_warnings():
            path = ("components", name) + key
            spec.warnings.append(str(SpecError(message, file, positions.line_of(path),
                                               dotted(positions.written_at(path)))))
    return spec


def _check_references(document: SpecDocument, components: dict, all_components: list[str], file: str,
                      positions: Positions, problems: list[SpecError]) -> None:
    """Claims, flows, check skips and phases name components, environments, flows and claims the plan has."""
    for index, claim in enumerate(document.claims):
        if claim.environment is not None and claim.environment not in document.project.environments:
            problems.append(_error("unknown environment; " + suggest(
                claim.environment, list(document.project.environments) or ["(none)"]), file, positions,
                ("claims", index, "environment")))
        for name in claim.components or []:
            if name not in all_components:
                problems.append(_error("unknown component; " + suggest(name, all_components), file, positions,
                                       ("claims", index, "components")))
    # a flow may name one deployment of a GKE cluster as cluster/deployment
    flow_members = all_components + [f"{name}/{d.name}" for name, c in components.items()
                                      for d in _field(c, "deployments") or []]
    for flow_name, flow in document.flows.items():
        for key, members in (("entry", [flow.entry] if flow.entry else []), ("through", flow.through),
                             ("components", flow.components or [])):
            for name in members:
                if name not in flow_members:
                    path = ("flows", flow_name, key)
                    problems.append(SpecError("unknown component; " + suggest(name, flow_members), file,
                                              positions.line_of(path), dotted(path)))
    ids = [c.id for c in document.claims]
    for index, claim in enumerate(document.claims):
        if claim.flow is not None and claim.flow not in document.flows:
            path = ("claims", index, "flow")
            problems.append(SpecError("unknown flow; " + suggest(claim.flow, list(document.flows) or ["(none)"]),
                                      file, positions.line_of(path), dotted(path)))
        for name in claim.claims or []:
            if name not in ids:
                path = ("claims", index, "claims")
                problems.append(SpecError("unknown claim id; " + suggest(name, ids), file, positions.line_of(path),
                                          dotted(path)))
    for index, skip in enumerate(document.checks.skip):
        for name in skip.components or []:
            if name not in all_components:
                problems.append(_error("unknown component; " + suggest(name, all_components), file, positions,
                                       ("checks", "skip", index, "components")))
    _check_phases(document, all_components, file, positions, problems)


def _missing_usage(document: SpecDocument, components: dict, file: str, positions: Positions,
                   warnings: list[str]) -> list[str]:
    """missing_usage entries name a traffic key or a component's field; one the plan now gives is a warning."""
    from archplan.spec.model import Traffic

    found = []
    for index, entry in enumerate(document.missing_usage):
        path = ("missing_usage", index)
        parts = entry.split(".")
        if parts[0] == "traffic" and len(parts) == 2:
            if parts[1] not in Traffic.model_fields:
                raise _error(f"unknown traffic key {_short(parts[1])}; " + suggest(parts[1], list(Traffic.model_fields)),
                             file, positions, path)
            if document.traffic is not None and getattr(document.traffic, parts[1]) is not None:
                warnings.append(str(SpecError(f"{entry} is given now: remove it from missing_usage", file,
                                              positions.line_of(path), dotted(path))))
                continue
        elif parts[0] == "components" and len(parts) >= 3:
            if parts[1] not in components:
                raise _error("unknown component; " + suggest(parts[1], list(components)), file, positions, path)
            fields = type(components[parts[1]]).model_fields
            if parts[2].removesuffix("[]") not in fields:
                raise _error(f"{components[parts[1]].kind} has no field {_short(parts[2])}; "
                             + suggest(parts[2], list(fields)), file, positions, path)
        else:
            raise _error("expected traffic.<key> or components.<name>.<field>", file, positions, path)
        found.append(entry)
    return found


def _unknown_region(region: str, file: str, positions: Positions, path: tuple) -> SpecError:
    from archplan import catalog

    return _error(catalog.region_problem(region, shown=_short(region)) or f"unknown region {_short(region)}", file,
                  positions, path)


def _field(component, key: str):
    """A field some kinds have, or None: read from the model's own values (getattr of a field the model
    lacks goes through pydantic's __getattr__ and an exception, slowly, for every component)."""
    return component.__dict__.get(key)


def _check_component_regions(components: dict, default: str, regions: tuple[str, ...], file: str,
                             positions: Positions, problems: list[SpecError]) -> None:
    """Every region a component or its cross-region replicas name is one archplan prices; a replica is in
    another region than its primary."""
    for name, component in components.items():
        where = ("components", name)
        home = component.region or default
        if component.region is not None and component.region not in regions:
            problems.append(_unknown_region(component.region, file, positions, where + ("region",)))
        offered = component.deployable_regions()
        if offered is not None and (component.region is None or component.region in regions) and home not in offered:
            key = "region" if component.region is not None else "kind"
            problems.append(_error(f"{component.kind} is not offered in {home}; set its region to one of "
                                   f"{', '.join(offered)}", file, positions, where + (key,)))
        pair = _field(component, "data_locations") or []
        unknown = [index for index, region in enumerate(pair) if region not in regions]
        for index in unknown:
            problems.append(_unknown_region(pair[index], file, positions, where + ("data_locations", index)))
        if pair and not unknown:
            from archplan.components.cloud_storage import pair_problem

            problem = pair_problem(pair, component.location)
            if problem is not None:
                problems.append(_error(problem[1], file, positions, where + ("data_locations", problem[0])))
        for index, region in enumerate(_field(component, "replication_regions") or []):
            if region not in regions:
                problems.append(_unknown_region(region, file, positions, where + ("replication_regions", index)))
        for index, replica in enumerate(_field(component, "cross_region_replicas") or []):
            path = where + ("cross_region_replicas", index, "region")
            if replica.region not in regions:
                problems.append(_unknown_region(replica.region, file, positions, path))
            elif replica.region == home:
                problems.append(_error(f"a cross-region replica must be outside the primary's region ({home}); use "
                                       "read replicas or HA for copies in the same region", file, positions, path))
            else:
                offered = replica_offered(component, replica)
                if offered is not None:
                    problems.append(_error(offered, file, positions, path))
        failover = _field(component, "failover")
        if failover is not None:
            from archplan.components.load_balancer import regional_backends

            backends = set(regional_backends(components, name, default))
            if len(backends) < 2:
                where_to = ", ".join(sorted(backends)) or "no regional backend"
                problems.append(_error(f"failover: {failover} needs backends in two or more regions; every backend "
                                       f"is in {where_to} (give a backend another region, or drop failover)", file,
                                       positions, where + ("failover",)))
            elif failover == "active-passive" and component.failover_trigger == "automatic":
                problems.append(_error(
                    "automatic does not go with failover: active-passive: the load balancer "
                    "serves from the first backend's region and the region-outage runbook moves it (the global "
                    "load balancer has no standby backend that takes over by itself; Cloud Run's automated "
                    "failover sends each client to the nearest healthy region, which is active-active, "
                    "https://docs.cloud.google.com/run/docs/configuring/configure-service-health); use failover: "
                    "active-active, or failover_trigger: manual", file, positions, where + ("failover_trigger",)))


def component_region(component, default: str) -> str | None:
    """The single region a component runs in: its own, its location when that is a region, the project's
    for regional kinds; None for global services and dual- or multi-region locations."""
    from archplan import catalog

    if component.location_field is not None:
        location = getattr(component, component.location_field, None) or default
        return location if location in catalog.regions() else None
    if not component.regional:
        return None
    return component.region or default


def replica_offered(component, replica) -> str | None:
    """Why a cross-region replica cannot be placed in its region (the service is not sold there), or None."""
    from archplan import catalog

    if component.kind == "cloud_sql":
        service, sku = "cloud_sql", ("enterprise_plus" if component.edition == "enterprise_plus" else "enterprise") + "_vcpu"
    else:
        service, sku = component.service, f"node/{replica.tier or component.node_type}"
    book = catalog.service(service)
    try:
        book.price(sku, replica.region)
        return None
    except CatalogError:
        sold = book.sold_in(sku)
    return (f"{book.display_name} ({sku}) is not sold in {replica.region}; it is sold in: "
            f"{', '.join(sold[:12])}{' ...' if len(sold) > 12 else ''}")


def _check_phases(document: SpecDocument, all_components: list[str], file: str, positions: Positions,
                  problems: list[SpecError]) -> None:
    previous = None
    for index, phase in enumerate(document.phases):
        for name in list(phase.components) + list(phase.exclude):
            if name not in all_components:
                path = ("phases", index, "components" if name in phase.components else "exclude")
                problems.append(SpecError("unknown component; " + suggest(name, all_components), file,
                                          positions.line_of(path), dotted(path)))
        if previous is not None and phase.min_users < previous.min_users:
            path = ("phases", index, "min_users")
            problems.append(SpecError(f"phases are listed in order of users: {phase.min_users} is below the "
                                      f"previous phase's {previous.min_users}", file, positions.line_of(path),
                                      dotted(path)))
        previous = phase
    names = [p.name for p in document.phases]
    for index, name in enumerate(names):
        if names.index(name) != index:
            path = ("phases", index, "name")
            problems.append(SpecError(f"phase {name!r} is defined twice", file, positions.line_of(path),
                                      dotted(path)))
