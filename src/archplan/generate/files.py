"""Writing generated files: all or nothing, and only over files archplan owns.

The output folder keeps a manifest (.archplan-manifest.json) of the files archplan wrote, by target. A run
builds the complete new folder beside the old one and switches it in whole (archplan.output): the files
archplan did not write are carried over untouched, files a previous run wrote for the same targets and this
run no longer produces are left out, and a run that would overwrite a file archplan did not write stops
before writing anything. Manifest entries are only ever matched against the run's own paths: a crafted
manifest cannot make archplan delete or write anything outside the folder.
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
    from archplan.output import relative_inside

    path = folder / MANIFEST
    if not path.exists() and not path.is_symlink():
        return {"files": {}}
    if path.is_symlink() or not path.is_file():
        raise UsageError(f"{path} is not a regular file; remove it or choose another folder")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("files"), dict) or \
                not all(isinstance(entry, dict) for entry in data["files"].values()):
            raise ValueError
    except (ValueError, OSError):
        raise UsageError(f"{path} is not an archplan manifest; remove it or choose another folder") from None
    for relative in data["files"]:
        relative_inside(relative, f"{path} lists a file outside the folder")
    return data


def manifest_text(files: dict[str, dict], source: str, environment: str | None) -> str:
    data = {"generator": "archplan", "source": source, "environment": environment,
            "files": dict(sorted(files.items()))}
    return json.dumps(data, indent=2, sort_keys=False) + "\n"


def write(folder: Path, generated: dict[str, tuple[str, str]], targets: list[str], source: str,
          environment: str | None) -> Report:
    """generated: relative path -> (target, text). Only files of `targets` are replaced or removed."""
    from archplan.output import absolute, recover, relative_inside, replace_folder

    folder = absolute(folder)
    if folder.is_symlink():
        raise UsageError(f"{folder} is a symbolic link; give the real folder")
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} exists and is not a folder")
    recover(folder)
    old = read_manifest(folder) if folder.exists() else {"files": {}}
    owned = old["files"]
    report = Report()
    for path, (_target, text) in sorted(generated.items()):
        relative_inside(path, "generated file")
        target_path = folder / path
        if target_path.is_symlink() or (target_path.exists() and not target_path.is_file()):
            raise UsageError(f"{target_path} is not a regular file; archplan only replaces its own files")
        if target_path.exists():
            if path not in owned:
                raise UsageError(f"{target_path} exists and archplan did not write it; move it or choose another "
                                 "folder")
            try:
                current = target_path.read_bytes()
            except OSError as exc:
                raise UsageError(f"cannot read {target_path}: {exc.strerror}") from None
            (report.unchanged if current == text.encode("utf-8") else report.changed).append(path)
        else:
            report.created.append(path)
    obsolete = {path for path, entry in owned.items() if entry.get("target") in targets and path not in generated}
    report.removed = sorted(path for path in obsolete if (folder / path).is_file() and not (folder / path).is_symlink())
    new_owned = {path: entry for path, entry in owned.items() if entry.get("target") not in targets}
    new_owned.update({path: {"target": target, "sha256": digest(text)} for path, (target, text) in generated.items()})
    manifest = manifest_text(new_owned, source, environment).encode("utf-8")
    manifest_path = folder / MANIFEST
    if not report.created and not report.changed and not report.removed and manifest_path.is_file() \
            and manifest_path.read_bytes() == manifest:
        return report  # nothing to switch
    files = {path: text.encode("utf-8") for path, (_target, text) in generated.items()}
    files[MANIFEST] = manifest
    replace_folder(folder, files, keep=lambda path: path not in files and path not in obsolete)
    return report
