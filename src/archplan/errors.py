"""Errors a user can act on. Each renders as one line naming the file, line and key."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class SpecError(Exception):
    """The plan is wrong: exit code 1."""

    message: str
    file: str = ""
    line: int | None = None
    key: str = ""

    def __post_init__(self) -> None:
        self.message = " ".join(str(self.message).split())  # always one line
        self.key = " ".join(str(self.key).split())

    def __str__(self) -> str:
        where = self.file or "<spec>"
        if self.line is not None:
            where += f":{self.line}"
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class CatalogError(Exception):
    """The catalog lacks a fact the plan needs (a bug or a gap in archplan's data): exit code 1."""


class UsageError(Exception):
    """The command line is wrong: exit code 2."""
