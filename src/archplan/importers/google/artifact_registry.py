"""google_artifact_registry_repository -> artifact_registry: its format. Stored images are usage."""
from __future__ import annotations

from archplan.importers.google._base import MapContext, Mapped, label_name, owned
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_artifact_registry_repository",)


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    found = []
    for repository in resources:
        fields: dict = {}
        fmt = str(repository.get("format", default="DOCKER")).lower()
        if fmt != "docker":
            fields["format"] = fmt
        fields["storage_gb"] = 0
        found.append(Mapped(label_name(repository), "artifact_registry", fields, owned(repository), repository,
                            {"storage_gb": "images stored: Terraform does not hold them"}))
    return found
