from archplan.check.rules import Rule

RULE = Rule("REL-007", "error", "reliability", "the priced plan costs more than its budget",
            "A plan that starts above its budget will be cut in production, usually in its redundancy.",
            "resize, commit (CUDs) or raise the budget; see `archplan cost` for the line items")


def check(plan):
    budget = plan.spec.project.monthly_budget
    if budget is None:
        return []
    from archplan.check import plan_cost
    from archplan.render.numbers import money

    report = plan_cost(plan)
    if report.total_usd <= report.budget_usd:
        return []
    return [RULE.finding(
        plan, f"priced total {money(report.total_usd, budget.currency, report.rate_for(budget.currency))} a month is "
              f"{report.total_usd / report.budget_usd:.1f}x the budget of "
              f"{money(report.budget_usd, budget.currency, report.rate_for(budget.currency))}.",
        key=("project", "monthly_budget"), fact=("budget", plan.environment))]
