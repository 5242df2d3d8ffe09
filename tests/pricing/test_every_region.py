"""Every registered kind priced in every supported region: no crash, no missing figure, no silent zero.

The components come from the kind registry, so a kind added later is covered as soon as it exists: its
component is the first of that kind in the example plans, or the `EXAMPLE` dict of its module. A kind
with neither fails here. A service may be unpriced in a region only where its catalog says so
(`unpriced_regions`), and then the error must name the regions where it is sold.
"""
from __future__ import annotations

import copy
from decimal import Decimal
from functools import cache

import pytest
import yaml

from archplan import catalog
from archplan import components as registry
from archplan.analysis.cost import cost_report
from archplan.errors import SpecError
from archplan.plan import resolve
from archplan.spec.load import load_spec
from tests.conftest import EXAMPLES


@cache
def plans_covering_every_kind() -> tuple[list[dict], list[str]]:
    """The example plans (whole, so components that name each other stay valid), one plan of the kinds'
    own EXAMPLEs, and the kinds that neither covers."""
    plans, covered = [], set()
    for path in sorted(EXAMPLES.glob("*.yaml")):
        document = yaml.safe_load(path.read_text())
        document["project"].pop("environments", None)
        document["project"].pop("default_environment", None)
        document.pop("claims", None)
        plans.append(document)
        covered |= {component["kind"] for component in document["components"].values()}
    own = {}
    for kind in registry.kinds():
        example = getattr(registry.kind_module(kind), "EXAMPLE", None)
        if example is not None:
            own[f"example-{kind.replace('_', '-')}"] = copy.deepcopy(example)
            covered.add(kind)
    if own:
        plans.append({"project": {"name": "every-kind"}, "traffic": {"requests_per_month": 1_000_000,
                      "avg_request_kib": 2, "avg_response_kib": 20}, "components": own})
    return plans, sorted(set(registry.kinds()) - covered)


def in_region(document: dict, region: str) -> dict:
    document = copy.deepcopy(document)
    document["project"]["region"] = region
    document["project"]["free_tiers"] = False  # a free tier must not hide a missing figure
    for component in document["components"].values():
        if component.get("location_type", "region") == "region" and "location" in component \
                and component["location"] in catalog.supported_regions():
            component["location"] = region  # a regional resource follows the plan's region
        offered = registry.kind_module(component["kind"]).Spec.deployable_regions()
        if offered is not None and region not in offered:  # deployed in a few regions only (API Gateway): the
            component["region"] = offered[0]  # first of them, as a user must
    return document


def declared_unpriced(message: str, region: str) -> bool:
    """The error names a service whose catalog declares it unpriced in the region (or a machine type the
    price data does not list there), and where it is sold."""
    if f"is not offered in {region}; it is sold in: " in message:
        return True
    for name in catalog.services():
        book = catalog.service(name)
        if region in book.unpriced_regions and f"{book.display_name} " in message:
            return "is sold in:" in message
    return False


def test_every_kind_has_a_component_to_price():
    _plans, missing = plans_covering_every_kind()
    assert not missing, f"kinds with no component in examples/*.yaml and no EXAMPLE in their module: {missing}"


@pytest.mark.parametrize("region", catalog.supported_regions())
def test_every_kind_prices_in_every_region(tmp_path, region):
    problems = []
    plans, _missing = plans_covering_every_kind()
    for number, plan in enumerate(plans):
        path = tmp_path / f"plan{number}.yaml"
        path.write_text(yaml.safe_dump(in_region(plan, region), sort_keys=False))
        try:
            report = cost_report(resolve(load_spec(path, None, catalog.supported_regions())))
        except SpecError as error:
            if not declared_unpriced(str(error), region):
                problems.append(f"{plan['project']['name']}: {error}")
            continue
        for item in report.line_items:
            if item.billable_quantity > 0 and item.monthly_usd == 0 and item.unit_price_usd != 0:
                problems.append(f"{item.component}: {item.sku}: billable {item.billable_quantity} costs 0")
            if item.billable_quantity > 0 and item.unit_price_usd == 0 and item.kind != "external":
                problems.append(f"{item.component}: {item.sku}: unit price 0 (silent zero)")
            if not item.source:
                problems.append(f"{item.component}: {item.sku}: no source")
        for name, total in report.by_component().items():
            kind = dict(report.component_order)[name]
            if total <= 0 and kind != "external" and any(i.quantity > 0 for i in report.line_items if i.component == name):
                problems.append(f"{name} ({kind}): costs {total} in {region}")
    assert not problems, "\n".join(problems)
