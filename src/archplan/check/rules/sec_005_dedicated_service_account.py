from archplan.check.rules import Rule, components_of

RULE = Rule("SEC-005", "warning", "security", "workload runs as the default service account",
            "Without its own service account a workload runs as the Compute Engine default account, which "
            "has Editor on the project: least privilege needs a dedicated account with only the roles it uses.",
            "list the roles it needs in service_account_roles (e.g. roles/cloudsql.client)")


def check(plan):
    return [RULE.finding(plan, f"{c.name} names no service_account_roles, so it would run with the default "
                               "Editor-level account.", c.name)
            for c in components_of(plan, "cloud_run", "cloud_functions") if not c.spec.service_account_roles]
