"""Read `terraform show -json tfplan` output: the planned values of every managed resource (modules
included, Terraform has evaluated everything) and, from the configuration section, what each resource's
arguments refer to (for depends_on edges)."""
from __future__ import annotations

import json
import re
from pathlib import Path

from archplan.importers.hcl.expressions import UNKNOWN
from archplan.importers.resources import ImportProblem, TfResource

_REFERENCE = re.compile(r"^(?:module\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)|([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+))")
MAX_BYTES = 200 * 1024 * 1024


def _collect(expressions, found: set[str]) -> None:
    if isinstance(expressions, dict):
        for key, value in expressions.items():
            if key == "references" and isinstance(value, list):
                found.update(v for v in value if isinstance(v, str))
            else:
                _collect(value, found)
    elif isinstance(expressions, list):
        for item in expressions:
            _collect(item, found)


class _Config:
    """The configuration tree: per module path, its resources' references and its outputs' references."""

    def __init__(self, module: dict, prefix: str = ""):
        self.prefix = prefix
        self.references: dict[str, dict[str, set[str]]] = {}  # resource address -> key -> raw references
        self.expressions: dict[str, dict] = {}  # resource address -> its arguments' expressions, as written
        self.optional: dict[str, dict] = {}  # address -> resource, of those with a count or for_each not constant
        self.outputs: dict[str, set[str]] = {}
        self.children: dict[str, "_Config"] = {}
        self.calls: dict[str, dict] = {}  # module calls with a count or for_each
        for resource in module.get("resources", []) or []:
            if resource.get("mode") != "managed":
                continue
            by_key = {}
            for key, value in (resource.get("expressions") or {}).items():
                refs: set[str] = set()
                _collect(value, refs)
                by_key[key] = refs
            for key in ("count_expression", "for_each_expression"):
                refs = set()
                _collect(resource.get(key), refs)
                if refs:
                    by_key[key] = refs
            if resource.get("depends_on"):
                by_key["depends_on"] = set(resource["depends_on"])
            self.references[f"{prefix}{resource.get('address')}"] = by_key
            if isinstance(resource.get("expressions"), dict):
                self.expressions[f"{prefix}{resource.get('address')}"] = resource["expressions"]
            if any(isinstance(resource.get(key), dict) and resource[key].get("references")
                   for key in ("count_expression", "for_each_expression")):
                self.optional[f"{prefix}{resource.get('address')}"] = resource
        for name, call in (module.get("module_calls") or {}).items():
            if any(isinstance(call.get(key), dict) for key in ("count_expression", "for_each_expression")):
                self.calls[name] = call
            self.children[name] = _Config(call.get("module") or {}, f"{prefix}module.{name}.")
            inputs: set[str] = set()
            _collect(call.get("expressions"), inputs)
            self.children[name].inputs = inputs
        for name, output in (module.get("outputs") or {}).items():
            refs = set()
            _collect(output.get("expression"), refs)
            self.outputs[name] = refs

    inputs: set = set()

    def resolve(self, raw: str, depth: int = 0) -> set[str]:
        """A raw reference (relative to this module) as base resource addresses."""
        match = _REFERENCE.match(raw)
        if not match or depth > 16:
            return set()
        if match.group(1):
            child = self.children.get(match.group(1))
            if child is None:
                return set()
            return {a for r in child.outputs.get(match.group(2), set()) for a in child.resolve(r, depth + 1)}
        head = match.group(3)
        if head in ("var", "local", "each", "count", "path", "terraform", "data", "self"):
            return set()
        return {f"{self.prefix}{head}.{match.group(4)}"}

    def every(self):
        """This module and the modules it calls, depth first."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack += list(node.children.values())

    def find(self, module_path: str) -> "_Config":
        node = self
        for name in re.findall(r"module\.([A-Za-z0-9_-]+)", module_path):
            node = node.children.get(name, node)
        return node


# Modules nested deeper than this are refused (Terraform configurations nest a few levels; a file of thousands
# is not a plan, and walking it would exhaust the stack).
MAX_MODULE_DEPTH = 64


def _walk(module: dict, found: list[dict], shown: str) -> None:
    """The managed resources of the module and its child modules, in order."""
    stack = [(module, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_MODULE_DEPTH:
            raise ImportProblem(f"child_modules nested deeper than {MAX_MODULE_DEPTH} levels", shown)
        if not isinstance(node, dict):
            continue
        found += [r for r in node.get("resources", []) or [] if isinstance(r, dict) and r.get("mode") == "managed"]
        stack += [(child, depth + 1) for child in reversed(node.get("child_modules", []) or [])]


def _leaf(expression) -> bool:
    """An expression as the configuration section writes one ({"references": [...]} or {"constant_value": ...}),
    rather than a nested block's arguments."""
    return isinstance(expression, dict) and ("references" in expression or "constant_value" in expression)


def _mark_unknown(values: dict, after_unknown, expressions, written: bool = False) -> None:
    """Arguments the configuration sets that are known only after apply, as UNKNOWN in `values` (as the HCL
    reader has them): planned_values omits them, which would read as not written, and so as GCP's default
    without a word. Attributes the provider computes that the configuration does not set stay omitted.
    `written`: the whole of `values` is one expression of the configuration (a map, an object)."""
    if not isinstance(after_unknown, dict) or not isinstance(values, dict):
        return
    for key, flag in after_unknown.items():
        expression = None if written else (expressions.get(key) if isinstance(expressions, dict) else None)
        if not written and expression is None:
            continue
        inner = written or _leaf(expression)
        if flag is True:
            if values.get(key) is None:
                values[key] = UNKNOWN
        elif isinstance(flag, dict):
            if values.get(key) is None and flag:
                values[key] = {}
            _mark_unknown(values.get(key), flag, expression, inner)
        elif isinstance(flag, list) and isinstance(values.get(key), list):
            for index, (item, item_flag) in enumerate(zip(values[key], flag)):
                block = expression[min(index, len(expression) - 1)] if isinstance(expression, list) and \
                    expression else expression
                if item_flag is True and item is None:
                    values[key][index] = UNKNOWN
                elif isinstance(item, dict):
                    _mark_unknown(item, item_flag, block, inner or _leaf(block))


def _constants(expressions) -> dict:
    """A resource's values as its configuration writes them: constants as they are, anything else (a variable,
    a reference, a function) UNKNOWN."""
    values: dict = {}
    for key, expression in (expressions or {}).items() if isinstance(expressions, dict) else ():
        if _leaf(expression):
            values[key] = expression["constant_value"] if "constant_value" in expression else UNKNOWN
        elif isinstance(expression, list):
            values[key] = [_constants(block) for block in expression if isinstance(block, dict)]
        elif isinstance(expression, dict):
            values[key] = _constants(expression)
    return values


def _not_planned(config: _Config, planned: set[str], variables: dict, shown: str, notes: list[str]) -> list[TfResource]:
    """Root-module resources whose count or for_each turns on a root variable that is null in this plan
    (`var.billing_account == null ? 0 : 1`, the account given at apply) and makes no instance: each read from
    its configuration as one instance, what the configuration builds once the value is given, said in the notes
    (as the HCL reader does). Others that make none, and modules called with count or for_each that make none,
    are said, not read (what the plan's own values decide)."""
    found = []
    for node in config.every():
        for name, call in node.calls.items():
            prefix = f"{node.prefix}module.{name}."
            if not any(a.startswith(prefix) for a in planned):
                key = "count" if call.get("count_expression") else "for_each"
                notes.append(f"{shown}: {prefix.rstrip('.')}: {key} makes no instance in this plan: its resources "
                             "are not imported")
        for address, resource in node.optional.items():
            if address in planned:
                continue
            type_name, name = str(resource.get("type", "")), str(resource.get("name", ""))
            if not type_name or not name:
                continue
            key = "count" if resource.get("count_expression") else "for_each"
            refs = sorted(r for r in resource[f"{key}_expression"].get("references", []) if isinstance(r, str))
            waiting = [r for r in refs if node is config and r.startswith("var.") and
                       (variables.get(r[4:]) or {}).get("value") is None]
            if not waiting:
                notes.append(f"{shown}: {address}: {key} (from {', '.join(refs[:3])}) makes no instance in this plan: "
                             "not imported")
                continue
            notes.append(f"{shown}: {address}: {key} (from {', '.join(refs[:3])}) makes no instance while "
                         f"{', '.join(waiting)} is null: read from its configuration as one, assuming it is created "
                         "(values that are not constants there are not known)")
            by_key = {k: {a for r in raw for a in node.resolve(r)} for k, raw in node.references.get(address, {}).items()}
            found.append(TfResource(address, type_name, name, _constants(resource.get("expressions")),
                                    set().union(*by_key.values()) - {address} if by_key else set(), shown, None, by_key))
    return found


def read_plan(path: Path) -> tuple[list[TfResource], list[str]]:
    shown = str(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ImportProblem(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MiB", shown)
        data = json.loads(path.read_text(encoding="utf-8"))
    except RecursionError:
        raise ImportProblem("JSON nested too deeply to be `terraform show -json` output", shown) from None
    except OSError as exc:
        raise ImportProblem(f"cannot read the file: {exc.strerror}", shown) from None
    except UnicodeDecodeError:
        raise ImportProblem("not a text file (expected `terraform show -json` output)", shown) from None
    except json.JSONDecodeError as exc:
        raise ImportProblem(f"not JSON: {exc.msg}", shown, exc.lineno) from None
    if not isinstance(data, dict) or not isinstance(data.get("planned_values"), dict) \
            or "format_version" not in data:
        raise ImportProblem("not `terraform show -json` plan output (no format_version and planned_values)", shown)
    raw: list[dict] = []
    _walk(data["planned_values"].get("root_module") or {}, raw, shown)
    try:
        config = _Config((data.get("configuration") or {}).get("root_module") or {})
    except RecursionError:
        raise ImportProblem(f"configuration modules nested too deeply (more than {MAX_MODULE_DEPTH} levels "
                            "are refused)", shown) from None
    after_unknown = {str(change.get("address")): (change.get("change") or {}).get("after_unknown")
                     for change in data.get("resource_changes") or [] if isinstance(change, dict)
                     and isinstance(change.get("change"), dict)}
    notes = []
    resources = []
    for item in raw:
        address, type_name = str(item.get("address", "")), str(item.get("type", ""))
        if not address or not type_name:
            continue
        module_path = address.rsplit(f"{type_name}.", 1)[0]
        node = config.find(module_path)
        key = re.sub(r"\[[^\]]*\]", "", address)
        by_key_raw = node.references.get(key, {})
        by_key = {k: {a for r in refs for a in node.resolve(r)} for k, refs in by_key_raw.items()}
        references = set().union(*by_key.values()) if by_key else set()
        references |= {a for r in getattr(node, "inputs", set()) for a in config.find("").resolve(r)} \
            if module_path else set()
        values = item.get("values") if isinstance(item.get("values"), dict) else {}
        _mark_unknown(values, after_unknown.get(address), node.expressions.get(key))
        resources.append(TfResource(address, type_name, str(item.get("name", "")), values, references - {key},
                                    shown, None, by_key))
    variables = data.get("variables") if isinstance(data.get("variables"), dict) else {}
    resources += _not_planned(config, {r.base_address for r in resources},
                              {k: v for k, v in variables.items() if isinstance(v, dict)}, shown, notes)
    if not data.get("configuration"):
        notes.append(f"{shown}: no configuration section: references (depends_on edges) are not known")
    return resources, notes
