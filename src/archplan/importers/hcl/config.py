"""Read a folder of Terraform files: variables, locals, resources and local modules (source = "./..."),
evaluated as far as the files allow (see expressions.py) into TfResources."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from archplan.importers.hcl.expressions import (UNKNOWN, EvaluationLimit, ExpressionError, Scope, TypeSpec,
                                                apply_type_defaults, conditional, end_budget, evaluate_value,
                                                new_budget, unknown)
from archplan.importers.resources import ImportProblem, TfResource

MAX_MODULE_DEPTH = 8
# A count past this is read as a mistake, not as that many resources to price (count = 1e9 would hang here).
MAX_INSTANCES = 1000
# Module instances across the whole configuration: five modules each calling five more, eight levels deep,
# would be 390,625 readings of the same files.
MAX_MODULE_INSTANCES = 500


def _unquote(text: str) -> str:
    return text[1:-1] if len(text) >= 2 and text[0] == '"' and text[-1] == '"' else text


_TOO_DEEP = "nested too deeply to read (blocks, objects or parentheses hundreds of levels deep)"


# A .tf file past this is refused: the HCL parser reads about 150 KB a second, so 2 MiB is some 13 s, and
# hand-written configurations are a few hundred KB at most (a 5 MB file ran past two minutes).
MAX_FILE_BYTES = 2 * 1024 * 1024


def _parse_file(path: Path, root: Path) -> dict:
    import hcl2
    from hcl2 import SerializationOptions

    shown = _shown(path, root)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ImportProblem(f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; archplan reads "
                                "hand-written configurations (import `terraform show -json` output for a large "
                                "one)", shown)
        text = path.read_text(encoding="utf-8-sig")  # a byte order mark (Windows editors) is not HCL
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportProblem(f"cannot read the file: {getattr(exc, 'strerror', None) or exc}", shown) from None
    try:
        return hcl2.loads(text, serialization_options=SerializationOptions(with_comments=False))
    except RecursionError:
        raise ImportProblem(_TOO_DEEP, shown) from None
    except Exception as exc:  # lark raises many kinds; each is "this is not HCL"
        if isinstance(getattr(exc, "orig_exc", None), RecursionError):  # lark's VisitError around one
            raise ImportProblem(_TOO_DEEP, shown) from None
        joined = _leading_dots_joined(text)
        if joined != text:
            try:
                return hcl2.loads(joined, serialization_options=SerializationOptions(with_comments=False))
            except Exception:  # noqa: BLE001 - the error shown is the one of the text as written
                pass
        line = getattr(exc, "line", None)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ImportProblem(f"HCL does not parse: {first[:160]}", shown, line if isinstance(line, int) else None) \
            from None


_LEADING_DOT = re.compile(r"\n([ \t]*)\.([A-Za-z_][A-Za-z0-9_-]*)")


def _leading_dots_joined(text: str) -> str:
    """An attribute access that starts a line (`var.config` then `.nested` on the next, valid HCL within
    parentheses, as Fabric's gke-nodepool writes it) joined to the line before, which python-hcl2 cannot
    parse otherwise; each newline moves after the name it preceded, so every line keeps its number."""
    while (joined := _LEADING_DOT.sub(r".\2\n\1", text)) != text:
        text = joined
    return text


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent)) if root.parent != path else str(path)
    except ValueError:
        return str(path)


def _blocks(document: dict, kind: str) -> list[dict]:
    return document.get(kind, []) or []


_BLOCK_HEAD = re.compile(r'^[ \t]*([A-Za-z_][A-Za-z0-9_-]*)((?:\s+"[^"\n]*")+)\s*\{', re.MULTILINE)
_LABEL = re.compile(r'"([^"\n]*)"')


@lru_cache(maxsize=64)
def _block_lines(text: str) -> dict[tuple[str, ...], int]:
    """(kind, label, ...) -> the line its first block starts on, from one pass over the file (searching the
    file again for each resource made a large file's import quadratic: 1 MB took 18 s)."""
    lines: dict[tuple[str, ...], int] = {}
    line, at = 1, 0
    for match in _BLOCK_HEAD.finditer(text):
        line += text.count("\n", at, match.start())
        at = match.start()
        lines.setdefault((match.group(1), *_LABEL.findall(match.group(2))), line)
    return lines


def _line_of(text: str, kind: str, labels: tuple[str, ...]) -> int | None:
    return _block_lines(text).get((kind, *labels))


def _argument_line(text: str, block_line: int | None, key: str) -> int | None:
    """The line of `key = ...` in the block that starts at block_line (its first such line after it)."""
    if block_line is None:
        return None
    match = re.compile(r"^[ \t]*" + re.escape(key) + r"\s*=", re.MULTILINE).search(
        text, sum(len(line) for line in text.splitlines(keepends=True)[:block_line - 1]))
    return text.count("\n", 0, match.start()) + 1 if match else block_line


class ModuleReader:
    """One module folder, evaluated with the inputs its caller gives."""

    def __init__(self, folder: Path, root: Path, inputs: dict | None, prefix: str, notes: list[str], depth: int = 0,
                 module_count: list[int] | None = None, read_files: set[Path] | None = None):
        self.folder, self.root, self.prefix, self.notes, self.depth = folder, root, prefix, notes, depth
        self.module_count = module_count if module_count is not None else [0]  # shared by the whole tree
        self.read_files = read_files if read_files is not None else set()  # every file read, for import -o
        self.inputs = inputs or {}
        files = sorted(p for p in folder.glob("*.tf") if p.is_file())
        if not files:
            raise ImportProblem("no .tf files in this folder", str(folder))
        self.read_files.update(files)
        self.files = [(p, _parse_file(p, root)) for p in files]
        self.texts = {p: p.read_text(encoding="utf-8-sig") for p, _ in self.files}
        self.scope = Scope(variables={}, locals={})
        self.resources: list[TfResource] = []
        self.output_values: dict = {}
        self.output_references: dict[str, set[str]] = {}
        self.unset: set[str] = set()  # root variables that are null: no value in the files, a null default

    def where(self, path: Path) -> str:
        return _shown(path, self.root)

    def evaluate(self, value, scope: Scope | None = None, path: Path | None = None, default=None,
                 line: int | None = None):
        try:
            return evaluate_value(value, scope or self.scope)
        except EvaluationLimit as exc:
            raise ImportProblem(str(exc), self.where(path) if path else str(self.folder),
                                line or (self._line_of_value(path, value) if path else None)) from None
        except ExpressionError as exc:
            self.notes.append(f"{self.where(path) if path else self.folder}: expression not read ({exc}): "
                              f"{str(value)[:80]}")
            return default

    def _line_of_value(self, path: Path, value) -> int | None:
        """The line an expression is written on, found by its first words in the file (hcl2 keeps no lines)."""
        text = self.texts.get(path, "")
        written = str(value).strip()
        if written.startswith("${") and written.endswith("}"):
            written = written[2:-1]
        for probe in (written.splitlines()[0][:40] if written else "",
                      *re.findall(r"[A-Za-z_][A-Za-z0-9_]*\(", written)[:1]):
            at = text.find(probe) if probe else -1
            if at >= 0:
                return text.count("\n", 0, at) + 1
        return None

    def read(self) -> None:
        self._variables()
        self._locals()
        self._modules()
        self._locals()  # locals may use module outputs
        self._resources()
        self._outputs()

    def provider_region(self) -> str | None:
        """The default region of the module's google (or google-beta) provider without an alias, where it is
        a literal once evaluated: what Terraform gives every resource that names no region of its own."""
        for path, document in self.files:
            for block in _blocks(document, "provider"):
                for name, body in block.items():
                    if _unquote(name) not in ("google", "google-beta") or "alias" in body:
                        continue
                    for key in ("region", "zone"):
                        value = self.evaluate(body.get(key), path=path) if key in body else None
                        if isinstance(value, str) and not unknown(value):
                            return re.sub(r"-[a-z]$", "", value) if key == "zone" else value
        return None

    def _variables(self) -> None:
        for path, document in self.files:
            for block in _blocks(document, "variable"):
                for name, body in block.items():
                    name = _unquote(name)
                    type_spec = self.evaluate(body.get("type"), path=path) if "type" in body else None
                    if name in self.inputs:
                        value = self.inputs[name]
                    elif "default" in body:
                        value = self.evaluate(body["default"], path=path)
                    else:  # not null: Terraform stops without a value; what is built from it is not known here
                        value = UNKNOWN
                        if self.depth == 0:
                            self.notes.append(f"{self.where(path)}: variable {name} has no default and no value: "
                                              "settings that use it are left at GCP's defaults")
                    if unknown(value) and "default" in body and name not in self.inputs:
                        value = None
                    if value is None and name not in self.inputs and self.depth == 0:
                        self.unset.add(name)  # null until given at apply (-var, TF_VAR_): read by _present
                    self.scope.variables[name] = apply_type_defaults(value, type_spec) \
                        if isinstance(type_spec, TypeSpec) else value

    def _locals(self) -> None:
        bodies = [(path, name, value) for path, document in self.files for block in _blocks(document, "locals")
                  for name, value in block.items() if not name.startswith("__")]
        for _ in range(len(bodies) + 1):  # locals may refer to each other in any order
            changed = False
            for path, name, value in bodies:
                scope = self.scope.child(references=set())
                text = self.texts[path]
                written = re.search(r"^[ \t]*" + re.escape(name) + r"\s*=", text, re.MULTILINE)
                result = self.evaluate(value, scope, path,
                                       line=text.count("\n", 0, written.start()) + 1 if written else None)
                # A resource that reads the local depends on what the local reads.
                if result != self.scope.locals.get(name, object()) or \
                        scope.references != self.scope.local_references.get(name):
                    self.scope.locals[name] = result
                    self.scope.local_references[name] = scope.references
                    changed = True
            if not changed:
                break

    def _modules(self) -> None:
        for path, document in self.files:
            for block in _blocks(document, "module"):
                for name, body in block.items():
                    name = _unquote(name)
                    source = self.evaluate(body.get("source"), path=path)
                    if not isinstance(source, str) or not source.startswith(("./", "../")):
                        self.notes.append(f"{self.where(path)}: module {name} (source {source!r}) not read: only "
                                          "local modules (./ or ../) are resolved; import `terraform show -json` "
                                          "output to include it")
                        continue
                    if self.depth >= MAX_MODULE_DEPTH:
                        raise ImportProblem(f"module {name}: modules nested deeper than {MAX_MODULE_DEPTH}",
                                            self.where(path), _line_of(self.texts[path], "module", (name,)))
                    folder = (self.folder / source).resolve()
                    if not folder.is_dir():
                        raise ImportProblem(f"module {name}: source {source} is not a folder",
                                            self.where(path), _line_of(self.texts[path], "module", (name,)))
                    # count and for_each make one instance of the module per index or key, each with its
                    # own resources (module.svc["a"].google_sql_database_instance.db, ...), as Terraform does.
                    line = _line_of(self.texts[path], "module", (name,))
                    instances = self._instances(path, f"module.{name}", body, line)
                    by_instance = {}
                    for instance_address, scope in instances:
                        self.module_count[0] += 1
                        if self.module_count[0] > MAX_MODULE_INSTANCES:
                            raise ImportProblem(f"module {name}: more than {MAX_MODULE_INSTANCES} module instances in "
                                                "all (modules calling modules multiply); archplan stops here",
                                                self.where(path), line)
                        inputs = {key: self.evaluate(value, scope, path) for key, value in body.items()
                                  if key not in ("source", "version", "providers", "depends_on", "count", "for_each")
                                  and not key.startswith("__")}
                        child = ModuleReader(folder, self.root, inputs, f"{self.prefix}{instance_address}.",
                                             self.notes, self.depth + 1, self.module_count, self.read_files)
                        child.read()
                        # What the caller passed in that refers to resources counts as the module's references.
                        for resource in child.resources:
                            resource.references |= scope.references - {r.base_address for r in child.resources}
                        self.resources += child.resources
                        outputs = _Outputs(child.output_values)
                        outputs.references = child.output_references
                        by_instance[instance_address] = (scope, outputs)
                    if "count" in body or "for_each" in body:
                        keyed = {s.each["key"] if s.each else s.count_index: o for s, o in by_instance.values()}
                        self.scope.module_outputs[name] = keyed if "for_each" in body else list(keyed.values())
                    elif by_instance:
                        self.scope.module_outputs[name] = next(iter(by_instance.values()))[1]

    def _resources(self) -> None:
        for path, document in self.files:
            for block in _blocks(document, "resource"):
                for type_label, named in block.items():
                    type_name = _unquote(type_label)
                    for name_label, body in named.items():
                        if name_label.startswith("__"):
                            continue
                        self._resource(path, type_name, _unquote(name_label), body)

    def _instances(self, path: Path, address: str, body: dict, line: int | None) -> list[tuple[str, Scope]]:
        def refuse(key: str, why: str) -> ImportProblem:
            return ImportProblem(f"{address}: {why}", self.where(path), _argument_line(self.texts[path], line, key), key)

        if "count" in body:
            count = self._present(path, address, "count", body["count"], self.evaluate(body["count"], path=path))
            if isinstance(count, str) and re.fullmatch(r"-?\d+(\.\d+)?", count.strip()):
                count = float(count)  # Terraform converts "3" to the number count takes
            if isinstance(count, (int, float)) and not isinstance(count, bool):
                if count < 0 or count != int(count):
                    raise refuse("count", f"{count} is not a whole number of instances (0 or more)")
                if count > MAX_INSTANCES:
                    raise refuse("count", f"{int(count)} instances, more than the {MAX_INSTANCES} archplan reads of one "
                                          "resource")
                return [(f"{address}[{i}]", self.scope.child(count_index=i, references=set()))
                        for i in range(int(count))]
            self.notes.append(f"{self.where(path)}: {address}: count is not known before apply; read as 1")
            return [(address, self.scope.child(count_index=0, references=set()))]
        if "for_each" in body:
            items = self._present(path, address, "for_each", body["for_each"],
                                  self.evaluate(body["for_each"], path=path))
            if isinstance(items, (dict, list)) and len(items) > MAX_INSTANCES:
                raise refuse("for_each", f"{len(items)} instances, more than the {MAX_INSTANCES} archplan reads of one "
                                         "resource")
            if isinstance(items, dict):
                return [(f'{address}["{k}"]', self.scope.child(each={"key": k, "value": v}, references=set()))
                        for k, v in items.items()]
            if isinstance(items, list):
                return [(f'{address}["{k}"]', self.scope.child(each={"key": k, "value": k}, references=set()))
                        for k in items]
            self.notes.append(f"{self.where(path)}: {address}: for_each is not known before apply; read as one")
            return [(address, self.scope.child(references=set()))]
        return [(address, self.scope.child(references=set()))]

    def _present(self, path: Path, address: str, key: str, written, value):
        """A count or for_each that is a condition choosing between none and some (`var.account == null ? 0 :
        1`, `var.on ? var.names : []`), where the condition is not known here or turns on a root variable that
        is null (a billing account or an e-mail address given at apply, with -var or TF_VAR_), reads as the
        instances it makes once it holds, said in the notes: that is how a configuration makes a resource
        wait for a value the files do not hold, and the plan is of what it builds once given. A condition
        decided by the values the files give (a module's inputs, a variable's non-null default) is read as
        decided; where it makes none, the notes say what is not imported. `value` is the argument as evaluated;
        what is returned is what to read it as."""
        branches = conditional(written, self.scope)
        if branches is None:
            return value

        def empty(item) -> bool:
            return item == 0 or item is None or isinstance(item, (list, dict)) and not item

        condition, yes, no = branches
        if empty(yes) == empty(no):
            return value  # not a switch between none and some: read as evaluated
        present = no if empty(yes) else yes
        if not empty(value) and not unknown(value):
            return value  # the condition holds with the values given
        text = " ".join(str(written).strip()[2:-1].split())
        waiting = sorted(self.unset & set(re.findall(r"\bvar\.([A-Za-z_][A-Za-z0-9_-]*)", text)))
        if not unknown(condition) and not waiting:
            self.notes.append(f"{self.where(path)}: {address}: {key} = {text[:100]} makes none with the values "
                              "given: not imported")
            return value
        why = "depends on a condition not known here" if unknown(condition) else \
            f"makes none until {', '.join('var.' + w for w in waiting)} is given"
        shown = present if key == "count" and not unknown(present) else "one" if key == "count" else \
            "the instances it names"
        self.notes.append(f"{self.where(path)}: {address}: {key} = {text[:100]} {why}: read as {shown}, "
                          "assuming it is created")
        if unknown(present):
            return 1 if key == "count" else UNKNOWN
        return present

    def _resource(self, path: Path, type_name: str, name: str, body: dict) -> None:
        address = f"{self.prefix}{type_name}.{name}"
        line = _line_of(self.texts[path], "resource", (type_name, name))
        for instance_address, scope in self._instances(path, address, body, line):
            values, by_key = {}, {}
            for key, value in body.items():
                key_scope = scope.child(references=set())
                values.update(self._body(path, {key: value}, key_scope))
                by_key[key] = {self._qualify(r) for r in key_scope.references}
            for reference in body.get("depends_on", []) or []:
                by_key.setdefault("depends_on", set()).add(self._qualify(str(reference).strip("${}")))
            inherited = {self._qualify(r) for r in scope.references}
            references = set().union(inherited, *by_key.values())
            self.resources.append(TfResource(instance_address, type_name, name, values, references,
                                             self.where(path), line, by_key))

    def _qualify(self, reference: str) -> str:
        return reference if reference.startswith("module.") and self.prefix and reference.startswith(self.prefix) \
            else f"{self.prefix}{reference}"

    def _body(self, path: Path, body: dict, scope: Scope, top: bool = True) -> dict:
        """A block's arguments evaluated. The meta-arguments (count, for_each, lifecycle...) are the resource's
        own, at its top level only: inside a nested block they are ordinary arguments (a Cloud Armor rule's
        rate_limit_threshold has a `count`)."""
        values = {}
        for key, value in body.items():
            if key.startswith("__") or top and key in ("count", "for_each", "depends_on", "lifecycle", "provider",
                                                       "provisioner", "connection"):
                continue
            if key == "dynamic":
                for dynamic in value:
                    for label, spec in dynamic.items():
                        values.setdefault(_unquote(label), []).extend(self._dynamic(path, _unquote(label), spec, scope))
                continue
            if isinstance(value, list) and value and all(isinstance(v, dict) and v.get("__is_block__") for v in value):
                values[key] = [self._body(path, block, scope, top=False) for block in value]
            else:
                values[key] = self.evaluate(value, scope, path)
        return values

    def _dynamic(self, path: Path, label: str, spec: dict, scope: Scope) -> list[dict]:
        items = self.evaluate(spec.get("for_each"), scope, path)
        # The iterator is named by `iterator = name` (a bare word), else after the block.
        iterator = str(spec["iterator"]).strip("${}") if "iterator" in spec else label
        content = (spec.get("content") or [{}])[0]
        if isinstance(items, dict):
            pairs = list(items.items())
        elif isinstance(items, list):
            pairs = list(enumerate(items))
        else:  # unknown collection: one block, its iterator unknown (not a resource named after the block)
            pairs = [(UNKNOWN, UNKNOWN)]
        blocks = []
        for key, value in pairs:
            inner = scope.child(iterators={**scope.iterators, iterator: {"key": key, "value": value}})
            inner.references = scope.references
            blocks.append(self._body(path, content, inner, top=False))
        return blocks

    def _outputs(self) -> None:
        for path, document in self.files:
            for block in _blocks(document, "output"):
                for name, body in block.items():
                    scope = self.scope.child(references=set())
                    self.output_values[_unquote(name)] = self.evaluate(body.get("value"), scope, path)
                    self.output_references[_unquote(name)] = {self._qualify(r) for r in scope.references}


class _Outputs(dict):
    references: dict


def _variable_files(folder: Path) -> list[Path]:
    """The files Terraform loads variable values from on its own, in its order (later ones win):
    terraform.tfvars, terraform.tfvars.json, then *.auto.tfvars and *.auto.tfvars.json by name."""
    named = [folder / "terraform.tfvars", folder / "terraform.tfvars.json"]
    automatic = sorted(p for p in folder.iterdir() if p.name.endswith((".auto.tfvars", ".auto.tfvars.json")))
    return [p for p in named + automatic if p.is_file()]


def _variable_values(folder: Path, root: Path, notes: list[str]) -> dict:
    import json

    values: dict = {}
    for path in _variable_files(folder):
        shown = _shown(path, root)
        if path.suffix == ".json":
            try:
                document = json.loads(path.read_text(encoding="utf-8-sig"))
            except (OSError, UnicodeDecodeError) as exc:
                raise ImportProblem(f"cannot read the file: {getattr(exc, 'strerror', None) or exc}", shown) from None
            except json.JSONDecodeError as exc:
                raise ImportProblem(f"not JSON: {exc.msg}", shown, exc.lineno) from None
            if not isinstance(document, dict):
                raise ImportProblem("not an object of variable values", shown)
        else:
            document = {key: value for key, value in _parse_file(path, root).items() if not key.startswith("__")}
        # A variable file holds literal values: nothing in it refers to anything.
        scope = Scope(variables={}, locals={})
        for name, value in document.items():
            try:
                values[name] = evaluate_value(value, scope) if path.suffix != ".json" else value
            except EvaluationLimit as exc:
                raise ImportProblem(f"{name}: {exc}", shown) from None
            except ExpressionError as exc:
                raise ImportProblem(f"{name}: not a value ({exc})", shown) from None
        notes.append(f"{shown}: variable values read ({', '.join(sorted(document)) or 'none'})")
    return values


def read_folder(folder: Path, provider: dict | None = None,
                read_files: set[Path] | None = None) -> tuple[list[TfResource], list[str]]:
    """The folder's resources (its local modules' too) and notes on what was not read. `provider`, if given,
    gets the root google provider's default region (`region`, or its `zone`'s region) under "region";
    `read_files`, if given, gets every file read (the .tf files of each module, the variable files)."""
    if not folder.is_dir():
        raise ImportProblem("not a folder of Terraform files", str(folder))
    notes: list[str] = []
    root = folder.resolve()
    budget = new_budget()
    try:
        read_files = read_files if read_files is not None else set()
        read_files.update(_variable_files(root))
        reader = ModuleReader(root, root, _variable_values(root, root, notes), "", notes, read_files=read_files)
        reader.read()
    finally:
        end_budget()
    notes += list(dict.fromkeys(budget.notes))
    if provider is not None:
        region = reader.provider_region()
        if region is not None:
            provider["region"] = region
    return reader.resources, notes
