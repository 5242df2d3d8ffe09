"""Issue 14: each fault a fuzz run found in loading and validation, with the input that showed it."""
import textwrap

import pytest

from archplan import catalog
from archplan.errors import SpecError
from archplan.plan import resolve
from archplan.spec import names, yamlpos
from archplan.spec.load import load_every_environment, load_spec

BASE = """\
project:
  name: demo
  region: us-central1
components:
  api:
    kind: cloud_run
    cpu: 1
    memory: 512Mi
    request_duration_ms: 100
    requests_per_month: 1000
"""
ENV = BASE.replace("  region: us-central1\n", "  region: us-central1\n  environments:\n    prod:\n{}")


def write(tmp_path, text: str | bytes):
    path = tmp_path / "plan.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def error(tmp_path, text, env=None) -> SpecError:
    path = write(tmp_path, text)
    with pytest.raises(SpecError) as caught:
        resolve(load_spec(path, env, catalog.supported_regions()))
    line = str(caught.value)
    assert "\n" not in line and len(line) <= 293 and line.startswith(str(path))
    return caught.value


def override(text: str) -> str:
    """An environment `prod` whose body is `text` (indented under it)."""
    return ENV.format(textwrap.indent(textwrap.dedent(text), "      "))


# ----- tracebacks -----
def test_recursive_alias(tmp_path):
    err = error(tmp_path, "a: &a [*a]\n")
    assert err.line == 1 and "recursive alias" in err.message


def test_deep_nesting(tmp_path):
    err = error(tmp_path, "x: " + "[" * 500 + "]" * 500 + "\n")
    assert err.line == 1 and f"more than {yamlpos.MAX_DEPTH} levels" in err.message


def test_integer_of_4301_digits(tmp_path):
    err = error(tmp_path, BASE.replace("requests_per_month: 1000", "requests_per_month: " + "9" * 4301))
    assert err.line == 10 and err.key == "components.api.requests_per_month" and "digits" in err.message


@pytest.mark.parametrize("tagged", ["!!float xyz", "!!int abc", "!!bool maybe"])
def test_bad_explicit_tags(tmp_path, tagged):
    err = error(tmp_path, BASE.replace("requests_per_month: 1000", f"requests_per_month: {tagged}"))
    assert err.line == 10 and err.key == "components.api.requests_per_month" and "not a valid" in err.message


def test_a_2000_deep_depends_on_chain_loads(tmp_path):
    lines = ["project: {name: demo, region: us-central1}", "components:"]
    for index in range(2000):
        depends = f", depends_on: [f{index + 1}]" if index < 1999 else ""
        lines.append(f"  f{index}: {{kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 10, "
                     f"requests_per_month: 10{depends}}}")
    plan = resolve(load_spec(write(tmp_path, "\n".join(lines) + "\n"), None, catalog.supported_regions()))
    assert len(plan.components) == 2000


def test_a_cycle_at_the_end_of_a_long_chain_is_named(tmp_path):
    lines = ["project: {name: demo, region: us-central1}", "components:"]
    for index in range(1500):
        lines.append(f"  f{index}: {{kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 10, "
                     f"requests_per_month: 10, depends_on: [f{(index + 1) % 1500}]}}")
    err = error(tmp_path, "\n".join(lines) + "\n")
    assert "dependency cycle: f0 -> f1" in err.message


@pytest.mark.parametrize("value", ["'1e5000'", "'1e999999'", "1e300", ".inf", "'-1e20'"])
def test_huge_magnitudes_are_refused_at_their_line(tmp_path, value):
    err = error(tmp_path, BASE.replace("requests_per_month: 1000", f"requests_per_month: {value}"))
    assert err.line == 10 and err.key == "components.api.requests_per_month"


def test_a_bound_is_reported_at_its_field_with_its_input_even_nested_and_before_whole_model_checks(tmp_path):
    plan = BASE.replace("requests_per_month: 1000", "requests_per_month: 1000\n    depends_on:\n"
                        "      - {name: api2, gib_per_month: 1e20}\n  api2:\n    kind: cloud_run\n    cpu: 1\n"
                        "    memory: 512Mi\n    request_duration_ms: 100\n    requests_per_month: 0.0000000000001\n")
    err = error(tmp_path, plan)
    assert (err.line, err.key) == (12, "components.api.depends_on[0].gib_per_month")
    assert err.message == "too large: more than 10^15, the most archplan accepts (got '1e20')"
    err = error(tmp_path, plan.replace("gib_per_month: 1e20", "gib_per_month: 1"))
    assert (err.line, err.key) == (18, "components.api2.requests_per_month")
    assert err.message == "too small: non-zero but under 10^-12, the least archplan accepts (got 1e-13)"
    # two fields out of bounds: both are reported, in the order written
    err = error(tmp_path, BASE.replace("    request_duration_ms: 100\n    requests_per_month: 1000\n",
                                       "    requests_per_month: '1e40'\n    request_duration_ms: '1e40'\n"))
    assert [(e.line, e.key) for e in err.every()] == [(9, "components.api.requests_per_month"),
                                                       (10, "components.api.request_duration_ms")]


def test_override_with_a_list_as_a_node_pool_name(tmp_path):
    text = """\
    project:
      name: demo
      region: us-central1
      environments:
        prod:
          components:
            gke: {node_pools: [{name: [1, 2]}]}
    components:
      gke:
        kind: gke
        mode: standard
        location_type: zonal
        node_pools: [{name: main, machine_type: e2-standard-4, nodes: 3}]
    """
    err = error(tmp_path, text, "prod")
    assert err.line == 7 and err.key.startswith("project.environments.prod.components.gke.node_pools[0]")
    assert "constrained" not in err.key


def test_empty_topic_name(tmp_path):
    err = error(tmp_path, BASE + "  bus: {kind: pubsub, topics: [''], messages_per_month: 10, avg_message_kib: 1}\n")
    assert err.line == 11 and err.key == "components.bus.topics[0]"


# ----- limits -----
def test_alias_bomb_stops_at_the_alias_limit(tmp_path):
    rows = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for previous, name in zip("abcdef", "bcdefg"):
        rows.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    err = error(tmp_path, "\n".join(rows) + "\n")
    assert "YAML aliases" in err.message


def test_alias_expansion_is_bounded_by_values(tmp_path, monkeypatch):
    monkeypatch.setattr(yamlpos, "MAX_ALIASES", 10**9)
    rows = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for previous, name in zip("abcdefg", "bcdefgh"):
        rows.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    err = error(tmp_path, "\n".join(rows) + "\n")
    assert "values" in err.message


def test_file_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(yamlpos, "MAX_FILE_BYTES", 1000)
    err = error(tmp_path, BASE + "# " + "x" * 1000 + "\n")
    assert "larger than" in err.message


def test_component_count_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(names, "MAX_COMPONENTS", 3)
    text = BASE + "".join(f"  c{i}: {{kind: cloud_logging, ingestion_gb_per_month: 1}}\n" for i in range(3))
    err = error(tmp_path, text)
    assert err.key == "components" and "more than 3 components" in err.message


def test_list_length_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(yamlpos, "MAX_ITEMS", 5)
    err = error(tmp_path, BASE + "  api2: {kind: cloud_run, depends_on: [a, b, c, d, e, f]}\n")
    assert err.line == 11 and "more than 5 entries" in err.message


def test_long_strings_are_refused(tmp_path):
    err = error(tmp_path, BASE + "    description: " + "x" * (yamlpos.MAX_STRING_CHARS + 1) + "\n")
    assert err.line == 11


# ----- locations -----
def test_not_utf8_names_line_and_byte_offset(tmp_path):
    err = error(tmp_path, b"project:\n  name: demo\n  region: \xff\n")
    assert err.line == 3 and "byte offset 32" in err.message and "byte 11 of the line" in err.message


def test_lines_are_counted_in_characters_after_a_rupee_sign(tmp_path):
    text = "# ₹₹₹₹₹₹₹₹₹₹₹₹₹₹₹₹₹₹₹₹₹₹₹₹₹₹₹₹₹₹₹₹₹₹\n# ₹₹₹₹₹₹₹₹₹\n" + BASE + "    description: a\x07b\n"
    err = error(tmp_path, text)
    assert err.line == 13 and "column 19" in err.message


def test_kind_typo_in_an_override_has_its_line_and_a_suggestion(tmp_path):
    err = error(tmp_path, override("components:\n  api: {kind: cloud_rn}\n"))
    assert err.line == 7 and err.key == "project.environments.prod.components.api.kind"
    assert "did you mean 'cloud_run'?" in err.message


def test_kind_typo_names_its_own_line(tmp_path):
    err = error(tmp_path, BASE.replace("    kind: cloud_run\n", "    cpu_typo_first: 1\n    kind: cloud_rn\n"))
    assert err.line == 7 and "did you mean 'cloud_run'?" in err.message


def test_typo_under_environments_lists_the_valid_keys(tmp_path):
    err = error(tmp_path, override("componets: {}\n"))
    assert err.key == "project.environments.prod.componets" and "did you mean 'components'?" in err.message
    err = error(tmp_path, override("zzz: {}\n"))
    assert "valid: components, description, exclude, monthly_budget, traffic" in err.message


def test_typo_in_an_override_names_the_key_as_written(tmp_path):
    err = error(tmp_path, override("components:\n  api: {memroy: 1Gi}\n"))
    assert err.key == "project.environments.prod.components.api.memroy" and err.line == 7
    assert "did you mean 'memory'?" in err.message


def test_cpu_error_shows_the_value_once(tmp_path):
    err = error(tmp_path, BASE.replace("cpu: 1", "cpu: -1"))
    assert err.message.count("-1") == 1


def test_a_huge_error_is_still_short(tmp_path):
    err = error(tmp_path, BASE.replace("memory: 512Mi", "memory: " + "x" * 9000))
    assert len(str(err)) <= 293


# ----- validation gaps -----
def test_overrides_are_validated_without_env(tmp_path):
    err = error(tmp_path, override("components:\n  api: {min_instances: -5}\n"))
    assert err.key == "project.environments.prod.components.api.min_instances"


def test_validate_builds_every_environment(tmp_path):
    path = write(tmp_path, override("components:\n  api: {cpu: 2}\n"))
    specs = load_every_environment(path, catalog.supported_regions())
    assert [s.environment for s in specs] == [None, "prod"]
    assert specs[1].components["api"].cpu == 2


@pytest.mark.parametrize("first,second", [("db", "'db '"), ("api_x", "api-x"), ("Api", "api"), ("api-", "api")])
def test_names_that_collide_after_normalisation(tmp_path, first, second):
    text = BASE + f"  {first}: {{kind: cloud_logging}}\n  {second}: {{kind: cloud_logging}}\n"
    err = error(tmp_path.joinpath(), text.replace("  api:\n", "  web:\n"))
    assert err.line == 12


@pytest.mark.parametrize("name", ["ñ", "é", "a b", "9lives", "x" * 51])
def test_non_ascii_and_odd_component_names(tmp_path, name):
    err = error(tmp_path, BASE + f"  '{name}': {{kind: cloud_logging}}\n")
    assert err.line == 11 and "ASCII letters" in err.message


def test_environment_names_are_checked(tmp_path):
    err = error(tmp_path, ENV.format("      description: x\n").replace("    prod:", "    'pr od':"))
    assert err.line == 5


def test_topics_collide_within_and_across_components(tmp_path):
    bus = "  bus: {kind: pubsub, topics: [%s], messages_per_month: 10, avg_message_kib: 1}\n"
    assert "same generated name" in error(tmp_path, BASE + bus % "a_b, a-b").message
    err = error(tmp_path, BASE + bus % "a" + bus.replace("bus", "bus2") % "A")
    assert err.key == "components.bus2.topics[0]" and err.line == 12


# ----- absurd plans -----
def test_negative_counts_in_an_override(tmp_path):
    text = override("components:\n  cron: {jobs: -3}\n") + "  cron: {kind: cloud_scheduler, jobs: 2}\n"
    assert error(tmp_path, text).key == "project.environments.prod.components.cron.jobs"
    text = override("components:\n  keys: {secrets: -3}\n") + \
        "  keys: {kind: secret_manager, secrets: 2, access_ops_per_month: 10}\n"
    assert error(tmp_path, text).key == "project.environments.prod.components.keys.secrets"


def test_min_above_max_instances_in_an_override(tmp_path):
    err = error(tmp_path, override("components:\n  api: {min_instances: 50, max_instances: 5}\n"))
    assert "min_instances (50) is above max_instances (5)" in err.message and err.line == 7
    assert err.key == "project.environments.prod.components.api"


GKE = """\
  gke:
    kind: gke
    mode: standard
    location_type: zonal
    node_pools: [{name: main, machine_type: e2-standard-4, nodes: 3, min_nodes: 1, max_nodes: 5}]
    deployments: [{name: web, replicas: 2, max_replicas: 4, cpu: 250m, memory: 256Mi}]
"""


@pytest.mark.parametrize("old,new,expected", [
    ("nodes: 3", "nodes: 9", "above max_nodes"), ("nodes: 3", "nodes: 0", "below min_nodes"),
    ("replicas: 2", "replicas: 9", "above max_replicas")])
def test_gke_counts_outside_their_bounds(tmp_path, old, new, expected):
    assert expected in error(tmp_path, BASE + GKE.replace(old, new)).message


def test_one_vcpu_with_32_gib_on_cloud_run(tmp_path):
    assert "needs at least 8 vCPU" in error(tmp_path, BASE.replace("memory: 512Mi", "memory: 32Gi")).message


def test_monthly_users_below_daily_users(tmp_path):
    text = BASE + "traffic: {daily_active_users: 1000, monthly_active_users: 10}\n"
    assert "below daily_active_users" in error(tmp_path, text).message


def test_shared_core_with_ha_is_a_warning(tmp_path):
    path = write(tmp_path, BASE + "  db: {kind: cloud_sql, engine: postgres, tier: db-f1-micro, storage_gb: 10, "
                                  "ha: true}\n")
    spec = load_spec(path, None, catalog.supported_regions())
    assert len(spec.warnings) == 1 and spec.warnings[0].startswith(f"{path}:11: components.db.ha: HA on shared-core")


def test_more_data_than_the_disk_holds_is_a_warning(tmp_path):
    """Found by a trial: an environment shrank storage_gb to 20 and kept data_gb 120 (backups priced on 120 GB
    of a 20 GB disk), with nothing said."""
    path = write(tmp_path, BASE + "  db: {kind: cloud_sql, engine: postgres, tier: db-custom-1-3840, storage_gb: 20, "
                                  "data_gb: 120}\n")
    spec = load_spec(path, None, catalog.supported_regions())
    assert spec.warnings == [f"{path}:11: components.db.data_gb: data_gb 120 is more than the 20 GB disk (storage_gb) "
                             "holds: the disk is priced at 20 GB and the backups at 120 GB; raise storage_gb (or lower "
                             "data_gb)"]


def test_quoted_version_cannot_carry_code(tmp_path):
    text = BASE + '  db: {kind: cloud_sql, engine: postgres, tier: db-f1-micro, storage_gb: 10, version: \'16" }\'}\n'
    assert error(tmp_path, text).key == "components.db.version"


def test_database_names_are_identifiers(tmp_path):
    text = BASE + "  db: {kind: cloud_sql, engine: postgres, tier: db-f1-micro, storage_gb: 10, " \
                  "databases: ['app$(touch x)']}\n"
    assert error(tmp_path, text).key == "components.db.databases[0]"


def test_one_cloud_logging_per_project(tmp_path):
    text = BASE + "  logs: {kind: cloud_logging, ingestion_gb_per_month: 1}\n" \
                  "  logs2: {kind: cloud_logging, ingestion_gb_per_month: 1}\n"
    err = error(tmp_path, text)
    assert err.line == 12 and err.key == "components.logs2" and "first is at line 11" in err.message


def test_a_zero_cost_claim_is_refused_where_it_is_written(tmp_path):
    """Fuzz seed 7 input 231: a cost claim of 0 divided by zero in `check`, naming no line."""
    err = error(tmp_path, BASE + "claims:\n  - {id: c, kind: monthly_cost, value: 0, currency: USD}\n")
    assert err.line == 12 and err.key == "claims[0]"
