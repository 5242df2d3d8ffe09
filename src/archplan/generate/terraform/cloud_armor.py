"""Cloud Armor security policy: allowed countries, a per-client rate-based ban, preconfigured WAF rules
(SQLi and XSS when the plan names none), the CVE canary rule for Log4j, and adaptive protection where the
plan turns it on."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.components.cloud_armor import BAN_SECONDS, billed_rules, policy_rules
from archplan.generate.context import ident, slug
from archplan.generate.hcl import Expr, Tpl, nested, resource
from archplan.generate.terraform._builder import Terraform


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
    for written in policy_rules(spec):  # the same list the pricer charges
        extra = {}
        if written.action == "rate_based_ban":
            extra["rate_limit_options"] = nested({
                "conform_action": "allow",
                "exceed_action": "deny(429)",
                "enforce_on_key": "IP",
                "ban_duration_sec": BAN_SECONDS,
                "rate_limit_threshold": nested({"count": spec.rate_limit_per_minute, "interval_sec": 60}),
            })
        rules.append(rule(written.priority, written.action, written.description, written.expression, **extra))
    body: dict = {"name": Tpl(f"${{var.prefix}}-{slug(component.name)}"),
                  "description": f"Cloud Armor policy of {tf.ctx.project.name}",
                  "type": "CLOUD_ARMOR"}
    if not spec.waf_rules and spec.baseline_waf:
        body["# The plan names no WAF rules: SQLi and XSS are archplan's baseline (each adds $1 a month)."] = None
    own = billed_rules(spec) - len(rules)
    if own:
        body[f"# The plan counts {spec.rules} rules (all priced): the {len(rules)} below and {own} of its own to "
             "add here."] = None
    body["rule"] = rules
    if spec.adaptive_protection:
        body["adaptive_protection_config"] = nested({"layer_7_ddos_defense_config": nested({"enable": True})})
    body["advanced_options_config"] = nested({"json_parsing": "STANDARD", "log_level": "NORMAL"})
    tf.add("cloud_armor.tf", tf.about(component), resource("google_compute_security_policy", name, body))
    tf.output(f"{name}_policy", Expr(f"google_compute_security_policy.{name}.name"),
              f"Cloud Armor policy {component.name}.")
