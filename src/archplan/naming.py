"""How a plan's names become the names of generated things: GCP resource names, Terraform identifiers,
environment-variable keys. One rule each, below every layer that needs it: the spec refuses names that
would collide once generated, and the generators build them, so neither reaches into the other."""
from __future__ import annotations

import re
from functools import lru_cache


# What every generated name starts with (the project's name, or name-environment, or --prefix): 1-24 lowercase
# letters, digits or hyphens, so <prefix>-<name> fits the services' length limits; the Terraform variable checks it.
PREFIX_PATTERN = re.compile(r"^[a-z]([a-z0-9-]{0,22}[a-z0-9])?$")


@lru_cache(maxsize=65536)  # remembered: the generators ask for the same few names thousands of times
def slug(name: str) -> str:
    """A component name as GCP resource names want it: lowercase letters, digits, hyphens."""
    return re.sub(r"-+", "-", re.sub(r"[^a-z0-9-]", "-", name.lower())).strip("-")


@lru_cache(maxsize=65536)
def ident(name: str) -> str:
    """A name as a Terraform identifier: letters, digits, underscores."""
    text = re.sub(r"[^a-z0-9_]", "_", name.lower())
    return text if text[0].isalpha() else f"c_{text}"


def env_key(name: str) -> str:
    """A name as an environment-variable key: upper-case letters, digits, underscores."""
    return re.sub(r"[^A-Z0-9_]", "_", name.upper())
