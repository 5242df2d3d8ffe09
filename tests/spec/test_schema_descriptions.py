"""Every key of the published plan schema says what it is: editors show the description on hover, and a user
writing a first plan reads it. A new field without `description=` fails here."""
from __future__ import annotations

import json
import subprocess
import sys

from archplan.spec.schema import plan_schema


def undescribed(schema: dict) -> list[str]:
    """`<definition>.<key>` for each property with no description (a component's constant `kind` excepted: the
    discriminator names itself), the top level as `plan.<key>`."""
    missing = []
    for owner, definition in [("plan", schema), *schema.get("$defs", {}).items()]:
        for key, prop in definition.get("properties", {}).items():
            if key == "kind" and "const" in prop:
                continue
            if not (prop.get("description") or "").strip():
                missing.append(f"{owner}.{key}")
    return missing


def test_every_property_of_the_schema_has_a_description():
    schema = plan_schema()
    assert len(schema["$defs"]) > 50 and len(schema["properties"]) >= 9  # the walk sees the whole schema
    assert undescribed(schema) == []


def test_the_check_finds_an_undescribed_property():
    schema = plan_schema()
    schema["$defs"]["Slo"]["properties"]["rto_minutes"].pop("description")
    schema["properties"]["traffic"]["description"] = " "
    kind = schema["$defs"]["Claim"]["properties"]["kind"]
    kind.pop("description")
    assert "const" not in kind  # Claim.kind is a choice of kinds, not a component's constant: it is described
    assert undescribed(schema) == ["plan.traffic", "Claim.kind", "Slo.rto_minutes"]


def test_the_schema_covers_every_key_the_loader_accepts():
    from archplan.spec.model import SpecDocument

    assert set(plan_schema()["properties"]) == set(SpecDocument.model_fields)


def test_archplan_schema_prints_the_same_schema_each_run():
    runs = [subprocess.run([sys.executable, "-m", "archplan", "schema"], capture_output=True, text=True, check=True)
            .stdout for _ in range(2)]
    assert runs[0] == runs[1]
    assert json.loads(runs[0]) == json.loads(json.dumps(plan_schema()))
