"""terraform/.terraform.lock.hcl: the dependency lock entries of provider_locks.yaml (each taken from a
public repository's committed lock file) for the providers versions.tf requires, so `terraform init`
installs the pinned releases and checks their packages' hashes."""
from __future__ import annotations

from functools import cache
from pathlib import Path

from archplan.catalog.compiled import load_yaml
from archplan.generate.hcl import quote

REGISTRY = "registry.terraform.io"


@cache
def locks() -> dict[str, dict]:
    """source address (hashicorp/google) -> {version, hashes, source}."""
    return load_yaml(Path(__file__).with_name("provider_locks.yaml"))["providers"]


def lock_file(providers: dict[str, dict]) -> tuple[str, list[str]]:
    """The lock file's text for the required providers ({name: {source, version}}), and the sources it
    has no entry for (terraform init adds those)."""
    blocks, missing = [], []
    for requirement in sorted(providers.values(), key=lambda r: r["source"]):
        entry = locks().get(requirement["source"])
        if entry is None:
            missing.append(requirement["source"])
            continue
        hashes = "".join(f"    {quote(h)},\n" for h in entry["hashes"])
        address = quote(f"{REGISTRY}/{requirement['source']}")
        blocks.append(f"provider {address} {{\n"
                      f"  version     = {quote(entry['version'])}\n"
                      f"  constraints = {quote(requirement['version'])}\n"
                      f"  hashes = [\n{hashes}  ]\n}}\n")
    return "\n".join(blocks), missing
