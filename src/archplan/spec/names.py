"""Names the plan gives things (components, environments, topics, databases, ...) become file names, Terraform
addresses and GCP resource names, which are lowercase with hyphens. Two names that differ only in case, in
`_` against `-`, or in surrounding spaces would become one generated name, so they are refused here, where
the line of each is known."""
from __future__ import annotations

import re

from archplan.errors import SpecError
from archplan.spec.yamlpos import Positions, dotted

MAX_COMPONENTS = 20_000  # docs/limits.md
MAX_NAME_CHARS = 50
NAME = re.compile(rf"[A-Za-z][A-Za-z0-9_-]{{0,{MAX_NAME_CHARS - 1}}}")
NAME_RULE = f"1-{MAX_NAME_CHARS} ASCII letters, digits, - and _, starting with a letter"
NAME_PATTERN = "^" + NAME.pattern + "$"


def normal(name: str) -> str:
    """The form every generated name takes: lowercase, `_` as `-`, no repeated or trailing hyphens."""
    return re.sub(r"-+", "-", name.lower().replace("_", "-")).strip("-")


def unique_names(names: list[str], what: str) -> list[str]:
    """For field validators: the names, or a ValueError naming the first pair that would collide."""
    seen: dict[str, str] = {}
    for name in names:
        key = normal(name)
        if key in seen:
            same = "are the same name" if seen[key] == name else "become the same generated name"
            raise ValueError(f"{what} {seen[key]!r} and {name!r} {same}")
        seen[key] = name
    return names


def _check(names, section: tuple, what: str, file: str, positions: Positions) -> None:
    seen: dict[str, str] = {}
    for name in names:
        path = section + (name,)
        if not isinstance(name, str) or not NAME.fullmatch(name):
            raise SpecError(f"{what} names are {NAME_RULE}", file, positions.line_of(path), dotted(path))
        key = normal(name)
        if key in seen:
            first = positions.line_of(section + (seen[key],))
            raise SpecError(f"{what} name collides with {seen[key]!r} (line {first}): generated names are "
                            "lowercase with - for _", file, positions.line_of(path), dotted(path))
        seen[key] = name


def check_component_names(components: dict, file: str, positions: Positions) -> None:
    _check(list(components), ("components",), "component", file, positions)


def check_environment_names(environments: dict, file: str, positions: Positions) -> None:
    _check(list(environments), ("project", "environments"), "environment", file, positions)


def ident(name: str) -> str:
    """A name as a Terraform identifier: letters, digits, underscores."""
    text = re.sub(r"[^a-z0-9_]", "_", name.lower())
    return text if text[0].isalpha() else f"c_{text}"


def check_generated_names(spec) -> None:
    """Names that must be unique across components: Pub/Sub topics share the project's namespace."""
    addresses: dict[str, tuple[str, int]] = {}
    for name, component in spec.components.items():
        for index, topic in enumerate(getattr(component, "topics", None) or []) if component.kind == "pubsub" else ():
            address = f"{ident(name)}_{ident(topic)}"  # the Terraform address of the topic
            if address in addresses and addresses[address][0] != name:
                path = ("components", name, "topics", index)
                other = addresses[address][0]
                raise SpecError(f"component {name!r} with topic {topic!r} and component {other!r} with topic "
                                f"{spec.components[other].topics[addresses[address][1]]!r} both become Terraform "
                                f"google_pubsub_topic.{address}; rename one", spec.file, spec.line_of(path),
                                dotted(spec.positions.written_at(path)))
            addresses.setdefault(address, (name, index))
    topics: dict[str, tuple[str, int]] = {}
    for name, component in spec.components.items():
        for index, topic in enumerate(getattr(component, "topics", None) or []) if component.kind == "pubsub" else ():
            key = normal(topic)
            if key in topics and topics[key][0] != name:
                other, other_index = topics[key]
                path = ("components", name, "topics", index)
                raise SpecError(f"topic {topic!r} has the same generated name as {other}'s topic "
                                f"{spec.components[other].topics[other_index]!r}", spec.file,
                                spec.line_of(path), dotted(spec.positions.written_at(path)))
            topics.setdefault(key, (name, index))
