"""One plan file served: read it when it changes, evaluate it (with what-if changes) through the same
pipeline as `cost` and `check`, compare with the saved plan, and save changes beside it."""
from __future__ import annotations

import copy
import hashlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from archplan.errors import CatalogError, SpecError
from archplan.serve import edits
from archplan.serve.evaluate import Evaluation, evaluate_spec
from archplan.spec.yamlpos import plan_text

MAX_PLAN_BYTES = 5 * 1024 * 1024  # the page is for plans people read; bigger files are refused with a reason
SAVE_SUFFIXES = (".yaml", ".yml")
BOM = "\ufeff".encode("utf-8")


class PlanUnavailable(Exception):
    """The plan on disk cannot be evaluated right now (an invalid edit): one line for the page."""


@dataclass(frozen=True)
class Snapshot:
    text: str  # without its byte-order mark, as every YAML mark counts it
    version: str  # sha256 of the bytes: changes whenever the file does
    bom: bool = False  # the file starts with one: a save keeps it


class PlanSession:
    def __init__(self, path: str | Path, environment: str | None = None, phase: str | None = None):
        self.path = Path(path)
        self.display = str(path)
        self.environment = environment
        self.phase = phase
        self._lock = threading.Lock()
        self._stat: tuple | None = None
        self._snapshot: Snapshot | None = None
        self._baselines: dict[tuple[str, edits.View], Evaluation] = {}
        self._parsed_version: str | None = None
        self.curves: dict = {}  # (version, environment, points) -> the `scale` curve of the saved plan
        self._parsed_data = None

    # -- reading ---------------------------------------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        """The file as it is now; re-read only when its size or modification time moved."""
        with self._lock:
            try:
                stat = self.path.stat()
            except OSError as error:
                raise PlanUnavailable(f"{self.display}: cannot read the plan: {error.strerror}") from None
            key = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
            if self._snapshot is None or key != self._stat:
                if stat.st_size > MAX_PLAN_BYTES:
                    raise PlanUnavailable(f"{self.display}: the plan is {stat.st_size} bytes; serve reads at most "
                                          f"{MAX_PLAN_BYTES}")
                try:
                    data = self.path.read_bytes()
                except OSError as error:  # a folder in its place, no permission: the page says so
                    raise PlanUnavailable(f"{self.display}: cannot read the plan: {error.strerror}") from None
                try:  # as `cost` reads it: UTF-8, the BOM off (libyaml's marks do not count it: splices were off)
                    text = plan_text(data, self.display)
                except SpecError as error:
                    raise PlanUnavailable(str(error)) from None
                self._snapshot = Snapshot(text, hashlib.sha256(data).hexdigest()[:16], data.startswith(BOM))
                self._stat = key
                self._baselines = {key_: value for key_, value in self._baselines.items()
                                   if key_[0] == self._snapshot.version}
                self.curves = {}
            return self._snapshot

    def _parsed(self, snapshot: Snapshot):
        """(data, positions) of the file as it is now, parsed once per version."""
        from archplan.spec.yamlpos import load_yaml

        if self._parsed_version != snapshot.version:
            self._parsed_data = load_yaml(snapshot.text, self.display)
            self._parsed_version = snapshot.version
        return self._parsed_data

    def _validate(self, data, positions, view: edits.View):
        """Validate parsed data exactly as `archplan cost` validates a file. Overrides change both in place."""
        from archplan import catalog
        from archplan.spec.load import load_spec_data

        return load_spec_data(data, positions, self.display, view.environment, catalog.supported_regions(),
                              view.phase)

    def _load(self, loaded, view: edits.View):
        """The spec of parsed data, leaving the cached parse untouched."""
        data, positions = loaded
        return self._validate(copy.deepcopy(data), type(positions)(positions), view)

    def _load_text(self, text: str, view: edits.View):
        from archplan.spec.yamlpos import load_yaml

        return self._load(load_yaml(text, self.display), view)

    def _load_changed(self, changes: list[edits.Change], view: edits.View):
        """The spec with changes applied to a copy of the parsed file: no YAML is written or re-read."""
        snapshot = self.snapshot()
        self.baseline(view)
        data, positions = self._parsed(snapshot)
        data = copy.deepcopy(data)
        edits.apply(data, changes, view, set(data.get("components") or {}), mapping=dict)
        return self._validate(data, type(positions)(positions), view)

    def phases(self, snapshot: Snapshot) -> list[str]:
        try:
            document = self._parsed(snapshot)[0]
        except SpecError:
            return []
        found = document.get("phases") if isinstance(document, dict) else None
        return [str(p.get("name")) for p in found if isinstance(p, dict) and "name" in p] \
            if isinstance(found, list) else []

    def view(self, environment: str | None, phase: str | None) -> edits.View:
        """The view of an environment and a phase, both checked against the plan as it is now."""
        snapshot = self.snapshot()
        if environment is None:  # the plan as priced by default: its default_environment, where edits must go
            environment = self.default_environment(snapshot)
        if environment is not None and environment not in self.environments(snapshot):
            known = ", ".join(self.environments(snapshot)) or "(none)"
            raise edits.EditError(f"environment: no environment {environment[:60]!r} in the plan; valid: {known}")
        if phase is None:
            return edits.View(environment)
        names = self.phases(snapshot)
        if phase not in names:
            raise edits.EditError(f"phase: no phase {phase[:60]!r} in the plan; valid: {', '.join(names) or '(none)'}")
        return edits.View(environment, phase, names.index(phase))

    def default_environment(self, snapshot: Snapshot) -> str | None:
        """project.default_environment: what `cost` prices without --env (edits made to the base components
        would be overridden by it and change nothing)."""
        try:
            document = self._parsed(snapshot)[0]
        except SpecError:
            return None
        project = document.get("project") if isinstance(document, dict) else None
        found = project.get("default_environment") if isinstance(project, dict) else None
        return str(found) if isinstance(found, str) and found in self.environments(snapshot) else None

    def environments(self, snapshot: Snapshot) -> list[str]:
        try:
            document = self._parsed(snapshot)[0]
        except SpecError:  # the error itself is reported by evaluate
            return []
        project = document.get("project") if isinstance(document, dict) else None
        found = project.get("environments") if isinstance(project, dict) else None
        return [str(name) for name in found] if isinstance(found, dict) else []

    # -- evaluating ------------------------------------------------------------------------------------------
    def baseline(self, view: edits.View) -> Evaluation:
        """The saved plan's figures for one view (cached until the file changes)."""
        snapshot = self.snapshot()
        key = (snapshot.version, view)
        cached = self._baselines.get(key)
        if cached is None:
            try:
                spec = self._load(self._parsed(snapshot), view)
                cached = evaluate_spec(spec)
            except (SpecError, CatalogError) as error:
                raise PlanUnavailable(str(error)) from None
            except (ArithmeticError, OverflowError, RecursionError) as error:
                raise PlanUnavailable(f"{self.display}: a figure in the plan is too large to compute "
                                      f"({type(error).__name__})") from None
            self._baselines[key] = cached
        return cached

    def edited_text(self, changes: list[edits.Change], view: edits.View) -> str:
        """The plan's text with the changes made: values in place where they stand in the file; a round-trip
        YAML edit (comments and key order kept) only for keys the file does not have yet."""
        snapshot = self.snapshot()
        self.baseline(view)  # the file itself must be valid before it is edited
        text, structural = edits.splice(snapshot.text, changes, view)
        if not structural:
            return text
        document = edits.load(text)
        components = set(document.root.get("components") or {})
        edits.apply(document.root, structural, view, components)
        return edits.dump(document)

    def evaluate(self, changes: list[edits.Change], view: edits.View) -> Evaluation:
        if not changes:
            return self.baseline(view)
        edits.refuse_shared(self.snapshot().text, changes, view)  # as a save would refuse it
        try:
            return evaluate_spec(self._load_changed(changes, view))
        except (SpecError, CatalogError) as error:
            raise edits.EditError(str(error)) from None
        except (ArithmeticError, OverflowError, RecursionError) as error:
            raise edits.EditError(f"a changed figure is too large to compute ({type(error).__name__})") from None

    # -- saving ----------------------------------------------------------------------------------------------
    def save(self, changes: list[edits.Change], view: edits.View, name: str, overwrite: bool) -> Path:
        """Write the changed plan as a new file beside the original. Never outside its folder, never the
        original itself, never over an existing file unless asked."""
        if not isinstance(name, str) or not name or name != Path(name).name or name.startswith("."):
            raise edits.EditError("name: a plain file name beside the plan, e.g. plan.what-if.yaml")
        if not name.endswith(SAVE_SUFFIXES) or len(name) > 120 or not name.isprintable():
            raise edits.EditError("name: end the file name with .yaml or .yml (at most 120 characters)")
        folder = self.path.resolve().parent
        target = folder / name
        if target.resolve().parent != folder:
            raise edits.EditError("name: the file must stay in the plan's folder")
        if target.resolve() == self.path.resolve():
            raise edits.EditError("name: save under a new name; the plan itself is edited in your editor")
        if not changes:
            raise edits.EditError("changes: nothing to save (no change from the plan)")
        text = self.edited_text(changes, view)
        bom = self.snapshot().bom
        try:
            self._load_text(text, view)
        except SpecError as error:
            raise edits.EditError(str(error)) from None
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise edits.EditError(f"name: {name} exists and is not a regular file")
        if target.exists() and not overwrite:
            raise edits.EditError(f"name: {name} exists; ask to overwrite it")
        temporary = folder / f".{name}.tmp-{os.getpid()}"
        try:
            with open(temporary, "x", encoding="utf-8") as stream:
                stream.write("\ufeff" + text if bom else text)
            os.replace(temporary, target)
        except OSError as error:
            temporary.unlink(missing_ok=True)
            raise edits.EditError(f"cannot write {name}: {error.strerror}") from None
        return target
