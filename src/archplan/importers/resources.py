"""What both readers (Terraform HCL and `terraform show -json`) produce: resources with their values and the
resources they refer to. The mappers from resource types to archplan components read only this."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from archplan.importers.hcl.expressions import unknown


@dataclass
class TfResource:
    address: str  # e.g. module.sql.google_sql_database_instance.primary or google_x.y["a"]
    type: str
    name: str
    values: dict
    references: set[str] = field(default_factory=set)  # base addresses of resources it refers to
    file: str = ""
    line: int | None = None
    key_references: dict[str, set[str]] = field(default_factory=dict)  # top-level argument or block -> refs

    def refs(self, key: str) -> set[str]:
        return self.key_references.get(key, set())

    @property
    def base_address(self) -> str:
        return base_address(self.address)

    def _at(self, path):
        value = self.values
        for key in path:
            if isinstance(value, list) and isinstance(key, str):
                value = value[0] if value else None
            if isinstance(value, dict):
                value = value.get(key)
            elif isinstance(value, list) and isinstance(key, int):
                value = value[key] if len(value) > key else None
            else:
                return None
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict) and path and \
                not isinstance(path[-1], int):
            value = value[0]
        return value

    def get(self, *path, default=None):
        """A nested value by keys and list indexes; blocks (lists of one dict) are entered transparently.
        Unknown values (known only after apply) and missing keys give `default`."""
        value = self._at(path)
        return default if value is None or unknown(value) else value

    def given(self, *path) -> bool:
        """Whether the value is set, known or known only after apply (a connector's id), not null or missing."""
        return self._at(path) is not None

    def blocks(self, *path) -> list[dict]:
        """A repeated nested block (e.g. settings.database_flags) as a list of dicts."""
        value = self.values
        for key in path:
            if isinstance(value, list):
                value = value[0] if value else None
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, dict):
            return [value]
        return [item for item in value or [] if isinstance(item, dict)]


_INDEX = re.compile(r"\[[^\]]*\]")


def base_address(address: str) -> str:
    """google_x.y["a"] -> google_x.y; module.m[0].google_x.y[1] -> module.m.google_x.y"""
    return _INDEX.sub("", address)


class ImportProblem(Exception):
    """The input cannot be imported: one line, `file:line: what`."""

    def __init__(self, message: str, file: str = "", line: int | None = None, key: str = ""):
        self.message = " ".join(str(message).split())
        self.file = file
        self.line = line
        self.key = key  # the Terraform argument at fault (count, for_each...), where there is one
        super().__init__(self.message)

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        message = f"{self.key}: {self.message}" if self.key else self.message
        return f"{where}: {message}" if where else message
