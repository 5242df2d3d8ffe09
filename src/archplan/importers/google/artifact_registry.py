"""google_artifact_registry_repository -> artifact_registry: its format. Stored images are usage."""
from __future__ import annotations

from archplan.importers.google._base import MapContext, Mapped, label_name, placeholders, owned
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_artifact_registry_repository",)
# What Terraform does not hold for this kind: field -> (the placeholder written, or None for "left out";
# what the figure is). The report lists them; the round-trip test removes them from the original plan.
USAGE = {"storage_gb": (0, "images stored")}


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    found = []
    for repository in resources:
        fields: dict = {}
        fmt = str(repository.get("format", default="DOCKER")).lower()
        if fmt != "docker":
            fields["format"] = fmt
        fields["storage_gb"] = 0
        found.append(Mapped(label_name(repository), "artifact_registry", fields, owned(repository), repository,
                            placeholders(USAGE)))
    return found
