"""The document leads with the plan's own currency: a EUR plan shows euros and dollars (not dollars and
rupees), its budget keeps its own sign, and the rates it names are the ones its figures use. Expected
figures are the cost report's, converted by hand at the catalog's dated rate."""
from decimal import Decimal

from archplan import catalog
from archplan.analysis.cost import cost_report
from archplan.assess import load
from archplan.doc.content import budget_line, build
from archplan.doc.graph import build_graph
from archplan.doc.markdown import render as markdown
from archplan.plan import resolve

PLAN = """\
project:
  name: eu-shop
  region: europe-west1
  currency: EUR
  monthly_budget: {amount: 1500, currency: EUR}
components:
  cache:
    kind: memorystore_redis
    tier: standard
    capacity_gb: 5
"""


def _document(tmp_path, text=PLAN):
    path = tmp_path / "plan.yaml"
    path.write_text(text)
    plan = resolve(load(str(path)))
    return plan, cost_report(plan), markdown(build(plan, build_graph(plan), "plan.yaml"), "architecture.svg", "")


def test_a_euro_plan_is_shown_in_euros_and_dollars(tmp_path):
    plan, report, text = _document(tmp_path)
    eur = catalog.exchange_rate("EUR").per_usd
    # Redis Standard 5 GB in europe-west1 (capacity tier M2, $0.061 per GB-hour): 5 x 730 x 0.061 = $222.65;
    # at the catalog's 0.8617 EUR per USD, EUR 191.86
    assert eur == Decimal("0.8617")
    assert "**Total per month: €191.86 ($222.65)**" in text
    assert "| Category | EUR | USD |" in text
    assert "₹" not in text.split("## Assumptions")[0]
    assert f"USD to EUR at {eur}" in text


def test_the_budget_keeps_its_own_currency(tmp_path):
    plan, report, _ = _document(tmp_path)
    assert budget_line(report).startswith("€1,500.00 a month")
    assert report.budget_usd == Decimal(1500) / catalog.exchange_rate("EUR").per_usd


def test_the_rupee_rate_is_not_an_assumption_of_a_euro_report(tmp_path):
    _, report, _ = _document(tmp_path)
    assert not [line for line in report.assumptions if line.startswith("USD to INR")]
    assert any(line.startswith("USD to EUR") for line in report.assumptions)
    _, rupees, _ = _document(tmp_path, PLAN.replace("currency: EUR}", "currency: INR}"))
    assert any(line.startswith("USD to INR") for line in rupees.assumptions)  # the budget is in rupees
