"""`archplan validate`: a valid plan is one every command works on, in every environment.

Each environment's Spec is resolved and put through cost (every format), check, generate (every target, in
memory) and doc (Markdown, HTML, DOT and Mermaid; Graphviz is not run, its input is). Nothing is written.
Each environment is resolved and priced once: the document's scaling phases read the same plans. The
document's growth section runs at the load points that bracket the document's own, each phase at the ends of
every range it is evaluated over (scale.bracketing_points): its checks are bounds on figures that grow in
proportion to the load, so passing at both ends is passing between them."""
from __future__ import annotations

from archplan.spec.model import Spec


def exercise_every_environment(specs: list[Spec]) -> None:
    """Run every command's pipeline on each spec (the plan as written, then each environment, as
    `load_every_environment` gives them); raise what a command would raise."""
    from archplan.analysis.cost import shared_pricing
    from archplan.cycles import no_cycle_collection
    from archplan.plan import resolve
    from archplan.scale.load import shared_growth

    # Each environment's document grows the plan through the same load points: a component an environment
    # leaves as written is grown, validated and priced once for all of them (shared_growth, shared_pricing).
    with no_cycle_collection(), shared_growth(), shared_pricing():  # see archplan.cycles
        plans = {}
        for spec in specs:
            plans.setdefault(spec.environment, (spec, resolve(spec)))
        resolved = {name: plan for name, (_spec, plan) in plans.items()}
        for spec, plan in plans.values():
            exercise(spec, plan, resolved)


def exercise(spec: Spec, plan=None, environments=None) -> None:
    """Run every command's pipeline on one environment; raise what a command would raise. `plan` is the
    spec resolved and `environments` the plan's environments resolved, if the caller has them."""
    from archplan.analysis.cost import cost_report
    from archplan.check import run_checks
    from archplan.doc.command import build_site
    from archplan.generate.command import build, selected_targets
    from archplan.generate.context import Context
    from archplan.plan import resolve
    from archplan.render import check_json, check_text, cost_csv, cost_json, cost_markdown, cost_table

    plan = resolve(spec) if plan is None else plan
    report = cost_report(plan)
    cost_json.render(report)
    cost_csv.render(report)
    for currency in ("USD", "INR"):
        cost_table.render(report, currency)
        cost_markdown.render(report, currency)
    checked = run_checks(plan, None)
    check_json.render(checked)
    check_text.render(checked)
    ctx = Context(plan)
    build(ctx, selected_targets(None, ctx))
    build_site(spec, graphviz=False, plan=plan, environments=environments)
