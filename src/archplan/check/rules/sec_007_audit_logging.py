from archplan.check.rules import Rule

RULE = Rule("SEC-007", "warning", "security", "data-access audit logging is off",
            "Admin activity is always logged, but reads and writes of data are not unless data-access audit "
            "logs are enabled; incident response and compliance need them.",
            "project.audit_logging: true (and budget the extra Cloud Logging volume)")


def check(plan):
    if plan.spec.project.audit_logging:
        return []
    return [RULE.finding(plan, "project.audit_logging is not enabled.", key=("project",))]
