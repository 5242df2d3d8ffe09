"""terraform/.terraform.lock.hcl: every entry's version satisfies the constraint versions.tf declares, each
comes from provider_locks.yaml with a named public source, and only required providers are locked."""
import re

import hcl2
import pytest

from archplan.generate.terraform._lock import locks
from tests.generate.conftest import EXAMPLE_NAMES, unquote


def version_tuple(text):
    return tuple(int(part) for part in text.split("."))


def satisfies(version: str, constraints: str) -> bool:
    """Terraform's version constraint syntax: comma-separated =, !=, >, >=, <, <=, ~> terms."""
    have = version_tuple(version)
    for term in constraints.split(","):
        op, wanted = re.match(r"\s*(~>|>=|<=|!=|=|>|<)?\s*([0-9.]+)\s*$", term).groups()
        want = version_tuple(wanted)
        padded = want + (0,) * (len(have) - len(want))
        if op == "~>":  # the rightmost given part may grow: ~> 6.50.0 is >= 6.50.0, < 6.51.0
            upper = want[:-2] + (want[-2] + 1,) if len(want) > 1 else (want[0] + 1,)
            if not (have >= padded and have[:len(upper)] < upper):
                return False
        elif not {None: have == padded, "=": have == padded, "!=": have != padded, ">": have > padded,
                  ">=": have >= padded, "<": have < padded, "<=": have <= padded}[op]:
            return False
    return True


@pytest.mark.parametrize("version, constraint, expected", [
    ("6.50.0", "~> 6.50.0", True),     # the pin
    ("6.51.0", "~> 6.50.0", False),    # ~> on three parts admits patch releases only
    ("6.50.3", "~> 6.50.0", True),
    ("3.8.1", "~> 3.7", True),         # ~> on two parts admits minor releases
    ("4.0.0", "~> 3.7", False),
    ("6.50.0", ">= 5.0.0, < 7.0.0", True),
    ("7.0.0", ">= 5.0.0, < 7.0.0", False),
])
def test_the_constraint_check(version, constraint, expected):
    assert satisfies(version, constraint) is expected


def required_providers(folder):
    with open(folder / "versions.tf") as handle:
        terraform = unquote(hcl2.load(handle))["terraform"][0]
    return {spec["source"]: spec["version"] for block in terraform["required_providers"] for spec in block.values()}


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_lock_file_satisfies_required_providers(generated, example):
    folder = generated / example / "terraform"
    required = required_providers(folder)
    with open(folder / ".terraform.lock.hcl") as handle:
        entries = unquote(hcl2.load(handle))["provider"]
    locked = {address: body for entry in entries for address, body in entry.items()}
    assert "registry.terraform.io/hashicorp/google" in locked
    missing = set(required) - {address.removeprefix("registry.terraform.io/") for address in locked}
    assert not missing, f"versions.tf requires {sorted(missing)} but the lock file has no entry for them"
    for address, body in locked.items():
        source = address.removeprefix("registry.terraform.io/")
        assert source in required, f"{source} is locked but versions.tf does not require it"
        assert satisfies(body["version"], required[source]), (source, body["version"], required[source])
        assert body["constraints"] == required[source]
        assert body["hashes"] == locks()[source]["hashes"] and body["version"] == locks()[source]["version"]


def test_every_provider_a_generator_can_require_is_locked():
    """random (generated passwords) and archive (Cloud Functions source) as well as google and google-beta."""
    from archplan.generate.terraform import _builder

    assert set(locks()) == {"hashicorp/google", "hashicorp/google-beta", "hashicorp/random", "hashicorp/archive"}
    for source, constraint in (("hashicorp/google", _builder.GOOGLE_PROVIDER),
                               ("hashicorp/google-beta", _builder.GOOGLE_PROVIDER),
                               ("hashicorp/random", _builder.RANDOM_PROVIDER),
                               ("hashicorp/archive", _builder.ARCHIVE_PROVIDER)):
        assert satisfies(locks()[source]["version"], constraint), source


def test_lock_file_covers_random_and_archive_when_required(generated):
    """The examples between them require all four providers, and each lock file locks what its versions.tf
    requires (a plan with Cloud Functions needs archive, one with a generated password random)."""
    required_anywhere = set()
    for example in EXAMPLE_NAMES:
        required_anywhere |= set(required_providers(generated / example / "terraform"))
    assert {"hashicorp/random", "hashicorp/archive"} <= required_anywhere


def test_every_lock_entry_names_its_public_source():
    for name, entry in locks().items():
        for source in [entry["source"], *entry.get("agrees", [])]:
            assert re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", source["repo"]), name
            assert source["path"].endswith(".terraform.lock.hcl"), name
            assert re.fullmatch(r"[0-9a-f]{40}", source["commit"]) and source["seen"] == "2026-12-02", name
        assert entry["source"]["repo"] not in {agree["repo"] for agree in entry.get("agrees", [])}, name
        zips = [h for h in entry["hashes"] if h.startswith("zh:")]
        assert zips and all(re.fullmatch(r"zh:[0-9a-f]{64}", h) for h in zips), name
        assert all(re.fullmatch(r"h1:[A-Za-z0-9+/]{43}=", h) for h in entry["hashes"] if h.startswith("h1:"))
