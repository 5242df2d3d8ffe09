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
    schema = document.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "archplan plan (v1)"
    schema["additionalProperties"] = False
    return schema
