"""google_cloudbuild_trigger -> one cloud_build component per module: the GitHub repository and branch its
triggers build, and the machine type an inline build asks for. Builds and their minutes are usage."""
from __future__ import annotations

import re

from archplan.components.cloud_build import BUILD_MACHINE_TYPES
from archplan.importers.google._base import MapContext, Mapped, group_name, owned, placeholders
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_cloudbuild_trigger",)
# What Terraform does not hold for this kind: field -> (the placeholder written, or None for "left out";
# what the figure is). The report lists them; the round-trip test removes them from the original plan.
USAGE = {"build_minutes_per_month": (0, "build minutes a month"), "builds_per_month": (None, "builds a month"),
         "minutes_per_build": (None, "minutes a build takes")}
MACHINE_TYPES = {option: machine for machine, option in BUILD_MACHINE_TYPES.items() if option}
_PLAIN = re.compile(r"^[A-Za-z0-9_.-]+$")


def _repository(trigger: TfResource) -> dict | None:
    owner, name = trigger.get("github", "owner"), trigger.get("github", "name")
    branch = str(trigger.get("github", "push", "branch", default="main"))
    branch = branch[1:-1] if re.fullmatch(r"\^[A-Za-z0-9_./-]+\$", branch) else branch
    if isinstance(owner, str) and isinstance(name, str) and _PLAIN.fullmatch(owner) and _PLAIN.fullmatch(name) and \
            re.fullmatch(r"[A-Za-z0-9_./-]+", branch):
        return {"owner": owner, "name": name, "branch": branch}
    return None


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    modules: dict[str, list[TfResource]] = {}
    for trigger in resources:
        modules.setdefault(trigger.address.rsplit("google_cloudbuild_trigger.", 1)[0], []).append(trigger)
    found = []
    for triggers in modules.values():
        fields: dict = {}
        machines = {MACHINE_TYPES.get(str(t.get("build", "options", "machine_type"))) for t in triggers} - {None}
        if len(machines) == 1:
            fields["machine_type"] = machines.pop()
        fields["build_minutes_per_month"] = USAGE["build_minutes_per_month"][0]
        repositories = [r for r in (_repository(t) for t in triggers) if r]
        if repositories and all(r == repositories[0] for r in repositories):
            fields["repository"] = repositories[0]
        names = [ctx.own_name(str(t.get("name") or t.name)) for t in triggers]
        found.append(Mapped(group_name(triggers, [n.replace("-", "_") for n in names], "cloud_build"), "cloud_build",
                            fields, owned(*triggers), triggers[0], placeholders(USAGE)))
    return found
