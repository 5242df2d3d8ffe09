"""Writing generated files: all or nothing, and only over files archplan owns.

The output folder keeps a manifest (.archplan-manifest.json) of the files archplan wrote, by target. A run
stages every new or changed file in a temporary folder inside the output folder, then moves each into place
with a rename; a failure before that leaves the folder as it was. Files a previous run wrote for the same
targets and this run no longer produces are removed; files archplan did not write are never touched, and a
run that would overwrite one stops before writing anything.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from archplan.errors import UsageError

MANIFEST = ".archplan-manifest.json"


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"{status:<9} {path}" for status, paths in
               (("created", self.created), ("changed", self.changed), ("removed", self.removed),
                ("unchanged", self.unchanged)) for path in paths]
        out.append(f"{len(self.created)} created, {len(self.changed)} changed, {len(self.removed)} removed, "
                   f"{len(self.unchanged)} unchanged")
        return out


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    if not path.exists():
        return {"files": {}}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data.get("files"), dict):
            raise ValueError
        return data
    except (ValueError, OSError):
        raise UsageError(f"{path} is not an archplan manifest; remove it or choose another folder") from None


def manifest_text(files: dict[str, dict], source: str, environment: str | None) -> str:
    data = {"generator": "archplan", "source": source, "environment": environment,
            "files": dict(sorted(files.items()))}
    return json.dumps(data, indent=2, sort_keys=False) + "\n"


def write(folder: Path, generated: dict[str, tuple[str, str]], targets: list[str], source: str,
          environment: str | None) -> Report:
    """generated: relative path -> (target, text). Only files of `targets` are replaced or removed."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} exists and is not a folder")
    old = read_manifest(folder) if folder.exists() else {"files": {}}
    owned = old["files"]
    report = Report()
    to_write: dict[str, str] = {}
    for path, (_target, text) in sorted(generated.items()):
        target_path = folder / path
        if target_path.exists():
            if path not in owned:
                raise UsageError(f"{target_path} exists and archplan did not write it; move it or choose another "
                                 "folder")
            try:
                current = target_path.read_bytes()
            except OSError as exc:
                raise UsageError(f"cannot read {target_path}: {exc.strerror}") from None
            if current == text.encode("utf-8"):
                report.unchanged.append(path)
                continue
            report.changed.append(path)
        else:
            report.created.append(path)
        to_write[path] = text
    obsolete = sorted(path for path, entry in owned.items()
                      if entry.get("target") in targets and path not in generated)
    new_owned = {path: entry for path, entry in owned.items() if entry.get("target") not in targets}
    new_owned.update({path: {"target": target, "sha256": digest(text)} for path, (target, text) in generated.items()})
    manifest = manifest_text(new_owned, source, environment)
    created_folder = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".archplan-staging-", dir=folder))
    except OSError as exc:
        raise UsageError(f"cannot write to {folder}: {exc.strerror}") from None
    try:
        try:
            for index, (path, text) in enumerate(sorted(to_write.items())):
                (staging / str(index)).write_bytes(text.encode("utf-8"))
            (staging / "manifest").write_bytes(manifest.encode("utf-8"))
        except OSError as exc:
            raise UsageError(f"cannot write to {folder}: {exc.strerror}") from None
        # Everything is staged: move each file into place.
        try:
            for index, (path, _text) in enumerate(sorted(to_write.items())):
                destination = folder / path
                destination.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / str(index), destination)
            for path in obsolete:
                removed = folder / path
                if removed.exists():
                    removed.unlink()
                    report.removed.append(path)
                    _remove_empty_parents(removed.parent, folder)
            manifest_path = folder / MANIFEST
            if not manifest_path.exists() or manifest_path.read_bytes() != manifest.encode("utf-8"):
                os.replace(staging / "manifest", manifest_path)
        except OSError as exc:
            raise UsageError(f"cannot write to {folder}: {exc.strerror}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if created_folder and not any(folder.iterdir()):
            folder.rmdir()
    return report


def _remove_empty_parents(path: Path, root: Path) -> None:
    while path != root and path.is_dir() and not any(path.iterdir()):
        path.rmdir()
        path = path.parent
