from archplan.check.rules import Rule, components_of

RULE = Rule("SEC-006", "warning", "security", "Redis without AUTH or in-transit encryption",
            "Anything on the VPC can read and write an instance without AUTH; without TLS, session tokens "
            "cross the network in clear text.",
            "auth_enabled: true and transit_encryption: true")


def check(plan):
    out = []
    for redis in components_of(plan, "memorystore_redis"):
        missing = [name for name, on in (("AUTH", redis.spec.auth_enabled), ("TLS", redis.spec.transit_encryption))
                   if not on]
        if missing:
            out.append(RULE.finding(plan, f"{redis.name} has no {' and no '.join(missing)}.", redis.name))
    for cluster in components_of(plan, "memorystore_valkey") + components_of(plan, "memorystore_redis_cluster"):
        missing = [name for name, on in (("IAM authentication", cluster.spec.iam_auth),
                                         ("TLS", cluster.spec.transit_encryption)) if not on]
        if missing:
            out.append(RULE.finding(plan, f"{cluster.name} has no {' and no '.join(missing)}.", cluster.name))
    return out
