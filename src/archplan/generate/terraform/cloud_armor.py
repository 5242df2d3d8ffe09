"""Cloud Armor security policy: allowed countries, a per-client rate-based ban, preconfigured WAF rules
(SQLi and XSS when the plan names none), the CVE canary rule for Log4j, and adaptive protection where the
plan turns it on."""
from __future__ import annotations

import re

from archplan.components.base import Component
from archplan.generate.context import ident, slug
from archplan.generate.hcl import Expr, Tpl, nested, resource
from archplan.generate.terraform._builder import Terraform

BASELINE_WAF = ("sqli", "xss")
WAF_VERSION = "v33-stable"
BAN_SECONDS = 600


def waf_rule_name(rule: str) -> str:
    """sqli -> sqli-v33-stable; names that carry their version, and cve-canary, are kept."""
    if rule == "cve-canary" or re.search(r"-v[0-9]+-(stable|canary)$", rule):
        return rule
    return f"{rule}-{WAF_VERSION}"


def rule(priority: int, action: str, description: str, expression: str | None = None, **extra) -> object:
    body: dict = {"priority": priority, "action": action, "description": description}
    if expression is None:
        body["match"] = nested({"versioned_expr": "SRC_IPS_V1", "config": nested({"src_ip_ranges": ["*"]})})
    else:
        body["match"] = nested({"expr": nested({"expression": expression})})
    body.update(extra)
    return nested(body)


def generate(tf: Terraform, component: Component) -> None:
    spec = component.spec
    name = ident(component.name)
    tf.api("compute.googleapis.com")
    rules = []
    if spec.allowed_countries:
        allowed = " && ".join(f"origin.region_code != '{code.upper()}'" for code in spec.allowed_countries)
        rules.append(rule(1000, "deny(403)", "Only the plan's allowed_countries", allowed))
    if spec.rate_limit_per_minute:
        rules.append(rule(2000, "rate_based_ban", f"Ban a client for {BAN_SECONDS}s above "
                                                  f"{spec.rate_limit_per_minute} requests a minute",
                          rate_limit_options=nested({
                              "conform_action": "allow",
                              "exceed_action": "deny(429)",
                              "enforce_on_key": "IP",
                              "ban_duration_sec": BAN_SECONDS,
                              "rate_limit_threshold": nested({"count": spec.rate_limit_per_minute,
                                                              "interval_sec": 60}),
                          })))
    waf = list(spec.waf_rules) or list(BASELINE_WAF)
    if not any(r.startswith("cve-canary") for r in waf):
        waf.append("cve-canary")  # Log4j (CVE-2021-44228) and later published CVEs
    for index, waf_rule in enumerate(waf):
        rule_name = waf_rule_name(waf_rule)
        expression = "evaluatePreconfiguredExpr('cve-canary')" if rule_name == "cve-canary" else \
            f"evaluatePreconfiguredWaf('{rule_name}', {{'sensitivity': 1}})"
        rules.append(rule(3000 + 10 * index, "deny(403)", f"Preconfigured WAF rule {rule_name}", expression))
    rules.append(rule(2147483647, "allow", "Default: allow"))
    body: dict = {"name": Tpl(f"${{var.prefix}}-{slug(component.name)}"),
                  "description": f"Cloud Armor policy of {tf.ctx.project.name}",
                  "type": "CLOUD_ARMOR"}
    if not spec.waf_rules:
        body["# The plan names no WAF rules: SQLi and XSS are archplan's baseline (each adds $1 a month)."] = None
    body["rule"] = rules
    if spec.adaptive_protection:
        body["adaptive_protection_config"] = nested({"layer_7_ddos_defense_config": nested({"enable": True})})
    body["advanced_options_config"] = nested({"json_parsing": "STANDARD", "log_level": "NORMAL"})
    tf.add("cloud_armor.tf", tf.about(component), resource("google_compute_security_policy", name, body))
    tf.output(f"{name}_policy", Expr(f"google_compute_security_policy.{name}.name"),
              f"Cloud Armor policy {component.name}.")
