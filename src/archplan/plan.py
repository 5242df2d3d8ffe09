"""Resolve a Spec into a Plan: the region checked, traffic turned into figures, every component's
usage derived. Every analysis reads a Plan, never the raw spec."""
from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from decimal import Decimal

from archplan import catalog
from archplan import components as registry
from archplan.components.base import DAYS_PER_MONTH, Component, TrafficContext, UsageContext
from archplan.components.load_balancer import serving_fractions
from archplan.errors import CatalogError, SpecError, combined
from archplan.spec.model import Spec
from archplan.spec.yamlpos import dotted


@dataclass
class Plan:
    spec: Spec
    region: str
    environment: str | None
    usd_inr: Decimal
    usd_inr_source: str
    traffic: TrafficContext
    components: list[Component]
    assumptions: list[str] = field(default_factory=list)
    missing_usage: list[str] = field(default_factory=list)  # one line per missing_usage entry: what it leaves out

    @property
    def file(self) -> str:
        return self.spec.file

    def component(self, name: str) -> Component:
        """The component of that name (KeyError if none), from an index built once per components list: a
        lookup per component in a scan of all of them is quadratic on a large plan."""
        cached = self.__dict__.get("_component_index")
        if cached is None or cached[0] is not self.components or len(cached[1]) != len(self.components):
            cached = self.__dict__["_component_index"] = (self.components, {c.name: c for c in self.components})
        return cached[1][name]

    def rate(self, currency: str) -> Decimal:
        """Units of `currency` per USD: the plan's own USD-INR rate if it states one, else the catalog's."""
        return self.usd_inr if currency == "INR" else catalog.exchange_rate(currency).per_usd

    def rate_source(self, currency: str) -> str:
        """Where `rate(currency)` comes from ("" for USD)."""
        if currency == "USD":
            return ""
        if currency == "INR":
            return self.usd_inr_source
        fx = catalog.exchange_rate(currency)
        return f"{fx.source} ({fx.date})"

    def to_usd(self, amount: Decimal, currency: str) -> Decimal:
        return amount / self.rate(currency)

    def error(self, component: str, key: str | tuple, message: str) -> SpecError:
        path = ("components", component) + ((key,) if isinstance(key, str) else tuple(key))
        return SpecError(message, self.spec.file, self.spec.line_of(path), dotted(path))


def traffic_context(spec: Spec) -> TrafficContext:
    traffic = spec.traffic
    missing = frozenset(e.split(".", 1)[1] for e in spec.missing_usage if e.startswith("traffic."))
    if traffic is None:
        return TrafficContext(None, None, None, None, spec.file, missing=missing)
    requests = traffic.requests_per_month
    if requests is None and traffic.daily_active_users is not None and traffic.requests_per_user_per_day is not None:
        requests = traffic.daily_active_users * traffic.requests_per_user_per_day * DAYS_PER_MONTH
    return TrafficContext(requests, traffic.avg_request_kib, traffic.avg_response_kib,
                          traffic.daily_active_users, spec.file, traffic.monthly_active_users, missing)


def missing_usage_lines(spec: Spec, derived: dict[str, list[str]]) -> list[str]:
    """What each missing_usage entry leaves out of the prices, in words (`derived`: traffic entry -> the
    components whose usage would come from it)."""
    lines = []
    for entry in spec.missing_usage:
        if entry.startswith("traffic."):
            users = derived.get(entry, [])
            lines.append(f"{entry} is not known yet (missing_usage): " + (
                f"the usage of {', '.join(users)} derived from it is priced as none" if users else
                "no component derives usage from it"))
        else:
            _, name, key = entry.split(".", 2)
            value = getattr(spec.components[name], key, None) if key.isidentifier() else None
            written = f" ({value})" if isinstance(value, (int, Decimal)) and not isinstance(value, bool) else ""
            lines.append(f"{entry} is not known yet (missing_usage): " + (
                "not given, so nothing that needs it is priced" if key.isidentifier() and value is None else
                f"priced at the placeholder the plan writes{written}"))
    return lines


def named_currencies(spec: Spec) -> list[tuple[tuple, str]]:
    """(key path, currency) for every currency the plan writes: its own, its budget's, its claims' and its
    external items'."""
    named = [(("project", "currency"), spec.project.currency)]
    if spec.project.monthly_budget is not None:
        named.append((("project", "monthly_budget", "currency"), spec.project.monthly_budget.currency))
    named += [(("claims", index, "currency"), claim.currency) for index, claim in enumerate(spec.claims)
              if claim.currency]
    for name, component in spec.components.items():
        for index, item in enumerate(component.__dict__.get("items") or []):  # external's field (a fast miss)
            if isinstance(getattr(item, "currency", None), str):
                named.append((("components", name, "items", index, "currency"), item.currency))
    return named


def names_inr(spec: Spec) -> bool:
    """Whether the plan writes a figure in rupees anywhere, or its own USD-INR rate."""
    return spec.project.usd_inr is not None or any(currency == "INR" for _path, currency in named_currencies(spec))


def _check_currencies(spec: Spec) -> None:
    """Every currency the plan names has a dated rate: one line naming the key and the currencies there are."""
    for path, currency in named_currencies(spec):
        if currency != "INR":
            try:
                catalog.exchange_rate(currency)
            except CatalogError as problem:
                raise SpecError(str(problem), spec.file, spec.line_of(path), dotted(path)) from None


def remembered(plan: Plan, name: str, compute, *inputs):
    """compute(plan), once per plan: an analysis several stages read (check, the simulation's connection
    budgets, the document). A copy of the plan with other components, spec, traffic, region or exchange rate
    (as simulate and optimize make), or other `inputs`, computes it afresh."""
    key = (plan.components, plan.spec, plan.traffic, plan.region, plan.usd_inr, *inputs)
    cached = plan.__dict__.get(name)
    if cached is not None and len(cached[0]) == len(key) and all(a is b for a, b in zip(cached[0], key)):
        return cached[1]
    value = compute(plan)
    plan.__dict__[name] = (key, value)
    return value


def resolve(spec: Spec) -> Plan:
    project = spec.project
    if project.usd_inr is not None:
        usd_inr, fx_source = project.usd_inr, "stated in the plan (project.usd_inr)"
    else:
        fact = catalog.service("fx").fact("usd_inr")
        usd_inr, fx_source = fact.decimal, f"catalog: {fact.source} ({fact.date})"
    _check_currencies(spec)
    traffic = traffic_context(spec)
    assumptions = [f"hours per month: 730 (days per month: {DAYS_PER_MONTH:.4f})",
                   f"USD to INR: {usd_inr} ({fx_source})"]
    if traffic.requests_per_month is not None:
        how = "stated" if spec.traffic.requests_per_month is not None else \
            "daily_active_users x requests_per_user_per_day x 30.4167"
        assumptions.append(f"traffic: {traffic.requests_per_month:,.0f} requests a month ({how})")
    if not project.free_tiers:
        assumptions.append("free tiers: not applied (project.free_tiers is false)")
    if project.contingency_percent:
        assumptions.append(f"contingency: {project.contingency_percent}% added on top of the priced total")
    components = []
    derived: dict[str, list[str]] = {}
    problems: list[SpecError] = []  # every component's, raised together
    serving = serving_fractions(spec.components, project.region)
    for name, component_spec in spec.components.items():
        module = registry.kind_module(component_spec.kind)
        ctx = UsageContext(name, traffic, spec.file, spec.line_of, spec.components, serving.get(name))
        try:
            usage = module.usage(component_spec, ctx)
        except SpecError as error:
            problems += error.every()
            continue
        if ctx.missing:
            for entry in dict.fromkeys(ctx.missing):
                derived.setdefault(entry, []).append(name)
        if usage.assumptions:
            assumptions.extend(usage.assumptions)
        components.append(Component(name=name, kind=component_spec.kind, spec=component_spec,
                                    region=component_spec.region or project.region, usage=usage, line=spec.line_of(("components", name))))
    if problems:
        raise combined(problems)
    return Plan(spec=spec, region=project.region, environment=spec.environment, usd_inr=usd_inr,
                usd_inr_source=fx_source, traffic=traffic, components=components, assumptions=assumptions,
                missing_usage=missing_usage_lines(spec, derived))


def with_usage(plan: Plan, overrides: dict[str, tuple[dict, dict]]) -> Plan:
    """A copy of the plan whose named components are billed on other usage (component -> (the usage
    quantities that change, the spec settings that change)), as simulate's simulated month and scale's
    autoscaled nodes price them. A copy with other components is priced and analysed afresh."""
    components = []
    for component in plan.components:
        if component.name not in overrides:
            components.append(component)
            continue
        quantities, spec_update = overrides[component.name]
        usage = replace(component.usage, quantities={**component.usage.quantities, **quantities})
        spec = component.spec.model_copy(update=spec_update) if spec_update else component.spec
        components.append(replace(component, usage=usage, spec=spec))
    clone = copy.copy(plan)
    clone.components = components
    return clone
