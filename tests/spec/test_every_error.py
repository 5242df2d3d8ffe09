"""Every spec error of a plan is found in one run. By default a command shows one line: the first error (by
line) and how many more there are; `archplan validate --all-errors` shows each on its own line, sorted by line,
as `terraform validate` does (found by the trial: a plan missing three keys took three runs to fix)."""
import subprocess
import sys

from archplan.errors import MAX_LINE_CHARS, MAX_REPORTED_ERRORS, SpecError, SpecErrors

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


def validate(path, *flags):
    return subprocess.run([sys.executable, "-m", "archplan", "validate", *flags, str(path)], capture_output=True,
                          text=True)


def test_by_default_one_line_names_the_first_error_and_counts_the_others(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN)
    for command in ("validate", "cost", "check", "generate"):
        argv = [sys.executable, "-m", "archplan", command, str(path)]
        if command == "generate":
            argv += ["-o", str(tmp_path / "out")]
        result = subprocess.run(argv, capture_output=True, text=True)
        assert result.returncode == 1 and result.stdout == "", command
        assert result.stderr.splitlines() == [
            f"error: {path}:5: components.api.request_duration_ms: required key is missing: mean time to serve one "
            "request [and 3 more errors: archplan validate --all-errors lists them]"], command
    assert not (tmp_path / "out").exists()


def test_a_long_first_error_is_shortened_to_keep_the_count_on_one_short_line():
    errors = SpecErrors([SpecError("a long message " * 30, "plan.yaml", 3, "components.api.cpu"),
                         SpecError("short", "plan.yaml", 7, "components.db.tier")])
    line, = errors.lines()
    assert len(line) <= MAX_LINE_CHARS
    assert line.startswith("plan.yaml:3: components.api.cpu: a long message a long")
    assert line.endswith("... [and 1 more error: archplan validate --all-errors lists them]")
    assert errors.lines(every=True) == [str(errors.errors[0]), "plan.yaml:7: components.db.tier: short"]


def test_a_plan_missing_three_keys_is_told_all_three_at_once(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN)
    result = validate(path, "--all-errors")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"error: {path}:5: components.api.request_duration_ms: required key is missing: mean time to serve one "
        "request",
        f"error: {path}:8: components.api.memroy: unknown key; did you mean 'memory'?",
        f"error: {path}:9: components.db.storage_gb: required key is missing: provisioned storage",
        f"error: {path}:13: components.cache.capacity_gb: required key is missing: instance memory, GB (1-300), "
        "priced by its capacity band",
    ]  # the misspelt `memory` is said once, as the unknown key (not again as a missing one)


def test_an_error_in_the_plan_is_said_once_though_every_environment_has_it(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN.replace("  region: us-central1\n", "  region: us-central1\n  environments:\n"
                                 "    dev: {}\n    prod: {}\n"))
    lines = validate(path, "--all-errors").stderr.splitlines()
    assert len(lines) == 4 and len(set(lines)) == 4


def test_an_environment_that_overrides_a_wrong_component_does_not_take_its_error(tmp_path):
    """AlloyDB storage without a stated price is the component's error; staging and a phase override other
    keys of it. The first line named staging's override (line 6, above the component) with the component's
    message, where storage_gb is not (found by a trial); an environment's own error is still its own."""
    path = tmp_path / "plan.yaml"
    plan = """\
project:
  name: demo
  region: asia-south1
  environments:
    staging:
      components: {ledger: {ha: false}, api: {min_instances: -1}}
traffic: {daily_active_users: 100}
components:
  api: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 50}
  ledger:
    kind: alloydb
    storage_price_source: a quote
phases:
  - {name: big, min_users: 0, components: {ledger: {machine_type: n2-highmem-4}}}
"""
    path.write_text(plan)
    lines = validate(path, "--all-errors").stderr.splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"error: {path}:6: project.environments.staging.components.api.min_instances: ")
    assert lines[1].startswith(f"error: {path}:10: components.ledger: storage_price_source names the source")


def test_many_errors_are_capped_with_a_located_count_of_the_rest(tmp_path):
    count = MAX_REPORTED_ERRORS + 7
    body = "".join(f"  api{i}: {{kind: cloud_run, cpu: 1, memory: 512Mi, requests_per_month: 10}}\n"
                   for i in range(count))
    path = tmp_path / "plan.yaml"
    path.write_text("project: {name: demo, region: us-central1}\ncomponents:\n" + body)
    result = validate(path, "--all-errors")
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
    lines = validate(path, "--all-errors").stderr.splitlines()
    assert [line.split(": ")[2] for line in lines] == [
        "components.a.depends_on[0]", "components.a.region", "components.b.depends_on[0]"], lines
    assert "unknown component; " in lines[0] and "unknown or unsupported region 'mars-1'" in lines[1]
    assert lines[2].endswith("a component cannot depend on itself")


def test_a_whole_component_check_failing_as_written_is_not_blamed_on_an_environment_that_overrides_it(tmp_path):
    """dev overrides the dataset's storage only; its location, as written, is unknown. The error was reported
    twice, first (by line) at dev's override, which is not at fault (found by the trial)."""
    path = tmp_path / "plan.yaml"
    path.write_text("""\
project:
  name: demo
  region: europe-west3
  environments:
    dev: {components: {warehouse: {active_storage_gb: 10}}}
components:
  warehouse: {kind: bigquery, location: mars, active_storage_gb: 400, query_tib_per_month: 6}
""")
    result = validate(path, "--all-errors")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {path}:7: components.warehouse: unknown location "
                                                   "'mars'; a region"), result.stderr
    # an override that causes the fault is still placed at the override
    path.write_text(path.read_text().replace("location: mars", "location: eu").replace("active_storage_gb: 10}",
                                                                                       "location: venus}"))
    result = validate(path, "--all-errors")
    assert len(result.stderr.splitlines()) == 1 and f"{path}:5: project.environments.dev.components.warehouse: " \
        "unknown location 'venus'" in result.stderr, result.stderr
