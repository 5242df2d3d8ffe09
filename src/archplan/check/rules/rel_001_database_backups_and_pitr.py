from archplan.check.rules import Rule, components_of

RULE = Rule("REL-001", "error", "reliability", "production database without backups and point-in-time recovery",
            "Without automated backups a bad migration or deletion is unrecoverable; without PITR you lose up "
            "to a day of writes.",
            "backups: {enabled: true, pitr: true}")
NON_PRODUCTION = ("dev", "development", "test", "staging", "sandbox", "preview")


def check(plan):
    if plan.environment and plan.environment.lower() in NON_PRODUCTION:
        return []
    out = []
    for db in components_of(plan, "cloud_sql"):
        backups = db.spec.backups
        if not backups.enabled:
            out.append(RULE.finding(plan, f"{db.name} has automated backups off.", db.name, ("backups",)))
        elif not backups.pitr:
            out.append(RULE.finding(plan, f"{db.name} has backups but no point-in-time recovery: up to 24 h "
                                          "of writes can be lost.", db.name, ("backups",)))
    return out
