from archplan.check.rules import Rule, components_of
from archplan.components.cloud_armor import waf_rule_sets

RULE = Rule("SEC-003", "error", "security", "public load balancer without Cloud Armor rate limiting and WAF",
            "An internet-facing load balancer needs a Cloud Armor policy with a rate-based ban and the "
            "preconfigured SQL-injection and XSS rules; the seeds make it mandatory.",
            "a cloud_armor component with load_balancer: <lb>, rate_limit_per_minute and waf_rules [sqli, xss] (the "
            "baseline archplan writes when waf_rules is empty and baseline_waf is on)")


def _protects(armor, lb_name: str, plan) -> bool:
    if armor.spec.load_balancer is not None:
        return armor.spec.load_balancer == lb_name
    linked = {d.name for d in armor.spec.depends_on}
    lb = plan.component(lb_name)
    return lb_name in linked or armor.name in {d.name for d in lb.spec.depends_on} or \
        len(components_of(plan, "load_balancer")) == 1


def check(plan):
    out = []
    armors = components_of(plan, "cloud_armor")
    for lb in components_of(plan, "load_balancer"):
        policies = [a for a in armors if _protects(a, lb.name, plan)]
        if not policies:
            out.append(RULE.finding(plan, f"{lb.name} is public and no cloud_armor component protects it.", lb.name))
            continue
        for armor in policies:
            missing = []
            if armor.spec.rate_limit_per_minute is None:
                missing.append("a rate-based ban (rate_limit_per_minute)")
            families = {rule.split("-")[0] for rule in waf_rule_sets(armor.spec)}  # as generate writes them
            missing += [f"the {name} WAF rule" for name in ("sqli", "xss") if name not in families]
            if missing:
                out.append(RULE.finding(plan, f"{armor.name} on {lb.name} lacks " + ", ".join(missing) + ".",
                                        armor.name))
    return out
