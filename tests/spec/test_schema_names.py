"""The plan schema an editor reads: each kind's definition named and titled by its kind, every reference
resolving, and the bundled plans valid against it."""
from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from archplan import components as registry
from archplan.spec.schema import plan_schema

ROOT = Path(__file__).resolve().parents[2]
PLANS = sorted((ROOT / "examples").glob("*.yaml")) + sorted((ROOT / "tests" / "trial" / "plans").glob("*.yaml"))


@pytest.fixture(scope="module")
def schema():
    return plan_schema()


def test_each_kind_is_defined_under_its_own_name(schema):
    for kind in registry.kinds():
        assert schema["$defs"][kind]["title"] == f"{kind} component"
    text = json.dumps(schema)
    assert "archplan__components" not in text  # pydantic's module-path names, all titled "Spec"
    referenced = set(re.findall(r'"#/\$defs/([^"]+)"', text))
    assert referenced <= set(schema["$defs"])  # every $ref and discriminator mapping resolves


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_the_bundled_plans_are_valid_against_the_schema(schema, path):
    jsonschema.Draft202012Validator(schema).validate(yaml.safe_load(path.read_text()))
