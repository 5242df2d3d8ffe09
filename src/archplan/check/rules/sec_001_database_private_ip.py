from archplan.check.rules import Rule, components_of

RULE = Rule("SEC-001", "error", "security", "database reachable on a public IP",
            "A Cloud SQL instance with a public IP is one firewall mistake from the internet; the seeds call "
            "private IP non-negotiable.",
            "private_ip: true (clients reach it over VPC: Direct VPC egress, a connector or the Auth Proxy)")


def check(plan):
    return [RULE.finding(plan, f"{c.name} ({c.spec.engine} {c.spec.tier}) has a public IP (private_ip is false).",
                         c.name, ("private_ip",))
            for c in components_of(plan, "cloud_sql") if not c.spec.private_ip]
