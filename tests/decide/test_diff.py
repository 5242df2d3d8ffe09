"""archplan diff: deltas computed by hand from unit prices, gates, bad input."""
from __future__ import annotations

import json
import subprocess
from decimal import Decimal

import pytest

from archplan import catalog
from archplan.cli import main
from tests.decide.helpers import rate, write_plan

DB = {"kind": "cloud_sql", "engine": "postgres", "tier": "db-custom-1-3840", "storage_gb": 20,
      "backups": {"enabled": False}}
REDIS = {"kind": "memorystore_redis", "tier": "basic", "capacity_gb": 1}


def _diff(argv, capsys):
    code = main(["diff", *argv, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def test_two_files_line_by_line(tmp_path, capsys):
    before = write_plan(tmp_path, {"db": DB, "cache": REDIS}, "a.yaml")
    after = write_plan(tmp_path, {"db": {**DB, "tier": "db-custom-2-7680"}, "cache": {**REDIS, "tier": "standard"},
                                  "bucket": {"kind": "cloud_storage", "location_type": "region", "storage_gb": 10}}, "b.yaml")
    code, result = _diff([str(before), str(after)], capsys)
    assert code == 0
    # One more vCPU and 3.75 GB more memory, 730 h each.
    vcpu, memory = rate("cloud_sql", "enterprise_vcpu"), rate("cloud_sql", "enterprise_memory")
    db_delta = 730 * (1 * vcpu + Decimal("3.75") * memory)
    # Redis 1 GB x 730 h at the Standard rate instead of the Basic one.
    cache_delta = 730 * (rate("memorystore_redis", "standard_m1") - rate("memorystore_redis", "basic_m1"))
    by_component = {row["component"]: row for row in result["cost"]["components"]}
    assert by_component["db"]["delta_usd"] == pytest.approx(float(db_delta), abs=1e-6)
    assert by_component["cache"]["delta_usd"] == pytest.approx(float(cache_delta), abs=1e-6)
    assert by_component["cache"]["delta_inr"] == pytest.approx(float(cache_delta * 80), abs=1e-4)
    assert [row["component"] for row in result["components"]["added"]] == ["bucket"]
    changed = {row["component"]: row["settings"] for row in result["components"]["changed"]}
    assert changed["db"] == [{"setting": "tier", "before": "db-custom-1-3840", "after": "db-custom-2-7680"}]
    vcpu_line = next(row for row in result["cost"]["line_items"] if row["sku"] == "enterprise_vcpu")
    assert vcpu_line["before_usd"] == pytest.approx(float(730 * vcpu), abs=1e-6)
    assert vcpu_line["after_usd"] == pytest.approx(float(2 * 730 * vcpu), abs=1e-6)
    # Availability: Redis Standard has an SLA, Basic does not; both are off the path (no entry uses them)
    # unless something depends on them, so the entry list names every root.
    assert result["availability"]["entries"]


def test_environments_and_gates(tmp_path, capsys):
    plan = write_plan(tmp_path, {"db": DB}, project={"environments": {"big": {"components": {"db": {"ha": True}}}}})
    code, result = _diff([str(plan), "--env", "default", "--to", "big", "--fail-if", "cost+10%"], capsys)
    # HA doubles the instance and the storage: +100% > 10%, so the gate fails.
    assert code == 1
    assert result["cost"]["total"]["delta_percent"] == pytest.approx(100.0)
    assert result["gates"]["failed"]
    assert result["availability"]["delta_points"] > 0  # HA has the higher SLA
    code, result = _diff([str(plan), "--env", "big", "--to", "default", "--fail-if", "availability-0.01"], capsys)
    drop = result["availability"]["composite_before_percent"] - result["availability"]["composite_after_percent"]
    assert code == (1 if drop > 0.01 else 0)
    code, _result = _diff([str(plan), "--env", "big", "--to", "default", "--fail-if", "cost+10%"], capsys)
    assert code == 0  # a fall in cost passes a cost gate


def test_markdown_stays_short_and_escapes(tmp_path, capsys):
    before = write_plan(tmp_path, {"db": DB}, "a.yaml")
    after = write_plan(tmp_path, {"db": {**DB, "storage_gb": 21}, "my_cache": REDIS}, "b.yaml")
    assert main(["diff", str(before), str(after), "--format", "md", "--threshold", "50"]) == 0
    text = capsys.readouterr().out
    summary, details = text.split("<details>")
    assert "my\\_cache" in summary  # new component: listed whatever the threshold
    assert "| db |" not in summary  # 1 GB more storage moves db by far less than 50%
    assert "storage\\_gb: 20 → 21" in details
    assert details.rstrip().endswith("</details>")


def test_git_revision(tmp_path, capsys):
    plan = write_plan(tmp_path, {"db": DB})
    git = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t"]
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run([*git, "add", "plan.yaml"], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "one"], cwd=tmp_path, check=True)
    write_plan(tmp_path, {"db": {**DB, "ha": True}})
    code, result = _diff([str(plan), "--rev", "HEAD"], capsys)
    assert code == 0
    assert result["before"].endswith("@HEAD")
    assert result["components"]["changed"][0]["settings"] == [{"setting": "ha", "before": False, "after": True}]


def _committed(tmp_path, content: bytes):
    """A plan committed with `content`, the working file then made a valid plan."""
    plan = tmp_path / "plan.yaml"
    git = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t"]
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    plan.write_bytes(content)
    subprocess.run([*git, "add", "plan.yaml"], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "one"], cwd=tmp_path, check=True)
    write_plan(tmp_path, {"db": DB})
    return plan


def test_a_committed_plan_gets_the_working_files_checks(tmp_path, capsys):
    """`diff --rev` read the committed plan with text=True: a non-UTF-8 one said "the file is outside its git
    repository" (UnicodeDecodeError is a ValueError), a BOM was not stripped, and no 8 MiB limit held."""
    good = write_plan(tmp_path, {"db": DB}).read_bytes()
    plan = _committed(tmp_path, good.replace(b"db:", b"d\xffb:", 1))
    assert main(["diff", str(plan), "--rev", "HEAD"]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "plan.yaml@HEAD" in error and "not UTF-8 text" in error, error
    plan = _committed(tmp_path, b"\xef\xbb\xbf" + good)
    code, result = _diff([str(plan), "--rev", "HEAD"], capsys)
    assert code == 0 and result["components"]["changed"] == []
    plan = _committed(tmp_path, good + b"#" * (8 * 1024 * 1024))
    assert main(["diff", str(plan), "--rev", "HEAD"]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "plan.yaml@HEAD" in error and "larger than 8 MiB" in error, error


@pytest.mark.parametrize("argv, message", [
    (["--env", "nope", "--to", "default"], "no environment 'nope'"),
    (["--rev", "no-such-revision"], "unknown revision"),
])
def test_bad_input_is_one_line(tmp_path, capsys, argv, message):
    plan = write_plan(tmp_path, {"db": DB})
    if "--rev" in argv:
        subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    assert main(["diff", str(plan), *argv]) == 1
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1


def test_a_revision_git_would_read_as_an_option_is_refused(tmp_path, capsys):
    """Found by review: --rev=--output=FILE reached `git show` as an option, and git wrote FILE."""
    plan = write_plan(tmp_path, {"db": DB})
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    target = tmp_path / "written"
    assert main(["diff", str(plan), f"--rev=--output={target}"]) == 2
    assert "not a git revision" in capsys.readouterr().err
    assert not list(tmp_path.glob("written*"))


@pytest.mark.parametrize("threshold", ["nan", "-5", "1e400", "inf"])
def test_a_threshold_out_of_range_is_usage(tmp_path, capsys, threshold):
    """Found by review: nan was blamed on the plan ('a figure in the plan is too large'), -5 and 1e400 passed."""
    plan = write_plan(tmp_path, {"db": DB})
    assert main(["diff", str(plan), str(plan), "--format", "md", "--threshold", threshold]) == 2
    error = capsys.readouterr().err
    assert "--threshold" in error and error.count("\n") == 1


def test_bad_gate_is_usage(tmp_path, capsys):
    plan = write_plan(tmp_path, {"db": DB})
    assert main(["diff", str(plan), str(plan), "--fail-if", "cost-10%"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_a_eur_plan_is_shown_in_eur_and_usd(tmp_path, capsys):
    """A plan in EUR leads with EUR and puts USD next to it, as `cost` does; no INR anywhere."""
    before = write_plan(tmp_path, {"db": DB}, "a.yaml", project={"currency": "EUR"})
    after = write_plan(tmp_path, {"db": {**DB, "tier": "db-custom-2-7680"}}, "b.yaml", project={"currency": "EUR"})
    code, result = _diff([str(before), str(after)], capsys)
    assert code == 0
    eur = catalog.exchange_rate("EUR").per_usd
    # One more vCPU and 3.75 GB more memory, 730 h each, at the catalog's EUR rate.
    db_delta = 730 * (rate("cloud_sql", "enterprise_vcpu") + Decimal("3.75") * rate("cloud_sql", "enterprise_memory"))
    total = result["cost"]["total"]
    assert total["delta_usd"] == pytest.approx(float(db_delta), abs=1e-6)
    assert total["delta_eur"] == pytest.approx(float(db_delta * eur), abs=1e-6)
    assert total["after_eur"] == pytest.approx(total["after_usd"] * float(eur), abs=1e-6)
    assert result["currency"] == "EUR"
    assert result["cost"]["exchange_rate_after"]["currency"] == "EUR"
    assert result["cost"]["exchange_rate_after"]["per_usd"] == pytest.approx(float(eur))
    assert "commit" in result["cost"]["exchange_rate_after"]["source"]
    assert "inr" not in json.dumps(result["cost"]).lower()
    assert main(["diff", str(before), str(after)]) == 0
    table = capsys.readouterr().out
    total_line = next(line for line in table.splitlines() if line.startswith("Total a month"))
    assert total_line.startswith("Total a month: €") and " / +$" in total_line and "₹" not in table
    assert main(["diff", str(before), str(after), "--format", "md"]) == 0
    text = capsys.readouterr().out
    assert "| monthly cost (EUR) |" in text and "| monthly cost (USD) |" in text and "INR" not in text
    # --currency INR: USD and INR, as `cost --currency INR` shows them
    code, result = _diff([str(before), str(after), "--currency", "INR"], capsys)
    assert result["cost"]["total"]["delta_inr"] == pytest.approx(float(db_delta * 80), abs=1e-6)
    # a gate in a currency the result does not carry is converted at each plan's rate: 80 INR per USD
    over = int(db_delta * 80) - 1
    assert main(["diff", str(before), str(after), "--fail-if", f"cost+{over}INR"]) == 1
    assert main(["diff", str(before), str(after), "--fail-if", f"cost+{over + 2}INR"]) == 0


def test_a_plan_compared_with_itself_has_no_differences(tmp_path, capsys):
    plan = write_plan(tmp_path, {"db": DB})
    code, result = _diff([str(plan), str(plan)], capsys)
    assert code == 0
    assert result["identical"] is True
    assert result["cost"]["total"]["delta_usd"] == 0 and result["cost"]["total"]["delta_inr"] == 0
    assert result["cost"]["line_items"] == [] and result["components"]["changed"] == []
    assert main(["diff", str(plan), str(plan)]) == 0
    assert "No differences" in capsys.readouterr().out
    assert main(["diff", str(plan), str(plan), "--format", "md"]) == 0
    assert "No differences." in capsys.readouterr().out
    code, result = _diff([str(before := plan), str(write_plan(tmp_path, {"db": {**DB, "storage_gb": 21}}, "b.yaml"))],
                         capsys)
    assert result["identical"] is False
    # only one side named: still nothing to compare (usage, exit 2)
    assert main(["diff", str(before)]) == 2
    assert "nothing to compare" in capsys.readouterr().err


def test_an_added_dependency_or_node_pool_is_one_row(tmp_path, capsys):
    # an edge or a node pool one side lacks was a row per field with its defaults (depends_on[db].access:
    # (unset) -> read-write, ...critical: (unset) -> true), as if the plan had set them
    api = {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 50, "requests_per_month": 1000}
    gke = {"kind": "gke", "mode": "standard", "location_type": "zonal",
           "node_pools": [{"name": "main", "machine_type": "e2-standard-2", "nodes": 1}]}
    before = write_plan(tmp_path, {"db": DB, "api": api, "gke": gke}, "a.yaml")
    pools = [*gke["node_pools"], {"name": "batch", "machine_type": "e2-standard-4", "nodes": 2, "spot": True}]
    after = write_plan(tmp_path, {"db": DB, "api": {**api, "depends_on": [{"name": "db", "protocol": "Postgres"}]},
                                  "gke": {**gke, "node_pools": pools}}, "b.yaml")
    code, result = _diff([str(before), str(after)], capsys)
    assert code == 0
    changed = {row["component"]: row["settings"] for row in result["components"]["changed"]}
    assert changed["api"] == [{"setting": "depends_on[db]", "before": None, "after": "db"}]
    assert changed["gke"] == [{"setting": "node_pools[batch]", "before": None, "after": "batch"}]
    # a setting of an item both sides have is still its own row
    after.write_text(after.read_text().replace("nodes: 2", "nodes: 3"))
    before.write_text(after.read_text().replace("nodes: 3", "nodes: 2"))
    code, result = _diff([str(before), str(after)], capsys)
    assert [row["settings"] for row in result["components"]["changed"]] == [
        [{"setting": "node_pools[batch].nodes", "before": 2, "after": 3}]]


def test_the_plans_own_settings_are_listed(tmp_path, capsys):
    """A change outside the components (traffic, SLO, budget) is a row of its own; a stricter latency target
    that moves no figure and raises no finding was 'No differences'."""
    api = {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 50, "traffic_share": 1}
    traffic = {"daily_active_users": 1000, "requests_per_user_per_day": 10, "peak_to_average": 2}
    before = write_plan(tmp_path, {"api": api}, "a.yaml", traffic=traffic, slo={"latency_p95_ms": 400},
                        project={"monthly_budget": {"amount": 5000, "currency": "INR"}})
    after = write_plan(tmp_path, {"api": api}, "b.yaml", traffic=traffic, slo={"latency_p95_ms": 390},
                       project={"monthly_budget": {"amount": 4000, "currency": "INR"}})
    code, result = _diff([str(before), str(after)], capsys)
    assert code == 0
    assert result["identical"] is False
    assert result["settings"] == [
        {"setting": "project.monthly_budget.amount", "before": "5000", "after": "4000"},
        {"setting": "slo.latency_p95_ms", "before": "400", "after": "390"}]
    assert main(["diff", str(before), str(after)]) == 0
    table = capsys.readouterr().out
    assert "No differences" not in table and "~ slo.latency_p95_ms: 400 -> 390" in table
    # traffic: 1,000 -> 2,000 users a day is named beside the lines it moves
    after = write_plan(tmp_path, {"api": api}, "c.yaml", traffic={**traffic, "daily_active_users": 2000},
                       slo={"latency_p95_ms": 400}, project={"monthly_budget": {"amount": 5000, "currency": "INR"}})
    code, result = _diff([str(before), str(after)], capsys)
    assert result["settings"] == [{"setting": "traffic.daily_active_users", "before": "1000", "after": "2000"}]
    assert main(["diff", str(before), str(after), "--format", "md"]) == 0
    assert "traffic.daily\\_active\\_users: 1000 → 2000" in capsys.readouterr().out


def test_markdown_code_spans_are_not_backslash_escaped(tmp_path, capsys):
    """Markdown escapes nothing inside backticks: a plan file named my_plan.yaml in environment [prod] was headed
    `my\\_plan.yaml \\[prod\\]`, and an added component my_cache `my\\_cache`, backslashes shown."""
    before = write_plan(tmp_path, {"db": DB}, "my_plan.yaml")
    after = write_plan(tmp_path, {"db": DB, "my_cache": REDIS}, "my_plan_b.yaml")
    assert main(["diff", str(before), str(after), "--format", "md"]) == 0
    text = capsys.readouterr().out
    heading = text.splitlines()[0]
    assert heading == f"### archplan diff: `{before}` → `{after}`" and "\\" not in heading
    assert "- added `my_cache` (memorystore_redis)" in text
    assert "my\\_cache" in text.split("<details>")[0]  # a table cell, where the escape is needed


def test_code_span_fences_any_backticks():
    from archplan.render.markdown_text import code

    assert code("a_b [x]") == "`a_b [x]`"
    assert code("a `b` c") == "``a `b` c``"
    assert code("``x") == "``` ``x ```"
    assert code("two\nlines") == "`two lines`"


def test_a_changed_line_names_its_before_and_after(tmp_path, capsys):
    """A changed line item was labelled with the after side's description only, so the before figure stood
    beside the after tier: 'db-custom-2-7680 2 vCPU ... $36.17 -> $72.34' read as if 2 vCPU had cost $36.17."""
    before = write_plan(tmp_path, {"db": DB}, "a.yaml")
    after = write_plan(tmp_path, {"db": {**DB, "tier": "db-custom-2-7680"}}, "b.yaml")
    assert main(["diff", str(before), str(after)]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if "[enterprise_vcpu]" in line)
    assert "db-custom-1-3840 1 vCPU" in row and "-> primary: db-custom-2-7680 2 vCPU" in row
    # 730 h x 1 vCPU -> 730 h x 2 vCPU at the Enterprise vCPU rate
    vcpu = rate("cloud_sql", "enterprise_vcpu")
    assert f"${730 * vcpu:,.2f} -> ${2 * 730 * vcpu:,.2f}" in row
    assert main(["diff", str(before), str(after), "--format", "md"]) == 0
    assert "db-custom-1-3840 1 vCPU, zonal → primary: db-custom-2-7680 2 vCPU" in capsys.readouterr().out


def test_the_contingencys_share_of_the_change_is_a_row(tmp_path, capsys):
    # found by the trial's saas.yaml: the total moved by -$1,382.28 and its one changed component by -$1,256.62;
    # the other -$125.66 was the 10% contingency on it, shown nowhere
    before = write_plan(tmp_path, {"db": DB}, "a.yaml", project={"contingency_percent": 10})
    after = write_plan(tmp_path, {"db": {**DB, "tier": "db-custom-2-7680"}}, "b.yaml",
                       project={"contingency_percent": 10})
    assert main(["diff", str(before), str(after)]) == 0
    text = capsys.readouterr().out
    _code, result = _diff([str(before), str(after)], capsys)
    db = Decimal(str(result["cost"]["components"][0]["delta_usd"]))
    contingency = Decimal(str(result["cost"]["contingency"]["delta_usd"]))
    assert abs(contingency - db / 10) <= Decimal("0.01")
    assert "(contingency)" in text and f"+${contingency:,.2f}" in text


def test_a_change_shown_is_the_difference_of_the_totals_shown(tmp_path, capsys):
    """Found by review: '€247.04 -> €264.03 (+€16.98)' — the change was the unrounded difference, a cent off
    the two totals printed beside it. It is now their difference as shown, in every currency."""
    import re

    for tier in ("db-custom-2-7680", "db-custom-4-15360", "db-custom-1-3840"):
        before = write_plan(tmp_path, {"db": DB}, "a.yaml", project={"currency": "EUR"})
        after = write_plan(tmp_path, {"db": {**DB, "tier": tier, "storage_gb": 33}}, "b.yaml",
                           project={"currency": "EUR"})
        assert main(["diff", str(before), str(after)]) == 0
        text = capsys.readouterr().out
        line = next(line for line in text.splitlines() if "->" in line and "€" in line)
        a, b, change = (Decimal(x.replace(",", "")) for x in re.findall(r"[+-]?€([0-9,]+\.[0-9]{2})", line)[:3])
        sign = -1 if "(-€" in line else 1
        assert sign * change == b - a, line


def test_the_capacity_line_takes_each_sides_figures_from_that_side(tmp_path, capsys):
    """The line read 'needs 10 at 3703.70 req/s; cap 10 -> 100 (headroom 9 -> 90)': the after plan's need
    beside the before plan's cap and headroom (which was 10 - 1)."""
    api = {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "min_instances": 1, "max_instances": 10,
           "concurrency": 80, "request_duration_ms": 120}
    traffic = {"requests_per_month": 2_400_000, "peak_to_average": 4}
    before = write_plan(tmp_path, {"api": api}, "a.yaml", traffic=traffic)
    after = write_plan(tmp_path, {"api": {**api, "max_instances": 100}}, "b.yaml",
                       traffic={**traffic, "requests_per_month": 2_400_000_000})
    code, result = _diff([str(before), str(after)], capsys)
    row = result["capacity"]["services"][0]
    assert row["headroom_before"] == row["max_instances_before"] - row["instances_needed_before"] == 10 - 1
    assert row["headroom_after"] == row["max_instances_after"] - row["instances_needed"] == 100 - 10
    assert row["peak_rps_before"] * 1000 == pytest.approx(row["peak_rps"])
    assert main(["diff", str(before), str(after)]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("  api ") and " needs " in line)
    assert line.split(None, 1)[1] == (f"needs 1 -> 10 at {row['peak_rps_before']:.2f} -> {row['peak_rps']:.2f} req/s; "
                                      "cap 10 -> 100 (headroom 9 -> 90)")
    same_load = write_plan(tmp_path, {"api": {**api, "max_instances": 20}}, "c.yaml", traffic=traffic)
    assert main(["diff", str(before), str(same_load)]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("  api ") and " needs " in line)
    assert line.split(None, 1)[1] == f"needs 1 at {row['peak_rps_before']:.2f} req/s; cap 10 -> 20 (headroom 9 -> 19)"
