"""The indentation a plan file is written with, so that a round-trip YAML dump (ruamel.yaml) of an edited plan
changes only what was edited, not the layout of every list."""
from __future__ import annotations


def _mapping_indent(text: str) -> int:
    """Spaces before the first key nested under a top-level key (2 when the file has none)."""
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        if line.startswith(" ") and stripped and not stripped.startswith(("#", "-")) and ":" in stripped:
            return len(line) - len(stripped)
    return 2


def guess(text: str) -> tuple[int, int, int]:
    """(mapping indent, sequence indent, dash offset) as ruamel.yaml's `YAML.indent` takes them."""
    from ruamel.yaml.util import load_yaml_guess_indent

    _guess, sequence_indent, dash_offset = load_yaml_guess_indent(text)
    mapping_indent = _mapping_indent(text)
    return mapping_indent, sequence_indent or mapping_indent, dash_offset or 0
