"""The `check` analyses, when this build of archplan has them: availability, capacity and findings for
the document. The document renders what `archplan.check.run_checks(plan)` returns, or says it could not."""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from archplan.plan import Plan


@dataclass
class CheckOutcome:
    report: Any | None
    missing_reason: str | None  # why there is no report


def run(plan: Plan) -> CheckOutcome:
    try:
        module = importlib.import_module("archplan.check")
    except ModuleNotFoundError as error:
        if error.name not in ("archplan.check", "archplan"):
            raise  # archplan.check exists but is broken: that is a bug to see, not to hide
        return CheckOutcome(None, "this build of archplan has no `check` analyses (archplan.check)")
    run_checks = getattr(module, "run_checks", None)
    if run_checks is None:
        return CheckOutcome(None, "this build of archplan has no `check` analyses (archplan.check.run_checks)")
    return CheckOutcome(run_checks(plan), None)
