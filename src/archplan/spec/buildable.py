"""What generate cannot build from a plan that is otherwise valid: each component's plan_problems (a value the
GCP API refuses, a component missing the one it works through, such as a load balancer with no backend).
`generate` and `validate` refuse such a plan; `check` reports each as REL-013 and `cost` prices the plan and
warns, so a plan can be priced while it is still being sketched."""
from __future__ import annotations

from archplan.errors import SpecError
from archplan.spec.yamlpos import dotted


def build_problems(spec) -> list[SpecError]:
    """One error per problem, naming its file, line and key (worked out once per spec)."""
    known = spec.__dict__.get("_build_problems")
    if known is not None:
        return known
    found = []
    # in an environment (or phase) the plan as written may be fine: say which view the problem is in
    view = " and ".join(f"{what} {label}" for what, label in (("environment", spec.environment),
                                                             ("phase", spec.phase)) if label)
    for name, component in spec.components.items():
        for key, message in component.plan_problems(name, spec.components):
            path = ("components", name) + key
            found.append(SpecError(f"in {view}: {message}" if view else message, spec.file, spec.line_of(path),
                                   dotted(spec.positions.written_at(path))))
    spec.__dict__["_build_problems"] = found
    return found


def refuse_unbuildable(spec) -> None:
    """Raise what generate cannot build (every problem, as one error naming the first)."""
    from archplan.errors import combined

    problems = build_problems(spec)
    if problems:
        raise combined(problems)
