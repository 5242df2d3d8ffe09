"""A billing budget for the plan's monthly_budget, with an alert at each of its alert_percents."""
from __future__ import annotations

from decimal import Decimal

from archplan.generate.hcl import Expr, Tpl, nested, resource
from archplan.generate.terraform._builder import Terraform
from archplan.generate.terraform._monitoring import notification_channels


def generate(tf: Terraform) -> None:
    budget = tf.ctx.project.monthly_budget
    if budget is None:
        return
    tf.api("billingbudgets.googleapis.com")
    tf.flags.update({"project_data", "quota_project"})
    billing_account = tf.variable(
        "billing_account", "string", "Billing account the budget watches (e.g. 012345-6789AB-CDEF01); its "
                                     "currency must be the budget's. null: no budget is created.",
        default=None)
    units = budget.amount.quantize(Decimal(1))
    scope: dict = {"projects": [Tpl("projects/${data.google_project.this.number}")]}
    notes = [f"monthly_budget in the plan: {budget.amount} {budget.currency}, alerts at "
             + ", ".join(f"{p}%" for p in budget.alert_percents) + "."]
    if tf.ctx.environment:
        # Environments may share a project: the budget counts only the spend labelled with this environment
        # (every resource here carries the label, through the provider's default_labels). A budget filter takes
        # one label (https://docs.cloud.google.com/billing/docs/how-to/budgets#budget-scope); spend that carries
        # no label (some network and logging charges) is outside it.
        scope["labels"] = {"environment": tf.ctx.environment}
        notes.append(f"Only the spend labelled environment = {tf.ctx.environment}: environments sharing the "
                     "project have budgets of their own.")
    tf.add("budget.tf", " ".join(notes),
           resource("google_billing_budget", "monthly", {
               "count": Expr("var.billing_account == null ? 0 : 1"),
               "billing_account": billing_account,
               "display_name": Tpl("${var.prefix} monthly budget"),
               "budget_filter": nested({**scope, "calendar_period": "MONTH"}),
               "amount": nested({"specified_amount": nested({"currency_code": budget.currency,
                                                             "units": str(units)})}),
               "threshold_rules": [nested({"threshold_percent": (p / 100).normalize(),
                                           "spend_basis": "CURRENT_SPEND"}) for p in budget.alert_percents],
               "all_updates_rule": nested({"monitoring_notification_channels": notification_channels(tf),
                                           "disable_default_iam_recipients": False}),
           }))
