from archplan.check.rules import Rule

RULE = Rule("REL-006", "warning", "reliability", "no budget alerts at 50, 75 and 90%",
            "GCP budgets never cap spend; alerts at 50/75/90% are the warning that a runaway service gives.",
            "project.monthly_budget with alert_percents [50, 75, 90]")
REQUIRED = (50, 75, 90)


def check(plan):
    budget = plan.spec.project.monthly_budget
    if budget is None:
        return [RULE.finding(plan, "the plan has no monthly_budget, so no budget alerts.", key=("project",))]
    missing = [p for p in REQUIRED if p not in {int(a) for a in budget.alert_percents}]
    if missing:
        return [RULE.finding(plan, f"budget alerts miss {', '.join(f'{p}%' for p in missing)}.",
                             key=("project", "monthly_budget"))]
    return []
