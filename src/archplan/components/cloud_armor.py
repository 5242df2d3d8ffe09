"""Cloud Armor security policies on the load balancer."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import Field, StringConstraints, field_validator

from archplan.components.base import ComponentSpec, Usage, UsageContext


WAF_RULE_SETS = ("sqli", "xss", "lfi", "rfi", "rce", "scannerdetection", "protocolattack", "sessionfixation",
                 "methodenforcement", "php", "java", "nodejs", "cve-canary")
WafRule = Annotated[str, StringConstraints(pattern=rf"^({'|'.join(WAF_RULE_SETS)})(-v[0-9]+-(stable|canary))?$")]


class Spec(ComponentSpec):
    category: ClassVar[str] = "network"
    kind: Literal["cloud_armor"]
    regional: ClassVar[bool] = False
    tier: Literal["standard", "enterprise_paygo"] = Field(
        default="standard", description="standard (priced per policy, rule and request) or enterprise_paygo (the "
                                        "Enterprise pay-as-you-go subscription and protected resources); default "
                                        "standard")
    policies: int = Field(default=1, ge=1, description="security policies priced on the standard tier (default 1; "
                                                       "the Terraform writes one)")
    rules: int | None = Field(default=None, ge=0, description=(
        "rules across all policies (default: the rules archplan writes from the settings below: countries, "
        "rate-based ban, WAF sets or the SQLi/XSS baseline, the CVE canary, the default rule). More counts rules "
        "of your own, to add to the generated policy; fewer is a warning, as the generated policy has them all"))
    requests_per_month: Decimal | None = Field(default=None, ge=0, description="requests evaluated")
    traffic_share: Decimal | None = Field(default=None, ge=0, description="requests evaluated per user request "
                                                                          "(default: all requests, or the "
                                                                          "traffic_share of the load balancer's "
                                                                          "backend services when it also routes "
                                                                          "to buckets)")
    protected_resources: int = Field(default=1, ge=1, description="backend services (Enterprise billing)")
    rate_limit_per_minute: int | None = Field(default=None, ge=1, description="per-client rate-based ban")
    waf_rules: list[WafRule] = Field(default_factory=list, description="preconfigured WAF rule sets, e.g. sqli "
                                                                       "or sqli-v33-stable")
    baseline_waf: bool = Field(default=True, description="with no waf_rules, write archplan's SQLi and XSS "
                                                          "baseline (false: no WAF rule sets)")
    cve_canary: bool = Field(default=True, description="add the preconfigured cve-canary rule (Log4j and later "
                                                       "CVEs) when waf_rules does not name it")
    adaptive_protection: bool = Field(default=False, description="Adaptive Protection's layer 7 DDoS defense on "
                                                                 "the policy (default false)")
    allowed_countries: list[str] = Field(default_factory=list, description="ISO codes; empty = all")
    load_balancer: str | None = Field(default=None, description="the load_balancer component it protects")

    @field_validator("waf_rules", "allowed_countries")
    @classmethod
    def _no_repeats(cls, values: list[str], info) -> list[str]:
        """A repeated WAF set or country would be written twice into the policy (two rules, one meaning)."""
        seen: set[str] = set()
        for value in values:
            if value in seen:
                raise ValueError(f"{info.field_name} names {value!r} twice")
            seen.add(value)
        return values

    references: ClassVar[tuple[str, ...]] = ("load_balancer",)
    reference_kinds: ClassVar[dict[str, tuple[str, ...]]] = {"load_balancer": ("load_balancer",)}
    attaches_by: ClassVar[str | None] = "load_balancer"

    def plan_problems(self, name: str, specs: dict) -> list[tuple[tuple, str]]:
        """A policy protects a load balancer's backend services, and each takes one: a policy attached to none
        would be written and enforced nowhere, a second one on a balancer ignored."""
        from archplan.components.load_balancer import attached_policies, attached_to

        balancer = attached_to(specs, name)
        if balancer is None:
            return [(("load_balancer",), "Cloud Armor protects a load balancer's backend services: set load_balancer "
                                         "to the load_balancer component it protects")]
        first = next(p for p in attached_policies(specs, balancer) if specs[p].kind == "cloud_armor")
        if first != name:
            return [(("load_balancer",), f"{balancer} already has the Cloud Armor policy {first}, and a backend "
                                         "service takes one: merge the two policies' settings into one")]
        return []

    def plan_warnings(self) -> list[tuple[tuple, str]]:
        written = policy_rules(self)
        if self.rules is not None and self.rules < len(written):
            return [(("rules",), f"{self.rules} rules, but the policy archplan writes for these settings has "
                                 f"{len(written)} ({', '.join(r.name for r in written)}): {len(written)} are priced")]
        return []


BASELINE_WAF = ("sqli", "xss")  # archplan's baseline when the plan names no WAF rule sets
WAF_VERSION = "v33-stable"
BAN_SECONDS = 600
DEFAULT_RULE_PRIORITY = 2147483647


@dataclass(frozen=True)
class PolicyRule:
    """One rule of the security policy archplan writes (generate/terraform/cloud_armor.py renders these)."""

    name: str  # what it is, in a word: countries, rate-ban, sqli-v33-stable, cve-canary, default
    priority: int
    action: str
    description: str
    expression: str | None = None  # None: matches every source IP


def waf_rule_name(rule: str) -> str:
    """sqli -> sqli-v33-stable; names that carry their version, and cve-canary, are kept."""
    if rule == "cve-canary" or re.search(r"-v[0-9]+-(stable|canary)$", rule):
        return rule
    return f"{rule}-{WAF_VERSION}"


def waf_rule_sets(spec: Spec) -> list[str]:
    """The WAF rule sets of the policy archplan writes: the plan's, or archplan's baseline (SQLi and XSS) when it
    names none and baseline_waf is on."""
    return list(spec.waf_rules) or list(BASELINE_WAF if spec.baseline_waf else ())


def policy_rules(spec: Spec) -> list[PolicyRule]:
    """The rules of the policy archplan writes, in priority order: the one list both the generator and the
    pricer read."""
    rules = []
    if spec.allowed_countries:
        allowed = " && ".join(f"origin.region_code != '{code.upper()}'" for code in spec.allowed_countries)
        rules.append(PolicyRule("countries", 1000, "deny(403)", "Only the plan's allowed_countries", allowed))
    if spec.rate_limit_per_minute:
        rules.append(PolicyRule("rate-ban", 2000, "rate_based_ban", f"Ban a client for {BAN_SECONDS}s above "
                                f"{spec.rate_limit_per_minute} requests a minute"))
    waf = waf_rule_sets(spec)
    if spec.cve_canary and not any(r.startswith("cve-canary") for r in waf):
        waf.append("cve-canary")  # Log4j (CVE-2021-44228) and later published CVEs
    for index, waf_rule in enumerate(waf):
        name = waf_rule_name(waf_rule)
        expression = "evaluatePreconfiguredExpr('cve-canary')" if name == "cve-canary" else \
            f"evaluatePreconfiguredWaf('{name}', {{'sensitivity': 1}})"
        rules.append(PolicyRule(name, 3000 + 10 * index, "deny(403)", f"Preconfigured WAF rule {name}", expression))
    rules.append(PolicyRule("default", DEFAULT_RULE_PRIORITY, "allow", "Default: allow"))
    return rules


def billed_rules(spec: Spec) -> int:
    """Rules priced: those archplan writes, or the plan's count when it has rules of its own beyond them."""
    return max(len(policy_rules(spec)), spec.rules or 0)


def _routes(lb_name: str, components: dict) -> list[str]:
    """What a load balancer routes to, through the Cloud CDN and Cloud Armor components it depends on (as
    `generate` builds its backends)."""
    seen, out, todo = {lb_name}, [], [lb_name]
    while todo:
        for dependency in components[todo.pop()].depends_on:
            name = getattr(dependency, "name", dependency)
            if name in seen or name not in components:
                continue
            seen.add(name)
            (todo if components[name].kind in ("cloud_cdn", "cloud_armor") else out).append(name)
    return out


def backend_service_share(spec: Spec, components: dict) -> tuple[Decimal, list[str]] | None:
    """The share of user requests a backend security policy sees: archplan attaches it to the load
    balancer's backend services only, and a backend policy does not filter requests to backend buckets
    (Cloud Armor's policy types: https://cloud.google.com/python/docs/reference/compute/1.6.0/google.cloud.compute_v1.types.SecurityPolicy.Type,
    seen 2026-12-02). None when the balancer has no bucket route, or a service states no traffic_share."""
    if not spec.load_balancer or spec.load_balancer not in components:
        return None
    routes = _routes(spec.load_balancer, components)
    services = [name for name in routes if components[name].kind != "cloud_storage"]
    if len(services) == len(routes) or not services:
        return None
    shares = [getattr(components[name], "traffic_share", None) for name in services]
    if any(share is None for share in shares):
        return None
    return min(Decimal(1), sum(Decimal(str(share)) for share in shares)), services


def usage(spec: Spec, ctx: UsageContext) -> Usage:
    result = Usage()
    derived = backend_service_share(spec, ctx.components) \
        if spec.requests_per_month is None and spec.traffic_share is None else None
    if derived is not None and ctx.traffic.requests_per_month is not None:
        share, services = derived
        result.quantities["requests"] = ctx.requests(None, share, result)
        result.assumptions.append(
            f"{ctx.name}: requests evaluated = {share:g} of all requests, the traffic_share of "
            f"{spec.load_balancer}'s backend services ({', '.join(services)}): the policy is attached to them, and "
            "requests to backend buckets are not evaluated (set traffic_share or requests_per_month to change)")
        return result
    result.quantities["requests"] = ctx.requests(spec.requests_per_month, spec.traffic_share, result)
    return result
