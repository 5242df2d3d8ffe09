"""Helpers to price small plans written inline in tests."""
from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from archplan import catalog
from archplan.analysis.cost import CostReport, cost_report
from archplan.plan import resolve
from archplan.spec.load import load_spec

# Reports warn about catalog figures older than 180 days: fix "today" so that output is reproducible.
os.environ.setdefault("ARCHPLAN_TODAY", "2026-12-01")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def write_plan(tmp_path: Path, components: dict, region: str = "us-central1", traffic: dict | None = None,
               **project) -> Path:
    document = {"project": {"name": "t", "region": region, "free_tiers": False, **project},
                "components": components}
    if traffic is not None:
        document["traffic"] = traffic
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def price(tmp_path: Path, components: dict, **kwargs) -> CostReport:
    path = write_plan(tmp_path, components, **kwargs)
    return cost_report(resolve(load_spec(path, None, catalog.supported_regions())))


def items(report: CostReport, component: str | None = None) -> dict[str, Decimal]:
    """Monthly USD by SKU (summed when a SKU repeats) for one component or the whole report."""
    out: dict[str, Decimal] = {}
    for item in report.line_items:
        if component is None or item.component == component:
            out[item.sku] = out.get(item.sku, Decimal(0)) + item.monthly_usd
    return out


def close(actual: Decimal, expected: float | Decimal, places: int = 6) -> bool:
    return abs(Decimal(actual) - Decimal(str(expected))) < Decimal(10) ** -places


@pytest.fixture
def priced(tmp_path):
    def run(components: dict, **kwargs) -> CostReport:
        return price(tmp_path, components, **kwargs)
    return run
