"""missing_usage: usage a plan has no figure for yet (what `archplan import` cannot read from Terraform).
Listed traffic keys price as none instead of failing; every entry is a warning in `cost`; bad entries are one
line; an entry the plan now gives is a warning to remove it."""
import json
import subprocess
import sys
import textwrap

import pytest

from archplan import catalog
from archplan.analysis.cost import cost_report
from archplan.errors import SpecError
from archplan.plan import resolve
from archplan.spec.load import load_spec

PLAN = """\
project:
  name: demo
  region: us-central1
traffic:
  # requests_per_month:
missing_usage:
  - traffic.requests_per_month
  - components.queue.messages_per_month
components:
  api:
    kind: cloud_run
    cpu: 1
    memory: 512Mi
    min_instances: 1
    cpu_allocation: always
    request_duration_ms: 100
    depends_on: [queue]
  queue:
    kind: pubsub
    topics: [orders]
    messages_per_month: 0
    avg_message_kib: 1
"""


def _write(tmp_path, text):
    path = tmp_path / "plan.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def _report(tmp_path, text):
    return cost_report(resolve(load_spec(_write(tmp_path, text), None, catalog.supported_regions())))


def test_listed_traffic_prices_as_none_and_is_named_in_the_warnings(tmp_path):
    plan = resolve(load_spec(_write(tmp_path, PLAN), None, catalog.supported_regions()))
    assert plan.components[0].usage.quantities["requests"] == 0
    report = cost_report(plan)
    assert report.warnings[:2] == [
        "traffic.requests_per_month is not known yet (missing_usage): the usage of api derived from it is priced "
        "as none",
        "components.queue.messages_per_month is not known yet (missing_usage): priced at the placeholder the plan "
        "writes (0)"]
    api = [i for i in report.line_items if i.component == "api"]
    # What Terraform fixes is still priced: one instance, always allocated, 1 vCPU x 730 h x 3600 s.
    cpu = next(i for i in api if "cpu" in i.sku)
    assert cpu.quantity == 1 * 730 * 3600 == 2_628_000
    assert cpu.monthly_usd > 0


def test_without_the_entry_the_missing_traffic_is_still_an_error(tmp_path):
    with pytest.raises(SpecError) as caught:
        _report(tmp_path, PLAN.replace("  - traffic.requests_per_month\n", ""))
    assert "requests_per_month is needed" in str(caught.value) and "\n" not in str(caught.value)


def test_cost_json_and_table_carry_the_warnings(tmp_path):
    path = _write(tmp_path, PLAN)
    run = lambda *a: subprocess.run([sys.executable, "-m", "archplan", *a], capture_output=True, text=True)
    document = json.loads(run("cost", str(path), "--format", "json").stdout)
    assert any(w.startswith("traffic.requests_per_month is not known yet") for w in document["warnings"])
    table = run("cost", str(path)).stdout
    assert "WARNING: components.queue.messages_per_month is not known yet" in table
    assert run("validate", str(path)).returncode == 0


@pytest.mark.parametrize("entry, words", [
    ("traffic.requests", ["missing_usage[0]", "unknown traffic key 'requests'", "requests_per_month"]),
    ("components.apx.cpu", ["missing_usage[0]", "unknown component", "api"]),
    ("components.api.messages_per_month", ["missing_usage[0]", "cloud_run has no field"]),
    ("requests_per_month", ["missing_usage[0]", "expected traffic.<key> or components.<name>.<field>"]),
])
def test_bad_entries_are_one_line(tmp_path, entry, words):
    text = PLAN.replace("  - traffic.requests_per_month\n", f"  - {entry}\n  - traffic.requests_per_month\n")
    with pytest.raises(SpecError) as caught:
        _report(tmp_path, text)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{tmp_path / 'plan.yaml'}:7:")
    for word in words:
        assert word in message, message


def test_an_entry_the_plan_now_gives_is_a_warning(tmp_path):
    text = PLAN.replace("  # requests_per_month:\n", "  requests_per_month: 1000000\n")
    spec = load_spec(_write(tmp_path, text), None, catalog.supported_regions())
    assert spec.missing_usage == ["components.queue.messages_per_month"]
    assert spec.warnings == [f"{tmp_path / 'plan.yaml'}:7: missing_usage[0]: traffic.requests_per_month is given "
                             "now: remove it from missing_usage"]
    plan = resolve(spec)
    assert plan.components[0].usage.quantities["requests"] == 1_000_000
    assert not any(w.startswith("traffic.") for w in cost_report(plan).warnings)


def test_a_load_balancer_without_traffic_names_its_own_key(tmp_path):
    """It has no requests_per_month key: the error names the one it has (data_processed_gb_per_month)."""
    plan = ("project: {name: lbtest, region: us-central1}\ncomponents:\n  lb:\n    kind: load_balancer\n"
            "    depends_on: [files]\n  files: {kind: cloud_storage, location_type: region, storage_gb: 1}\n"
            "  out:\n    kind: network_egress\n")
    with pytest.raises(SpecError) as caught:
        _report(tmp_path, plan)
    lines = [str(error) for error in caught.value.every()]  # every error of the plan, one line each
    assert any("components.lb.data_processed_gb_per_month: data_processed_gb_per_month is needed" in line
               for line in lines)
    assert any("components.out.gb_per_month: gb_per_month is needed" in line for line in lines)
    assert not any("requests_per_month" in line for line in lines)
