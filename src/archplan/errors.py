"""Errors a user can act on. Each renders as one line naming the file, line and key."""
from __future__ import annotations

import re
from dataclasses import dataclass

MAX_LINE_CHARS = 290  # with "error: " in front, a message stays under 300 characters
MAX_KEY_CHARS = 100
MAX_REPORTED_ERRORS = 20  # one plan's errors shown at once; the rest are counted on one more line


MAX_QUOTED_CHARS = 80  # a value the user gave, quoted in a message, is shown at most this long
MAX_COMMAND_LINE_CHARS = 600  # an error about the command line or the catalog, before any file's name


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 3, 0)] + "..."


_QUOTED = re.compile("'([^'\\n]{%d,})'|\"([^\"\\n]{%d,})\"" % (MAX_QUOTED_CHARS + 1, MAX_QUOTED_CHARS + 1))


def shortened(message) -> str:
    """An error message as one line of bounded length: each quoted value past MAX_QUOTED_CHARS clipped (a
    100,000-character --region made a 100 KB line), then the whole line."""
    text = " ".join(str(message).split())

    def clip(match: re.Match) -> str:
        quote = "'" if match.group(1) is not None else '"'
        return quote + _clip(match.group(1) or match.group(2), MAX_QUOTED_CHARS) + quote

    return _clip(_QUOTED.sub(clip, text), MAX_COMMAND_LINE_CHARS)


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
        return self.shown()

    def shown(self, reserve: int = 0) -> str:
        """The line, its message shortened to leave `reserve` characters of MAX_LINE_CHARS for a tail."""
        where = " ".join((self.file or "<spec>").split())
        if self.line is not None:
            where += f":{self.line}"
        lead = f"{where}: {self.key}: " if self.key else f"{where}: "
        room = max(MAX_LINE_CHARS - reserve - len(lead), 60)
        message = self.message
        while len(message) > room:  # asides in parentheses go first (innermost first), then the tail
            shorter = re.sub(r" ?\([^()]*\)", "", message, count=1)
            if shorter == message:
                break
            message = shorter
        return lead + _clip(message, room)

    def every(self) -> list["SpecError"]:
        """The errors this one stands for: itself (a SpecErrors holds several)."""
        return [self]

    def lines(self, every: bool = False) -> list[str]:
        """What the user is shown (without the leading "error: "): one line."""
        return [str(self)]


class SpecErrors(SpecError):
    """Everything wrong with one plan, found in one run, sorted by line. Shown as one line by default (the
    first error and how many more there are); `archplan validate --all-errors` shows each on its own line, at
    most MAX_REPORTED_ERRORS of them and then one line counting the rest, as `terraform validate` does. As a
    SpecError it is the first of them."""

    def __init__(self, errors: list[SpecError]):
        unique = list({str(e): e for each in errors for e in each.every()}.values())
        # An environment inherits what is wrong with a component it overrides: its copy of the component's
        # own error (the same message, under project.environments.<env>.) would come first, as the
        # environments stand above the components, and point at an override that is not the cause.
        own = {(e.key, e.message) for e in unique}
        unique = [e for e in unique if (_inherited_key(e.key), e.message) not in own]
        self.errors = sorted(unique, key=lambda e: e.line or 0)  # stable: errors on one line keep their order
        first = self.errors[0]
        super().__init__(first.message, first.file, first.line, first.key)

    def every(self) -> list[SpecError]:
        return list(self.errors)

    def lines(self, every: bool = False) -> list[str]:
        """One line: the first error and a count of the others; with `every`, a line per error (capped)."""
        if not every:
            more = len(self.errors) - 1
            tail = f" [and {more} more error{'s' if more > 1 else ''}: archplan validate --all-errors lists them]"
            return [self.errors[0].shown(len(tail)) + tail]
        shown, rest = self.errors[:MAX_REPORTED_ERRORS], self.errors[MAX_REPORTED_ERRORS:]
        lines = [str(e) for e in shown]
        if rest:
            where = " ".join((rest[0].file or "<spec>").split())
            lines.append(f"{where}:{rest[0].line or 0}: and {len(rest)} more errors, from here to line "
                         f"{rest[-1].line or 0}; fix those above and run again")
        return lines


def _inherited_key(key: str) -> str | None:
    """`components.db` for `project.environments.staging.components.db` (or a phase's); None otherwise."""
    found = re.match(r"^(?:project\.environments\.[^.]+|phases\[[0-9]+\])\.(components\..+)$", key)
    return found.group(1) if found else None


def combined(errors: list[SpecError]) -> SpecError | None:
    """None for no errors, the error itself for one, a SpecErrors for several (duplicates dropped)."""
    if not errors:
        return None
    merged = SpecErrors(errors)
    return merged.errors[0] if len(merged.errors) == 1 else merged


class CatalogError(Exception):
    """The catalog lacks a fact the plan needs (a bug or a gap in archplan's data): exit code 1."""


class UsageError(Exception):
    """The command line is wrong: exit code 2."""
