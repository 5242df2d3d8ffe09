"""The HCL expression evaluator and the YAML writer of the importer."""
import yaml
from hypothesis import given, strategies as st

from archplan.importers.hcl.expressions import FAILED, UNKNOWN, Scope, evaluate, evaluate_value
from archplan.importers.write import flow, scalar


def scope(**variables):
    return Scope(variables=variables, locals={"prefix": "app-"})


def test_literals_references_and_operators():
    s = scope(tier="db-g1-small", size=None, n=3, net={"public": True, "psa": None})
    assert evaluate('"${local.prefix}${var.tier}"', s) == "app-db-g1-small"
    assert evaluate("var.size == null ? 10 : var.size", s) == 10
    assert evaluate("var.n * 2 + 1", s) == 7
    assert evaluate("try(var.net.psa.network, null)", s) is None  # attribute of null: try falls back
    assert evaluate("coalesce(var.size, 20)", s) == 20
    assert evaluate("!var.net.public", s) is False
    assert evaluate('can(regex("^POSTGRES", "POSTGRES_16"))', s) is True
    assert evaluate('can(regex("^MYSQL", "POSTGRES_16"))', s) is False


def test_for_expressions():
    s = scope(xs=[1, 2, 3], m={"a": {"r": "x"}, "b": {"r": "y"}})
    assert evaluate("[for x in var.xs : x * 10 if x != 2]", s) == [10, 30]
    assert evaluate('{for k, v in var.m : "${k}-key" => v.r}', s) == {"a-key": "x", "b-key": "y"}
    assert evaluate('{for x in var.xs : (x % 2 == 0 ? "even" : "odd") => x...}', s) == {"odd": [1, 3], "even": [2]}


def test_resource_attributes_are_unknown_and_recorded():
    s = scope()
    assert evaluate("google_sql_database_instance.db.connection_name", s) is UNKNOWN
    assert evaluate('"/cloudsql/${google_sql_database_instance.db.connection_name}"', s) is UNKNOWN
    assert s.references == {"google_sql_database_instance.db"}
    # A conditional on something unknown is unknown, unless both branches agree.
    assert evaluate("google_x.y.id == null ? 1 : 1", s) == 1
    assert evaluate("google_x.y.id == null ? 1 : 2", s) is UNKNOWN


def test_every_reference_is_recorded_past_an_unknown_part():
    """A template stopped at its first unknown part and an object at its first unknown key: the references
    after it were lost (a startup script naming two jobs gave one edge), and the object's rest was not read
    at all (the whole expression failed to parse)."""
    s = scope()
    assert evaluate('"run ${google_cloud_run_v2_job.a.name} then ${google_cloud_run_v2_job.b.name}"', s) is UNKNOWN
    assert s.references == {"google_cloud_run_v2_job.a", "google_cloud_run_v2_job.b"}
    s = scope()
    assert evaluate("{(google_x.key.id) = 1, other = google_y.value.id}", s) is UNKNOWN
    assert s.references == {"google_x.key", "google_y.value"}
    s = scope()
    assert evaluate("path.module", s) is UNKNOWN and s.references == set()  # not a resource


def test_map_keys_that_are_expressions_are_evaluated():
    """python-hcl2 gives a key "${var.p}-java" as written: it stood in for_each keys and addresses verbatim."""
    s = scope(p="x")
    assert evaluate_value({'"${var.p}-java"': 1, "${(var.p)}": 2, "plain": 3}, s) == {"x-java": 1, "x": 2, "plain": 3}
    assert evaluate_value({'"${google_x.y.id}"': 1}, s) is UNKNOWN  # a key not known yet: the map is not known
    assert s.references == {"google_x.y"}


def test_format_substr_and_slice():
    """Registry modules build a database version with format() and substr() ("14" -> POSTGRES_14) and a region
    from a zone with slice(): format was always unknown, substr and slice missing, and the instance was left
    out as if it were SQL Server."""
    s = scope(v="14", full="POSTGRES_15", n=7)
    version = ('can(regex("\\\\d", substr(var.{0}, 0, 1))) ? format("POSTGRES_%s", var.{0}) '
               ': replace(var.{0}, substr(var.{0}, 0, 8), "POSTGRES")')
    assert evaluate(version.format("v"), s) == "POSTGRES_14"
    assert evaluate(version.format("full"), s) == "POSTGRES_15"
    assert evaluate('format("%s-%03d", "db", var.n)', s) == "db-007"
    assert evaluate('format("%.1f%% of %v, %t", 12.34, 3, true)', s) == "12.3% of 3, true"
    assert evaluate('format("%-4s|%4s|", "ab", "cd")', s) == "ab  |  cd|"
    assert evaluate('format("%q", "a\\"b")', s) == '"a\\"b"'
    assert evaluate('format("%x", 255)', s) is UNKNOWN  # a verb not read here: unknown, not a wrong string
    assert evaluate('format("%s %s", "one")', s) is FAILED  # too few arguments: an error in Terraform too
    assert evaluate('substr("hello", -3, 2)', s) == "ll" and evaluate('substr(var.full, 9, -1)', s) == "15"
    assert evaluate('join("-", slice(split("-", "us-east1-b"), 0, 2))', s) == "us-east1"


def test_template_escapes():
    """%%{ is a literal %{ as $${ is a literal ${: it was read as a directive, and the string as unknown."""
    s = scope()
    assert evaluate('"100%%{x} and $${y}"', s) == "100%{x} and ${y}"


def test_range():
    """range() was unknown, so a dynamic block over range(0, var.count) was read as one block (Fabric's compute-vm:
    one local SSD said to be left out on a VM with none)."""
    s = scope(disks={"count": 0})
    assert evaluate("[for i in range(0, var.disks.count) : i]", s) == []
    assert evaluate("range(3)", s) == [0, 1, 2] and evaluate("range(10, 0, -3)", s) == [10, 7, 4, 1]
    assert evaluate("range(2, 1)", s) == [2]  # the step defaults to -1 where the limit is below the start
    assert evaluate("range(1024)", s) == list(range(1024))
    assert evaluate("range(1025)", s) is FAILED and evaluate("range(0, 3, 0)", s) is FAILED  # errors in Terraform


def test_collection_and_string_functions_modules_use():
    """endswith() was unknown, so Fabric's context map (`... if !endswith(k, "_vars")`) and every zone looked up
    in it were unknown: the project region was not found."""
    s = scope(context={"locations": {"ew8": "europe-west8"}, "tag_vars": {}}, zone="europe-west8-b")
    assert evaluate('{for k, v in var.context : k => v if !endswith(k, "_vars")}', s) == \
        {"locations": {"ew8": "europe-west8"}}
    assert evaluate('startswith(var.zone, "europe-") && strcontains(var.zone, "west8")', s) is True
    assert evaluate('[trimspace(" a "), one([]), one(["x"]), sum([1, 2.5]), index(["a", "b"], "b")]', s) == \
        ["a", None, "x", 3.5, 1]
    assert evaluate('[anytrue([false, true]), alltrue([true, false]), alltrue([])]', s) == [True, False, True]
    assert evaluate('[distinct([1, 1, 2]), reverse([1, 2]), sort(["b", "a"]), coalescelist([], ["z"])]', s) == \
        [[1, 2], [2, 1], ["a", "b"], ["z"]]
    assert evaluate('zipmap(["a", "b"], [1, 2])', s) == {"a": 1, "b": 2}
    assert evaluate("one([1, 2])", s) is FAILED and evaluate('zipmap(["a"], [])', s) is FAILED


def test_python_hcl2_values():
    s = scope(p="x")
    assert evaluate_value('"${var.p}-api"', s) == "x-api"
    assert evaluate_value("${var.p}", s) == "x"
    assert evaluate_value({'"q"': 1, "k": '"v"'}, s) == {"q": 1, "k": "v"}
    assert evaluate_value('"<<-EOT\nhello ${var.p} "quoted"\nEOT"', s) == 'hello x "quoted"'


@given(st.text(max_size=60))
def test_any_string_survives_the_yaml_writer(text):
    assert yaml.safe_load(f"key: {scalar(text)}\n")["key"] == text


def test_a_trailing_newline_is_quoted():
    """`$` matches before a final newline: 'A\n' was written bare and read back as 'A' (found by hypothesis)."""
    written = flow(["A\n"])
    assert yaml.safe_load(f"key: {written}\n")["key"] == ["A\n"]


@given(st.recursive(st.one_of(st.text(max_size=20), st.integers(), st.booleans()),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(min_size=1, max_size=8),
                                                                                inner, max_size=3), max_leaves=8))
def test_flow_values_round_trip(value):
    assert yaml.safe_load(f"key: {flow(value)}\n")["key"] == value
