"""Small plans for the diff, scale and optimize tests, written to a temporary folder."""
from __future__ import annotations

from pathlib import Path

import yaml

from archplan import catalog


def write_plan(folder: Path, components: dict, name: str = "plan.yaml", **sections) -> Path:
    project = {"name": "t", "region": "asia-south1", "usd_inr": 80, **sections.pop("project", {})}
    document = {"project": project, **sections, "components": components}
    path = folder / name
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def rate(service: str, sku: str, region: str = "asia-south1"):
    """The catalog's unit price in USD (the figure a hand computation starts from)."""
    return catalog.service(service).price(sku, region).usd
