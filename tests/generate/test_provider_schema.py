"""Every generated resource and data block against the google provider's own schema (see provider_schema.py):
no unknown or misplaced argument or block, no missing required one, no value outside a published list.
The bindings' provider release must lie in the range versions.tf declares, and that range must hold no
other release (so one schema covers it)."""
import hcl2
import pytest

from archplan.generate.terraform._builder import GOOGLE_PROVIDER
from tests.generate import provider_schema
from tests.generate.conftest import PLAN_NAMES

# The 6.x series ended with 6.50.0 (7.0.0 followed): a `~> 6.50.0` constraint admits exactly that release.
LAST_6X_RELEASE = "6.50.0"


def blocks_of(path):
    with open(path) as handle:
        parsed = hcl2.load(handle)
    for section in ("resource", "data"):
        for item in parsed.get(section, []):
            for type_name, named in item.items():
                for name, body in named.items():
                    yield section, type_name.strip('"'), name.strip('"'), body


def folder_violations(folder) -> list[str]:
    """What the google provider would reject in the .tf files of a folder."""
    return [problem for path in sorted(folder.glob("*.tf")) for section, type_name, name, body in blocks_of(path)
            for problem in provider_schema.violations(section, type_name, body, f"{path.name}: {type_name}.{name}")]


def test_bindings_cover_the_declared_provider_range():
    version = provider_schema.provider_version()
    assert GOOGLE_PROVIDER == f"~> {version}" and version == LAST_6X_RELEASE


@pytest.mark.parametrize("example", PLAN_NAMES)
def test_every_block_matches_the_provider_schema(generated, example):
    problems, seen = [], 0
    for path in sorted((generated / example / "terraform").glob("*.tf")):
        for section, type_name, name, body in blocks_of(path):
            if "google-beta" in str(body.get("provider", "")):
                continue  # the beta provider's resources: not in the google provider's schema
            seen += 1
            problems += provider_schema.violations(section, type_name, body, f"{path.name}: {type_name}.{name}")
    assert seen > 5
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("body, expected", [
    ({"name": '"x"', "location": '"r"', "template": [{"__is_block__": True, "containers": [
        {"__is_block__": True, "image": '"i"'}]}], "bogus": 1}, "unknown argument or block bogus"),
    ({"name": '"x"', "location": '"r"'}, "required block template missing"),
    ({"name": '"x"', "location": '"r"', "ingress": '"ALL"', "template": [{"__is_block__": True}]},
     "ingress = 'ALL' is not one of"),
    ({"name": '"x"', "location": '"r"', "template": [{"__is_block__": True}, {"__is_block__": True}]},
     "template may appear once"),
    ({"name": '"x"', "location": '"r"', "template": {"a": 1}}, "template is a block, written as an argument"),
])
def test_the_checker_rejects_what_the_provider_rejects(body, expected):
    problems = provider_schema.violations("resource", "google_cloud_run_v2_service", body, "t")
    assert any(expected in p for p in problems), problems


def test_an_optional_enum_takes_the_empty_string_a_required_one_does_not():
    """A PSC endpoint is a forwarding rule with load_balancing_scheme = "" (the provider's own example; Magic
    Modules validates an optional enum with its values and ""): the checker rejected it (found by the trial)."""
    rule = {"name": '"psc"', "target": '"t"', "load_balancing_scheme": '""'}
    assert not provider_schema.violations("resource", "google_compute_forwarding_rule", rule, "t")
    assert provider_schema.violations("resource", "google_compute_forwarding_rule",
                                      {**rule, "load_balancing_scheme": '"BOGUS"'}, "t")
    database = {"name": '"(default)"', "location_id": '"r"', "type": '""'}  # type is required
    assert any("type = '' is not one of" in p for p in
               provider_schema.violations("resource", "google_firestore_database", database, "t"))
