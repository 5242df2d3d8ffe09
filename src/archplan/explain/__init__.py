"""`archplan explain PLAN TARGET`: where a figure comes from. TARGET is a component name, a finding id
(SEC-001, CAP-005...) or a catalog SKU the plan uses. This package gathers the figures from the analyses
(cost report, check report, catalog) into an Explanation; render/explain_text.py puts it in words."""
from __future__ import annotations

from dataclasses import dataclass, field

from archplan.errors import SpecError


@dataclass
class Explanation:
    target: str
    what: str  # component | finding | sku
    plan_file: str
    region: str
    currency: str  # the currency shown beside USD (the plan's, or INR for a USD or INR plan, as `cost` does)
    per_usd: object  # units of `currency` per USD, the rate `cost` uses
    leads: bool = False  # whether `currency` is the report's own (a plan in EUR, INR...): totals lead with it
    component: object = None  # the resolved Component
    kind: str = ""
    line: int | None = None
    line_items: list = field(default_factory=list)  # LineItems
    assumptions: list[str] = field(default_factory=list)
    availability: object = None  # ComponentAvailability
    findings: list = field(default_factory=list)  # Findings
    rule: object = None  # the Rule of a finding id, when it is one
    prices: list = field(default_factory=list)  # catalog Price objects for a SKU
    free_tiers: list = field(default_factory=list)
    depends_on: list = field(default_factory=list)
    used_by: list[str] = field(default_factory=list)
    place: str = ""  # a component's: where it runs, in words ("in us-west1", "in the eu multi-region", "global")


def explain(spec, target: str) -> Explanation:
    from archplan.analysis.cost import cost_report
    from archplan.check import run_checks
    from archplan.plan import resolve

    plan = resolve(spec)
    report = cost_report(plan)
    checks = run_checks(plan)
    from archplan.render.cost_view import columns

    second = next(code for code in columns(report.currency) if code != "USD")
    base = dict(target=target, plan_file=spec.file, region=plan.region, currency=second,
                per_usd=report.rate_for(second), leads=report.currency == second)
    by_name = {c.name: c for c in plan.components}
    if target in by_name:
        component = by_name[target]
        availability = checks.availability.components.get(target) if checks.availability else None
        return Explanation(
            what="component", component=component, kind=component.kind, line=spec.line_of(("components", target)),
            line_items=[i for i in report.line_items if i.component == target],
            assumptions=[a for a in report.assumptions if a.startswith(f"{target}:")],
            availability=availability, findings=[f for f in checks.findings if f.component == target],
            depends_on=list(component.spec.depends_on),
            used_by=[c.name for c in plan.components if any(d.name == target for d in c.spec.depends_on)],
            place=_place(component, plan.region), **base)
    findings = [f for f in checks.findings if f.id == target.upper()]
    rule = _rule(target.upper())
    if findings or rule is not None:
        return Explanation(what="finding", findings=findings, rule=rule, **base)
    items = [i for i in report.line_items if i.sku == target]
    if items:
        prices = _prices(items, plan.region)
        tiers = [t for t in report.free_tiers_applied if target in t.description]
        return Explanation(what="sku", line_items=items, prices=prices, free_tiers=tiers, **base)
    from archplan.spec.load import suggest

    choices = list(by_name) + sorted({f.id for f in checks.findings}) + sorted({i.sku for i in report.line_items})
    raise SpecError(f"no component, finding id or SKU {target!r} in this plan; {suggest(target, choices)}",
                    spec.file, key="explain")


def _place(component, plan_region: str) -> str:
    """Where a component runs, in words: its own region (a component may name one, a dataset's location may be
    one), its dual- or multi-region location, or global for a service placed in no region."""
    from archplan.spec.load import component_region

    spec = component.spec
    region = component_region(spec, plan_region)
    if region is not None:
        return f"in {region}"
    if spec.location_field is not None:
        location = getattr(spec, "placement", None) or getattr(spec, spec.location_field, None) or plan_region
        return f"in the {location} {getattr(spec, 'location_type', 'multi-region')}"
    return "global (not placed in a region)"


def _rule(rule_id: str):
    from archplan.check.rules import modules

    return next((m.RULE for m in modules() if m.RULE.id == rule_id), None)


def _prices(items, region: str) -> list:
    from archplan import catalog
    from archplan.errors import CatalogError

    found = []
    for item in items:
        for name in catalog.services():
            book = catalog.service(name)
            if book.display_name == item.service and book.has_price(item.sku):
                try:
                    found.append(book.price(item.sku, region))
                except CatalogError:
                    continue
                break
    unique = {}
    for price in found:
        unique.setdefault((price.service, price.sku, price.region_key), price)
    return list(unique.values())
