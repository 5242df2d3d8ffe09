"""Every spec error of a plan is reported in one run, one line each, sorted by line, as `terraform validate`
does (found by the trial: a plan missing three keys took three runs to fix)."""
import subprocess
import sys

from archplan.errors import MAX_REPORTED_ERRORS

PLAN = """\
project:
  name: demo
  region: us-central1
components:
  api:
    kind: cloud_run
    cpu: 1
    memroy: 512Mi
  db:
    kind: cloud_sql
    engine: postgres
    tier: db-custom-2-7680
  cache:
    kind: memorystore_redis
    tier: standard
"""


def validate(path):
    return subprocess.run([sys.executable, "-m", "archplan", "validate", str(path)], capture_output=True, text=True)


def test_a_plan_missing_three_keys_is_told_all_three_at_once(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN)
    result = validate(path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"error: {path}:5: components.api.request_duration_ms: required key is missing: mean time to serve one "
        "request",
        f"error: {path}:8: components.api.memroy: unknown key; did you mean 'memory'?",
        f"error: {path}:9: components.db.storage_gb: required key is missing: provisioned storage",
        f"error: {path}:13: components.cache.capacity_gb: required key is missing",
    ]  # the misspelt `memory` is said once, as the unknown key (not again as a missing one)


def test_an_error_in_the_plan_is_said_once_though_every_environment_has_it(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN.replace("  region: us-central1\n", "  region: us-central1\n  environments:\n"
                                 "    dev: {}\n    prod: {}\n"))
    lines = validate(path).stderr.splitlines()
    assert len(lines) == 4 and len(set(lines)) == 4


def test_many_errors_are_capped_with_a_located_count_of_the_rest(tmp_path):
    count = MAX_REPORTED_ERRORS + 7
    body = "".join(f"  api{i}: {{kind: cloud_run, cpu: 1, memory: 512Mi, requests_per_month: 10}}\n"
                   for i in range(count))
    path = tmp_path / "plan.yaml"
    path.write_text("project: {name: demo, region: us-central1}\ncomponents:\n" + body)
    result = validate(path)
    lines = result.stderr.splitlines()
    assert result.returncode == 1 and len(lines) == MAX_REPORTED_ERRORS + 1
    assert all(len(line) <= 300 for line in lines)
    assert lines[0] == (f"error: {path}:3: components.api0.request_duration_ms: required key is missing: "
                        "mean time to serve one request")
    first_left = 3 + MAX_REPORTED_ERRORS
    assert lines[-1] == (f"error: {path}:{first_left}: and 7 more errors, from here to line {2 + count}; "
                         "fix those above and run again")


def test_component_checks_after_the_schema_are_all_reported_too(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text("project: {name: demo, region: us-central1}\ncomponents:\n"
                    "  a: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 10, requests_per_month: 10,"
                    " depends_on: [nope], region: mars-1}\n"
                    "  b: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 10, requests_per_month: 10,"
                    " depends_on: [b]}\n")
    lines = validate(path).stderr.splitlines()
    assert [line.split(": ")[2] for line in lines] == [
        "components.a.depends_on[0]", "components.a.region", "components.b.depends_on[0]"], lines
    assert "unknown component; " in lines[0] and "unknown or unsupported region 'mars-1'" in lines[1]
    assert lines[2].endswith("a component cannot depend on itself")
