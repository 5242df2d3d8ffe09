"""Errors a user can act on. Each renders as one line naming the file, line and key."""
from __future__ import annotations

import re
from dataclasses import dataclass

MAX_LINE_CHARS = 290  # with "error: " in front, a message stays under 300 characters
MAX_KEY_CHARS = 100


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 3, 0)] + "..."


@dataclass
class SpecError(Exception):
    """The plan is wrong: exit code 1."""

    message: str
    file: str = ""
    line: int | None = None
    key: str = ""

    def __post_init__(self) -> None:
        self.message = " ".join(str(self.message).split())  # always one line
        self.key = _clip(" ".join(str(self.key).split()), MAX_KEY_CHARS)

    def __str__(self) -> str:
        where = " ".join((self.file or "<spec>").split())
        if self.line is not None:
            where += f":{self.line}"
        lead = f"{where}: {self.key}: " if self.key else f"{where}: "
        room = max(MAX_LINE_CHARS - len(lead), 60)
        message = self.message
        while len(message) > room:  # asides in parentheses go first (innermost first), then the tail
            shorter = re.sub(r" ?\([^()]*\)", "", message, count=1)
            if shorter == message:
                break
            message = shorter
        return lead + _clip(message, room)


class CatalogError(Exception):
    """The catalog lacks a fact the plan needs (a bug or a gap in archplan's data): exit code 1."""


class UsageError(Exception):
    """The command line is wrong: exit code 2."""
