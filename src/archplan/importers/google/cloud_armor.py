"""google_compute_security_policy -> cloud_armor: its rules (each billed), the preconfigured WAF rule sets,
the rate-based ban, adaptive protection, and the load balancer whose backend services use it."""
from __future__ import annotations

import re

from archplan.components.cloud_armor import Spec, policy_rules
from archplan.importers.google._base import MapContext, Mapped, label_name, owned
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_compute_security_policy",)
# What Terraform does not hold for this kind: field -> (the placeholder written, or None for "left out";
# what the figure is). The report lists them; the round-trip test removes them from the original plan.
USAGE = {"requests_per_month": (None, "requests evaluated"), "traffic_share": (None, "share of the traffic")}
_WAF = re.compile(r"evaluatePreconfigured(?:Waf|Expr)\('([a-z0-9-]+)'")
WAF_SETS = ("sqli", "xss", "lfi", "rfi", "rce", "scannerdetection", "protocolattack", "sessionfixation",
            "methodenforcement", "php", "java", "nodejs")


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    found = []
    for policy in resources:
        rules = policy.blocks("rule")
        separate = ctx.referrers(policy, "google_compute_security_policy_rule")
        fields: dict = {}
        waf, rate = [], None
        for rule in rules + [r.values for r in separate]:
            match = rule.get("match") or {}
            match = match[0] if isinstance(match, list) and match else match
            expression = (match.get("expr") or [{}]) if isinstance(match, dict) else [{}]
            expression = expression[0] if isinstance(expression, list) and expression else expression
            text = expression.get("expression") if isinstance(expression, dict) else None
            for name in _WAF.findall(text or ""):
                if name == "cve-canary" or name.split("-v")[0] in WAF_SETS:
                    waf.append(name)
            options = rule.get("rate_limit_options") or {}
            options = options[0] if isinstance(options, list) and options else options
            threshold = options.get("rate_limit_threshold") if isinstance(options, dict) else None
            threshold = threshold[0] if isinstance(threshold, list) and threshold else threshold
            if isinstance(threshold, dict) and isinstance(threshold.get("count"), int):
                interval = threshold.get("interval_sec") if isinstance(threshold.get("interval_sec"), int) else 60
                rate = max(1, round(threshold["count"] * 60 / interval))
        if [w for w in waf if w != "cve-canary"]:
            fields["waf_rules"] = [w for w in waf if w != "cve-canary"]
        else:
            fields["baseline_waf"] = False  # the policy has no WAF rule sets: archplan's baseline is not in it
        if "cve-canary" not in waf:
            fields["cve_canary"] = False
        if rate:
            fields["rate_limit_per_minute"] = rate
        if policy.get("adaptive_protection_config", "layer_7_ddos_defense_config", "enable") is True:
            fields["adaptive_protection"] = True
        total = len(rules) + len(separate)
        written = len(policy_rules(Spec.model_validate({"kind": "cloud_armor", **fields})))
        if total > written:  # rules archplan does not read (IP ranges, custom expressions): counted, not written
            fields = {"rules": total, **fields}
        elif total < written:
            ctx.notes.append(f"{policy.address}: {total} rules, fewer than the {written} archplan writes for its "
                             "settings (a default rule is always one): priced as archplan writes them")
        found.append(Mapped(label_name(policy), "cloud_armor", fields, owned(policy, *separate), policy))
    return found


def attach(found: list[Mapped], all_mapped: list[Mapped], ctx: MapContext) -> None:
    """Set load_balancer to the load balancer whose backend services use each policy."""
    for armor in found:
        users = {r.base_address for r in ctx.referrers(armor.source, "google_compute_backend_service")}
        for lb in all_mapped:
            if lb.kind == "load_balancer" and lb.owns & users:
                armor.fields["load_balancer"] = lb.name
                break
