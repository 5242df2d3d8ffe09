"""The imported plan as YAML text, with comments: where each component came from (file and line), which
figures are placeholders for usage Terraform does not hold, and a commented traffic section to fill in.
And the report of the import, in words."""
from __future__ import annotations

import re

import yaml
from decimal import Decimal

from archplan.importers.build import TRAFFIC_PLACEHOLDERS, ImportResult, not_imported_kinds

_PLAIN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_./@-]*$")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


def scalar(value) -> str:
    if value is True or value is False:
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    starts_well = text[:1].isalpha() or text[:1] == "_" or bool(re.fullmatch(r"\d+(\.\d+)?[A-DF-Za-df-z][A-Za-z]*", text))
    if _PLAIN.fullmatch(text) and starts_well and text.lower() not in _RESERVED and not text.endswith(":"):
        return text
    # PyYAML's own double-quoted style escapes what YAML may not hold literally (control characters).
    return yaml.safe_dump(text, default_style='"', width=1 << 30, allow_unicode=False).removesuffix("\n...\n").strip()


def flow(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar(k)}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return scalar(value)


def _comment(text: str) -> str:
    return " ".join(text.split())


def _field(lines: list[str], indent: str, key: str, value, comment: str | None = None) -> None:
    note = f"  # placeholder: {_comment(comment)}" if comment else ""
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        lines.append(f"{indent}{scalar(key)}:{note}")
        lines += [f"{indent}  - {flow(v)}" for v in value]
    elif isinstance(value, dict) and value:
        lines.append(f"{indent}{scalar(key)}:{note}")
        for inner_key, inner in value.items():
            _field(lines, indent + "  ", inner_key, inner)
    else:
        lines.append(f"{indent}{scalar(key)}: {flow(value)}{note}")


def render_plan(result: ImportResult) -> str:
    lines = [
        f"# Imported by `archplan import` from {_comment(result.source)} ({result.resources_read} resources read).",
        "# Terraform holds what is provisioned (sizes, replicas, scaling bounds, settings), not how it is used:",
        "# every figure marked `placeholder` is one to replace with your own. Until then the plan prices what",
        "# Terraform fixes and nothing for usage. `archplan import` prints what it read and what it left out.",
        "project:",
    ]
    for key, value in result.project.items():
        _field(lines, "  ", key, value)
    lines += ["", "# No traffic is invented. Uncomment and fill these in (or daily_active_users with",
              "# requests_per_user_per_day), set each component's traffic_share, and delete each figure you give",
              "# from missing_usage below.", "traffic:"]
    for key, why in TRAFFIC_PLACEHOLDERS.items():
        lines.append(f"  # {key}:   # {_comment(why)}")
    lines += ["  # daily_active_users:", "  # requests_per_user_per_day:", "  # peak_to_average: 3", "",
              "# Usage Terraform does not hold. Until an entry is removed, `archplan cost` warns that its lines",
              "# are priced as none (traffic) or at the placeholder written (components).", "missing_usage:"]
    lines += [f"  - {scalar(entry)}" for entry in missing_usage(result)]
    lines += ["", "components:"]
    edges: dict[str, list] = {}
    for edge in result.edges:
        edges.setdefault(edge.source, []).append(edge)
    for mapped in result.components:
        where = f"{mapped.source.file}:{mapped.source.line}" if mapped.source.line else mapped.source.file
        lines.append(f"  # {_comment(mapped.source.address)}" + (f" ({where})" if where else ""))
        lines.append(f"  {scalar(mapped.name)}:")
        lines.append(f"    kind: {mapped.kind}")
        for key, value in mapped.fields.items():
            _field(lines, "    ", key, value, mapped.placeholders.get(key))
        mine = edges.get(mapped.name, [])
        if mine:
            lines.append("    depends_on:")
            for edge in mine:
                lines.append(f"      - {flow({'name': edge.target, 'protocol': edge.protocol})}" if edge.protocol
                             else f"      - {scalar(edge.target)}")
    return "\n".join(lines) + "\n"


def missing_usage(result: ImportResult) -> list[str]:
    """The plan's missing_usage: the traffic keys, then each component's usage fields written as placeholders."""
    from archplan.importers.google import mappers

    found = [f"traffic.{key}" for key in TRAFFIC_PLACEHOLDERS]
    for mapped in result.components:
        usage = getattr(mappers().get(mapped.kind), "USAGE", {})
        found += [f"components.{mapped.name}.{key}" for key, (placeholder, _what) in usage.items()
                  if placeholder is not None and key.split(".")[0].removesuffix("[]") in mapped.fields
                  or key in getattr(mappers().get(mapped.kind), "ASK", ())]
        if mapped.kind == "external" and "items" in mapped.fields:
            found.append(f"components.{mapped.name}.items")  # --keep-unknown: a price to state
    return found


def render_report(result: ImportResult, output: str) -> str:
    kinds: dict[str, int] = {}
    for mapped in result.components:
        kinds[mapped.kind] = kinds.get(mapped.kind, 0) + 1
    out = [f"{output}: {len(result.components)} components from {result.resources_read} resources "
           f"({', '.join(f'{n} {k}' for k, n in kinds.items())}), {len(result.edges)} depends_on edges"]
    inferred = [e for e in result.edges if e.protocol]
    if inferred:
        out.append("Protocols inferred: " + ", ".join(f"{e.source} -> {e.target} {e.protocol}" for e in inferred))
    out.append("Usage to fill in (no price driver in Terraform; listed in the plan's missing_usage, commented out "
               "in its traffic section, and named by every `cost` until given): "
               + ", ".join(entry.removeprefix("components.") for entry in missing_usage(result)))
    out.append("Kinds not imported (no mapper reads them from Terraform; add them by hand if the system uses "
               "them): " + ", ".join(not_imported_kinds()))
    if result.unknown:
        out.append(f"Resource types archplan has no kind for ({len(result.unknown)}"
                   + ("; kept as external components with a placeholder price" if any(
                       m.kind == "external" for m in result.components) else "; --keep-unknown keeps them as "
                                                                           "external components") + "):")
        out += [f"  {r.address} ({r.file}:{r.line})" if r.line else f"  {r.address}" for r in result.unknown]
    if result.other_providers:
        out.append("Resources of other providers, left out: " + ", ".join(r.address for r in result.other_providers))
    for edge, why in result.dropped_edges:
        out.append(f"Edge left out: {edge.source} -> {edge.target}: {why}")
    out += [f"Note: {note}" for note in result.notes]
    return "\n".join(out) + "\n"
