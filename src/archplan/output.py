"""Writing what archplan produces, safely: a file replaced in one rename, a folder switched as a whole.

A plan and an output folder may both be hostile (a manifest listing `../x`, a subfolder that is a symbolic
link, `-o` naming a FIFO or a device). So: every path is made absolute without following links and must
stay inside the output; no symbolic link is followed out of it; only regular files and folders are ever
replaced. A folder is rebuilt complete beside the old one (`.NAME.archplan-staging`, renamed to
`.NAME.archplan-ready` once complete), then swapped in by renames; a run killed at any point leaves either
the old folder or the new one, and the next run finishes or discards what it finds (see `recover`).
"""
from __future__ import annotations

import os
import shutil
import stat
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Callable, Iterator

from archplan.errors import UsageError

STAGING = ".{}.archplan-staging"
READY = ".{}.archplan-ready"
OLD = ".{}.archplan-old"
LEGACY_STAGING_PREFIX = ".archplan-staging-"  # left inside the folder by versions before the folder switch


def absolute(path: str | Path) -> Path:
    """The path made absolute and normalised without following symbolic links."""
    return Path(os.path.abspath(os.fspath(path)))


def relative_inside(relative: str, what: str) -> PurePosixPath:
    """A relative path that cannot leave its folder, or a UsageError."""
    if not isinstance(relative, str) or not relative or "\\" in relative or "\x00" in relative:
        raise UsageError(f"{what}: {relative!r} is not a relative path")
    pure = PurePosixPath(relative)
    if pure.is_absolute() or any(part in ("..", ".", "") for part in relative.split("/")):
        raise UsageError(f"{what}: {relative!r} leaves the output folder")
    return pure


def path_exists(path: str | Path) -> bool:
    """Whether something is at `path`; a path the system refuses to look at (a name too long, a component
    that is a file) is a usage error naming it, not an internal error."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None
    return True


def _refuse_odd(path: Path, want_folder: bool) -> None:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None
    if stat.S_ISLNK(info.st_mode):
        raise UsageError(f"{path} is a symbolic link; give the real path")
    if want_folder and not stat.S_ISDIR(info.st_mode):
        raise UsageError(f"{path} exists and is not a folder")
    if not want_folder and not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (a device, FIFO or socket)"
        raise UsageError(f"{path} is {kind}; archplan only replaces regular files")


def refuse_unsafe_file(path: str | Path) -> None:
    """A file to replace must be a regular file or nothing: a symbolic link, a folder, a device or a FIFO is a
    usage error naming it (os.replace would put the new file in place of the link, not where it points)."""
    _refuse_odd(absolute(path), want_folder=False)


def refuse_unsafe_folder(path: str | Path) -> None:
    """A folder to write into must be a real folder or nothing yet: a symbolic link to one (which would put the
    files where it points) or a file is a usage error naming it."""
    _refuse_odd(absolute(path), want_folder=True)


@contextmanager
def parent_folder(target: Path) -> Iterator[None]:
    """The folder a file `target` goes into, created with any missing ancestors as `generate` and `doc`
    create their -o folder; the folders it made are removed again (while empty) if the body fails, so a
    failed write leaves nothing behind."""
    missing = [folder for folder in (target.parent, *target.parent.parents) if not path_exists(folder)]
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create {target.parent}: {exc.strerror}") from None
    try:
        yield
    except BaseException:
        for folder in missing:  # the deepest first
            try:
                folder.rmdir()
            except OSError:
                break
        raise


def write_file(target: str | Path, data: bytes) -> None:
    """Replace one regular file in one rename, creating its folder if missing; refuse links, devices, FIFOs
    and folders."""
    target = absolute(target)
    _refuse_odd(target, want_folder=False)
    temporary = target.with_name(f".{target.name}.archplan-tmp-{os.getpid()}")
    with parent_folder(target):
        try:
            _write_new(temporary, data)
            _fsync(temporary)
            os.replace(temporary, target)
        except OSError as exc:
            try:
                os.unlink(temporary)
            except OSError:
                pass
            raise UsageError(f"cannot write {target}: {exc.strerror}") from None


def _write_new(path: Path, data: bytes) -> None:
    """Create a file that must not exist yet, never through a link. The caller puts it on disk before
    renaming it into place (`_fsync`, or `_sync_folder` for a whole folder)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _syncfs():
    """Linux's syncfs(2), or None where the C library has none."""
    try:
        import ctypes

        function = ctypes.CDLL(None, use_errno=True).syncfs
    except (ImportError, OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int]
    return function


def _sync_folder(folder: Path, written: list[Path]) -> None:
    """Put every file written into `folder` on disk before it is renamed into place: one syncfs(2) for
    the folder's file system (one journal commit, where an fsync per file made a large `generate` wait
    seconds), else an fsync per file."""
    syncfs = _syncfs()
    if syncfs is not None:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            if syncfs(descriptor) == 0:
                return
        finally:
            os.close(descriptor)
    for path in written:
        _fsync(path)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def recover(folder: Path) -> None:
    """Finish or discard a switch an earlier run did not complete (killed, power cut, full disk)."""
    parent, name = folder.parent, folder.name
    staging, ready, old = (parent / pattern.format(name) for pattern in (STAGING, READY, OLD))
    for leftover in (staging, ready, old):
        if leftover.is_symlink():
            raise UsageError(f"{leftover} is a symbolic link; remove it")
    try:
        if staging.exists():
            _remove(staging)  # never completed: the old folder is intact
        if ready.exists():
            if folder.exists():
                _remove(ready)  # the switch had not started
            else:
                os.rename(ready, folder)  # the old folder was moved away: put the new one in
        if old.exists():
            if folder.exists():
                _remove(old)
            else:
                os.rename(old, folder)
        if folder.is_dir() and not folder.is_symlink():
            for entry in folder.iterdir():
                if entry.name.startswith(LEGACY_STAGING_PREFIX) and entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry)
    except OSError as exc:
        raise UsageError(f"cannot recover the earlier run's files beside {folder}: {exc.strerror}") from None


def _copy_kept(source: Path, destination: Path, keep: Callable[[str], bool]) -> None:
    """Hard-link (or copy) every entry of the old folder `keep` says to keep; links stay links."""
    for root, folders, files in os.walk(source, followlinks=False):
        relative_root = os.path.relpath(root, source)
        folders[:] = [f for f in folders if not f.startswith(LEGACY_STAGING_PREFIX)]
        for entry in folders + files:
            relative = entry if relative_root == "." else f"{relative_root}/{entry}"
            if entry in files and not keep(relative):
                continue
            here, there = Path(root, entry), destination / relative
            info = os.lstat(here)
            if stat.S_ISDIR(info.st_mode):
                there.mkdir(exist_ok=True)
                shutil.copystat(here, there, follow_symlinks=False)
            elif stat.S_ISLNK(info.st_mode):
                there.parent.mkdir(parents=True, exist_ok=True)
                os.symlink(os.readlink(here), there)
            else:
                there.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(here, there, follow_symlinks=False)
                except OSError:
                    shutil.copy2(here, there, follow_symlinks=False)
    for root, folders, _files in os.walk(destination, topdown=False):
        for entry in folders:  # a folder emptied because its files were dropped goes too; one left empty stays
            path = Path(root, entry)
            if not path.is_symlink() and not any(path.iterdir()) and _had_entries(source / path.relative_to(destination)):
                path.rmdir()


def _had_entries(old: Path) -> bool:
    try:
        return any(True for _ in old.iterdir())
    except OSError:
        return False


def replace_folder(folder: str | Path, files: dict[str, bytes], keep: Callable[[str], bool]) -> None:
    """Make `folder` hold `files` (relative path -> bytes) plus every old entry `keep` accepts, all at once."""
    folder = absolute(folder)
    _refuse_odd(folder, want_folder=True)
    if folder.parent == folder:
        raise UsageError("cannot replace the root folder")
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create {folder.parent}: {exc.strerror}") from None
    recover(folder)
    paths = {relative: relative_inside(relative, "generated file") for relative in files}
    parent, name = folder.parent, folder.name
    staging, ready, old = (parent / pattern.format(name) for pattern in (STAGING, READY, OLD))
    try:
        staging.mkdir()
        if folder.exists():
            shutil.copystat(folder, staging)
            _copy_kept(folder, staging, keep)
        written = []
        for relative, data in sorted(files.items()):
            target = staging / paths[relative]
            for ancestor in list(reversed(paths[relative].parents))[1:]:
                _refuse_odd(staging / ancestor, want_folder=True)  # a kept link must not lead out
            target.parent.mkdir(parents=True, exist_ok=True)
            _refuse_odd(target, want_folder=False)
            if target.exists():
                target.unlink()
            _write_new(target, data)
            written.append(target)
        _sync_folder(staging, written)
        os.rename(staging, ready)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise UsageError(f"cannot write {folder}: {exc.strerror}; the folder is as it was") from None
    except UsageError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        if folder.exists():
            os.rename(folder, old)
        os.rename(ready, folder)
        if old.exists():
            shutil.rmtree(old)
    except OSError as exc:
        raise UsageError(f"cannot switch {folder} to the new files: {exc.strerror}; rerun to finish") from None
