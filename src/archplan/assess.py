"""The one adapter `diff`, `scale` and `optimize` use to reach the analyses: load a plan (from a file, a
git revision or data already changed), resolve it, price it and check it, and read the figures the
decisions compare. When `check` gains a faster in-process API, only this module changes.
"""
from __future__ import annotations

import copy
import subprocess
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from archplan.errors import SpecError


@dataclass
class Assessment:
    """A plan with its cost report and its check report."""

    plan: object  # archplan.plan.Plan
    cost: object  # archplan.analysis.cost.CostReport
    check: object  # archplan.check.CheckReport

    @property
    def spec(self):
        return self.plan.spec


def _regions():
    from archplan import catalog

    return catalog.supported_regions()


def read_plan(path: str):
    """(data, positions) of a plan file as loading parsed it (for changes applied before loading, through
    spec_from_data's `adjust`, which works on a copy): the parse is shared, never change it in place."""
    from archplan.spec.load import _parsed

    return _parsed(path)


def spec_from_data(data, positions, file: str, environment: str | None = None, phase: str | None = None,
                   adjust=None):
    """A Spec from parsed YAML data; the data is copied first, so the caller's copy stays as it was.
    `adjust(data)` changes the merged data (environment and phase applied) before it is validated."""
    from archplan.spec.load import load_spec_data

    # With `adjust`, load_spec_data merges into a deep copy of its own: a second one here would be wasted.
    return load_spec_data(data if adjust is not None else copy.deepcopy(data), positions.__class__(positions),
                          file, environment, _regions(), phase, adjust)


def load(path: str, environment: str | None = None, phase: str | None = None):
    from archplan.spec.load import load_spec

    return load_spec(path, environment, _regions(), phase)


def load_revision(path: str, revision: str, environment: str | None = None):
    """The plan as it was at a git revision (`git show REV:path`), labelled path@REV in messages."""
    from archplan.spec.load import load_spec_data
    from archplan.spec.yamlpos import MAX_FILE_BYTES, load_yaml, plan_text, too_large

    if revision.startswith("-") or any(ord(ch) < 32 for ch in revision):
        # git would read it as an option (--output=FILE writes a file): a revision never starts with "-"
        from archplan.errors import UsageError

        raise UsageError(f"--rev {revision[:60]!r}: not a git revision (a revision does not start with '-')")
    file = Path(path)
    folder = file.resolve().parent if file.resolve().parent.is_dir() else Path.cwd()
    label = f"{path}@{revision}"
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True,
                             text=True, timeout=30)
        if top.returncode != 0:
            raise SpecError("not inside a git repository, so --rev cannot be read", path)
        relative = file.resolve().relative_to(Path(top.stdout.strip()).resolve())
        object_name = f"{revision}:{relative.as_posix()}"
        # Its size first: the committed plan is held to the working file's 8 MiB before git hands it over.
        size = subprocess.run(["git", "cat-file", "-s", "--end-of-options", object_name], cwd=folder,
                              capture_output=True, text=True, timeout=30)
        if size.returncode == 0 and size.stdout.strip().isdigit() and int(size.stdout) > MAX_FILE_BYTES:
            raise too_large(label)
        shown = subprocess.run(["git", "show", "--end-of-options", object_name], cwd=folder,
                               capture_output=True, timeout=30)
    except FileNotFoundError:
        raise SpecError("git is not installed, so --rev cannot be read", path) from None
    except ValueError:
        raise SpecError("the file is outside its git repository", path) from None
    except subprocess.TimeoutExpired:
        raise SpecError("git took too long to answer", path) from None
    if shown.returncode != 0:
        reason = (shown.stderr.decode("utf-8", "replace").strip().splitlines() or ["unknown revision"])[-1]
        raise SpecError(f"unknown revision {revision!r} ({reason.removeprefix('fatal: ')})", path)
    data, positions = load_yaml(plan_text(shown.stdout, label), label)
    return load_spec_data(data, positions, label, environment, _regions())


def assess(spec, sections: list[str] | None = None) -> Assessment:
    from archplan.analysis.cost import cost_report
    from archplan.check import run_checks
    from archplan.plan import resolve

    plan = resolve(spec)
    return Assessment(plan, cost_report(plan), run_checks(plan, sections))


def price(spec):
    """(plan, cost report) without the checks: what `scale` needs at each load point."""
    from archplan.analysis.cost import cost_report
    from archplan.plan import resolve

    plan = resolve(spec)
    return plan, cost_report(plan)


def price_totals(spec):
    """(plan, cost totals): `price` without the report's lines and notes, for a caller that reads only the
    total and each component's cost (`scale`, at each load point)."""
    from archplan.analysis.cost import cost_totals
    from archplan.plan import resolve

    plan = resolve(spec)
    return plan, cost_totals(plan)


def capacity_of(plan, availability=None):
    """The capacity analysis; `availability`, the plan's availability analysis if the caller has it (one
    computed on a plan of the same structure: availability reads no load)."""
    from archplan.check import capacity

    return capacity.analyse(plan, availability)


def availability_of(plan):
    from archplan.check import availability

    return availability.analyse(plan)


def structure_of(plan):
    """What the analyses read of a plan's structure (its edge index), for `share_structure`."""
    from archplan.check import availability

    return availability.graph(plan)


def share_structure(plan, structure) -> None:
    """`plan` has the structure `structure_of` gave for another plan (the same components and dependencies,
    another load): it reuses it rather than indexing its edges again."""
    from archplan.check import availability

    availability.share_graph(plan, structure)


def component_availability(component):
    from archplan.check import availability

    return availability.component_availability(component)


def node_availabilities(component) -> dict[str, float]:
    """The availability (percent) of each node a component stands for on a path: itself, or each
    deployment of a GKE cluster that `check` follows deployment by deployment (cluster/deployment)."""
    from archplan.check import availability
    from archplan.components import gke

    if component.kind == "gke" and gke.has_call_graph(component.spec):
        return {gke.node_name(component.name, d.name):
                availability.deployment_availability(component, d, gke.node_name(component.name, d.name)).percent
                for d in component.spec.deployments}
    return {component.name: availability.component_availability(component).percent}


def recovery_rows(plan):
    from archplan.check import availability

    return availability.recovery(plan)


def target_utilization(spec) -> float:
    return float(spec.checks.target_utilization)


def money(usd: Decimal, usd_inr: Decimal) -> dict:
    """An amount in both currencies, as plain strings rounded to the paisa/cent (for JSON)."""
    return {"usd": str(usd.quantize(Decimal("0.01"))), "inr": str((usd * usd_inr).quantize(Decimal("0.01")))}


def finding_key(finding) -> tuple[str, str]:
    return finding.id, finding.component or ""


def plain_data(value):
    """Decimals and floats rounded for JSON (6 places), recursively: the machine output of every decision."""
    from archplan.render.numbers import round_money, to_number

    if isinstance(value, Decimal):
        return to_number(round_money(value, "0.000001"))
    if isinstance(value, float):
        return value if value != value or value in (float("inf"), float("-inf")) else round(value, 6)
    if isinstance(value, dict):
        return {key: plain_data(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_data(item) for item in value]
    return value
