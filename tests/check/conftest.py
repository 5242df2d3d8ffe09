from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from archplan import catalog
from archplan.check import run_checks
from archplan.plan import resolve
from archplan.spec.load import load_spec


def checked(tmp_path: Path, components: dict, project: dict | None = None, **sections):
    document = {"project": {"name": "t", "region": "asia-south1", **(project or {})}, "components": components}
    document.update(sections)
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return run_checks(resolve(load_spec(path, None, catalog.supported_regions())))


@pytest.fixture
def check(tmp_path):
    def run(components, project=None, **sections):
        return checked(tmp_path, components, project, **sections)
    return run


def ids(report, rule_id: str) -> list:
    return [f for f in report.findings if f.id == rule_id]
