"""The worked examples: each loads, prices, matches its golden JSON, and agrees with its document's
cost claims within 10% or says why not (and examples/README.md lists the disagreement)."""
from __future__ import annotations

import json
import os
from decimal import Decimal

import jsonschema
import pytest

from archplan import catalog
from archplan.analysis.cost import cost_report
from archplan.plan import resolve
from archplan.render import cost_json
from archplan.spec.load import load_spec
from archplan.spec.schema import plan_schema
from tests.conftest import EXAMPLES, ROOT

SEEDS = {
    "anwesha": "000_4b963fb83c4c3b51.txt",
    "cotton-erp": "001_42a64872cf6b7b20.txt",
    "ecommerce-chatbot": "002_b0d894b41d44ed0c.txt",
    "event-platform": "003_232ddccd270cfe66.txt",
    "drivopay": "004_f20211ad3eb49ebf.txt",
}
ALL = sorted(SEEDS) + ["starter"]
GOLDEN = ROOT / "tests" / "golden" / "cost"


def report_for(name: str, environment: str | None = None):
    spec = load_spec(EXAMPLES / f"{name}.yaml", environment, catalog.supported_regions())
    return spec, cost_report(resolve(spec))


def claimed_vs_computed(spec, report, claim) -> tuple[Decimal, Decimal]:
    usd = report.total_usd if claim.components is None else report.components_usd(claim.components)
    if claim.kind == "annual_cost":
        usd *= 12
    computed = usd if claim.currency == "USD" else usd * report.usd_inr
    return claim.value, computed


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_example_names_its_seed(name):
    text = (EXAMPLES / f"{name}.yaml").read_text()
    assert f"Seed: ../shared/seeds/{SEEDS[name]}" in text.split("\ncomponents:")[0]


@pytest.mark.parametrize("name", ALL)
def test_example_matches_the_published_schema(name):
    import yaml

    document = yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text())
    jsonschema.validate(document, plan_schema())


@pytest.mark.parametrize("name", ALL)
def test_cost_json_matches_golden(name):
    _spec, report = report_for(name)
    rendered = cost_json.render(report).replace(str(EXAMPLES / f"{name}.yaml"), f"examples/{name}.yaml")
    golden = GOLDEN / f"{name}.json"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(rendered)
    assert json.loads(rendered) == json.loads(golden.read_text()), f"regenerate with UPDATE_GOLDEN=1 and review {golden}"


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_cost_claims_agree_within_10_percent_or_explain_why(name):
    spec, report = report_for(name)
    cost_claims = [c for c in spec.claims if c.kind in ("monthly_cost", "annual_cost")]
    assert any(c.components is None for c in cost_claims), "the document's total must be a claim"
    disagreements = (EXAMPLES / "README.md").read_text()
    for claim in cost_claims:
        claim_report = report if claim.environment is None else report_for(name, claim.environment)[1]
        stated, computed = claimed_vs_computed(spec, claim_report, claim)
        off = abs(computed - stated) / stated if stated else Decimal(1)
        if off > Decimal("0.10"):
            assert claim.note, f"{name} claim {claim.id}: {stated} vs {computed:.2f} differs {off:.0%} with no note"
            assert claim.id in disagreements, f"examples/README.md does not list {name} claim {claim.id}"


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_every_component_is_described_and_connected(name):
    spec, _report = report_for(name)
    targets = {d.name for c in spec.components.values() for d in c.depends_on}
    for component_name, component in spec.components.items():
        assert component.description, f"{name}: {component_name} has no description"
    connected = targets | {n for n, c in spec.components.items() if c.depends_on}
    assert len(connected) >= len(spec.components) // 2
