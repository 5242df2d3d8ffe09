"""The generators' own data tables (API value rules, provider locks): YAML read with libyaml's C loader when
PyYAML has it (the same values as the pure-Python loader, a tenth of the time)."""
from __future__ import annotations

from pathlib import Path

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 - a safe loader
