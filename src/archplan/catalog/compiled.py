"""A compiled copy of each hand-written catalog file, so a run does not parse YAML an earlier run parsed.

PyYAML builds Python objects node by node, even with libyaml, and that costs about a hundred times what
unpickling the same data costs: `archplan check` reads some twenty catalog files. The first run that reads
`data/<file>.yaml` writes `data/__pycache__/<file>.yaml.pickle`: a digest of the YAML file's bytes (and of
this format's version) on the first line, then the parsed data. A run reads the copy only when the digest
matches the file as it is now, so an edited catalog file is parsed again and never read stale.

Like Python's own bytecode, the copy is written only where the folder is writable and PYTHONDONTWRITEBYTECODE
is not set; otherwise the file is parsed each time, with the same result. The copy is trusted as a `.pyc` is:
it sits in the package's own folder.
"""
from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import Any

FORMAT = b"archplan-catalog-1"  # change when the parse below changes: every copy is then rebuilt
FOLDER = "__pycache__"


def digest(source: bytes) -> bytes:
    return hashlib.blake2b(FORMAT + source, digest_size=16).hexdigest().encode("ascii")


def copy_path(path: Path) -> Path:
    return path.parent / FOLDER / f"{path.name}.pickle"


def parse_yaml(source: bytes) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(source.decode("utf-8"), Loader=loader)


def load_yaml(path: Path) -> Any:
    """The YAML file's data: from its compiled copy when that is current, else parsed (and the copy written)."""
    import pickle

    source = path.read_bytes()
    key = digest(source)
    copy = copy_path(path)
    try:
        stored = copy.read_bytes()
    except OSError:
        stored = b""
    head, _, body = stored.partition(b"\n")
    if head == key:
        return pickle.loads(body)
    data = parse_yaml(source)
    if not sys.dont_write_bytecode:
        _write(copy, key + b"\n" + pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    return data


def _write(copy: Path, content: bytes) -> None:
    """Write atomically (a concurrent run reads the old copy or the new, never half of one); a folder that
    cannot be written to only means the next run parses the YAML again."""
    temporary = copy.with_name(f"{copy.name}.{os.getpid()}.tmp")
    try:
        copy.parent.mkdir(exist_ok=True)
        temporary.write_bytes(content)
        os.replace(temporary, copy)
    except OSError:
        try:
            temporary.unlink()
        except OSError:
            pass
