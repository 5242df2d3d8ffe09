"""The JSON Schema of a plan file, built from the same models the loader validates with."""
from __future__ import annotations

from typing import Annotated, Union

from typing import Any, Literal

from pydantic import Field, create_model

from archplan import components as registry
from archplan.spec.model import Checks, Claim, Flow, Phase, Project, Slo, SpecDocument, Traffic


def plan_schema() -> dict:
    specs = tuple(registry.kind_module(kind).Spec for kind in registry.kinds())
    component = Annotated[Union[specs], Field(discriminator="kind")]  # type: ignore[valid-type]
    sections = {
        "project": (Project, ...),
        "traffic": (Traffic | None, None),
        "slo": (Slo | None, None),
        "components": (dict[str, component], ...),
        "flows": (dict[str, Flow], {}),
        "claims": (list[Claim], []),
        "checks": (Checks, None),
        "phases": (list[Phase], []),
        "vary": (dict[str, dict[str, list[Any] | Literal["auto"]]], {}),
        "missing_usage": (list[str], []),
    }
    document = create_model(
        "ArchplanPlan",
        __doc__="An archplan plan: one Google Cloud architecture, to price, check, generate and document.",
        **{key: (kind, Field(default, description=SpecDocument.model_fields[key].description))
           for key, (kind, default) in sections.items()},
    )
    document.model_config["extra"] = "forbid"
    schema = _named_by_kind(document.model_json_schema(mode="validation"))
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "archplan plan (v1)"
    schema["additionalProperties"] = False
    return schema


def _named_by_kind(schema: dict) -> dict:
    """Each kind's definition named and titled by its kind (`cloud_run`, "cloud_run component"), not by the
    module path pydantic gives every class called Spec (`archplan__components__cloud_run__Spec`, "Spec")."""
    defs = schema.get("$defs", {})
    renamed = {}
    for name in list(defs):
        parts = name.split("__")
        if len(parts) == 4 and parts[:2] == ["archplan", "components"] and parts[3] == "Spec" \
                and parts[2] not in defs:
            renamed[name] = parts[2]
    if not renamed:
        return schema

    def walk(node):  # every reference: $ref and the discriminator's mapping
        if isinstance(node, dict):
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        if isinstance(node, str) and node.startswith("#/$defs/") and node[8:] in renamed:
            return f"#/$defs/{renamed[node[8:]]}"
        return node

    schema = walk(schema)
    schema["$defs"] = {renamed.get(name, name): body for name, body in schema["$defs"].items()}
    for old, kind in renamed.items():
        schema["$defs"][kind]["title"] = f"{kind} component"
    return schema
