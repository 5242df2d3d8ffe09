from archplan.check.rules import Rule, components_of
from archplan.components.cloud_armor import waf_rule_sets
from archplan.components.load_balancer import attached_policies

RULE = Rule("SEC-003", "error", "security", "public load balancer without Cloud Armor rate limiting and WAF",
            "An internet-facing load balancer needs a Cloud Armor policy with a rate-based ban and the "
            "preconfigured SQL-injection and XSS rules; the seeds make it mandatory.",
            "a cloud_armor component with load_balancer: <lb>, rate_limit_per_minute and waf_rules [sqli, xss] (the "
            "baseline archplan writes when waf_rules is empty and baseline_waf is on)")


def check(plan):
    out = []
    specs = {c.name: c.spec for c in plan.components}
    for lb in components_of(plan, "load_balancer"):
        # the policies generate attaches to it (components.load_balancer.attached_policies)
        policies = [plan.component(name) for name in attached_policies(specs, lb.name)
                    if specs[name].kind == "cloud_armor"]
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
