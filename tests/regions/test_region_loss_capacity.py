"""An active-active load balancer losing a region: the backends left must carry the whole peak load. Figures
computed by hand with check's capacity model (instances = ceil(peak x service time / (concurrency x target))),
so a backend's scaling cap carries max_instances x concurrency x target / service time requests a second."""
import pytest

from archplan import catalog
from archplan.check import run as run_checks
from archplan.check.regions import region_losses
from archplan.plan import resolve
from archplan.spec.load import load_spec

# 259,200,000 requests / 2,628,000 s (730 h) = 98.6301 req/s on average, x 2 at peak = 197.2603 req/s through
# the balancer; active-active over two regions: 98.6301 req/s at peak for each backend
PLAN = """\
project: {name: aa, region: europe-west1}
traffic: {requests_per_month: 259200000, peak_to_average: 2, avg_request_kib: 1, avg_response_kib: 10}
checks: {target_utilization: 0.6}
components:
  api-a: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 500, concurrency: 10, max_instances: %(a)s,
          min_instances: 1}
  api-b: {kind: cloud_run, region: europe-west4, cpu: 1, memory: 512Mi, request_duration_ms: 500, concurrency: 10,
          max_instances: 20, min_instances: 1}
%(extra)s  lb: {kind: load_balancer, failover: %(mode)s, depends_on: [%(backends)s]}
%(claims)s"""
PEAK = 259_200_000 / 2_628_000 * 2


def _plan(tmp_path, a=10, extra="", mode="active-active", backends="api-a, api-b", claims=""):
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN % {"a": a, "extra": extra, "mode": mode, "backends": backends, "claims": claims},
                    encoding="utf-8")
    return resolve(load_spec(path, None, catalog.supported_regions()))


def _finding(plan, code):
    return [f for f in run_checks(plan).findings if f.id == code]


def test_losing_the_bigger_region_leaves_too_little(tmp_path):
    plan = _plan(tmp_path)
    losses = {loss.lost: loss for loss in region_losses(plan)}
    assert set(losses) == {"europe-west1", "europe-west4"}
    west4 = losses["europe-west4"]
    assert west4.load_rps == pytest.approx(PEAK)  # 197.2603: both backends' peak, 98.6301 each
    # api-a alone: 10 max instances x 10 at once x 0.6 / 0.5 s = 120 req/s < 197.26
    assert west4.capacity_rps == pytest.approx(120.0) and west4.short
    assert west4.served_percent == pytest.approx(120.0 / PEAK * 100)  # 60.83%
    # api-b alone: 20 x 10 x 0.6 / 0.5 = 240 req/s >= 197.26
    west1 = losses["europe-west1"]
    assert west1.capacity_rps == pytest.approx(240.0) and not west1.short

    [finding] = _finding(plan, "CAP-012")
    assert finding.severity == "warning" and finding.component == "lb"  # no region-outage claim
    assert "api-a 98.6 + api-b 98.6 = 197.3 req/s" in finding.detail
    assert "10 max instances x 10 at once x 0.6 target / 0.5 s = 120.0 req/s" in finding.detail
    assert "120.0 < 197.3 req/s: 77.3 req/s at peak (39%)" in finding.detail
    # ceil(197.2603 x 0.5 / (10 x 0.6)) = ceil(16.44) = 17
    assert "max_instances of api-a to at least 17" in finding.fix

    table = {row.scenario: row for row in run_checks(plan).availability.scenarios}
    outage = table["region outage"]
    assert outage.peak_served_percent == pytest.approx(120.0 / PEAK * 100)
    assert "lb: without europe-west4 the backends left carry 120.0 of the peak 197.3 req/s (61% served)" in outage.basis
    assert table["zone outage"].peak_served_percent is None


@pytest.mark.parametrize("a, short", [(16, True), (17, False)])  # 16 x 10 x 0.6 / 0.5 = 192; 17: 204 req/s
def test_the_fix_is_the_threshold(tmp_path, a, short):
    plan = _plan(tmp_path, a=a)
    west4 = next(loss for loss in region_losses(plan) if loss.lost == "europe-west4")
    assert west4.capacity_rps == pytest.approx(a * 10 * 0.6 / 0.5)
    assert west4.short is short
    assert bool(_finding(plan, "CAP-012")) is short
    outage = next(r for r in run_checks(plan).availability.scenarios if r.scenario == "region outage")
    assert outage.peak_served_percent == pytest.approx(100.0 if not short else 192.0 / PEAK * 100)
    if not short:  # the least left is without europe-west4: 204 req/s
        assert "without any one region the backends left carry the peak 197.3 req/s (least left: 204.0" \
            in outage.basis


def test_a_region_outage_claim_makes_it_an_error(tmp_path):
    claims = "claims:\n  - {id: dr-rto, kind: rto_minutes, value: 60, scenario: region outage}\n"
    [finding] = _finding(_plan(tmp_path, claims=claims), "CAP-012")
    assert finding.severity == "error" and "claim dr-rto promises recovery from a region outage" in finding.detail


def test_three_regions_share_the_lost_one(tmp_path):
    extra = ("  api-c: {kind: cloud_run, region: europe-west3, cpu: 1, memory: 512Mi, request_duration_ms: 500,\n"
             "          concurrency: 10, max_instances: 10, min_instances: 1}\n")
    plan = _plan(tmp_path, extra=extra, backends="api-a, api-b, api-c")
    losses = {loss.lost: loss for loss in region_losses(plan)}
    # a third each: 3 x 65.75 = 197.26 req/s at peak, whichever region is lost
    assert all(loss.load_rps == pytest.approx(PEAK) for loss in losses.values())
    # caps: api-a 120, api-b 240, api-c 120 req/s
    assert losses["europe-west4"].capacity_rps == pytest.approx(240.0)  # api-a + api-c
    assert losses["europe-west1"].capacity_rps == pytest.approx(360.0)
    assert losses["europe-west3"].capacity_rps == pytest.approx(360.0)
    assert not any(loss.short for loss in losses.values()) and not _finding(plan, "CAP-012")


def test_active_passive_is_not_checked_here(tmp_path):
    # its standby is already sized for the whole load (capacity's standby rows)
    plan = _plan(tmp_path, mode="active-passive")
    assert region_losses(plan) == [] and not _finding(plan, "CAP-012")


def test_single_region_plan_has_no_region_loss(tmp_path):
    text = (PLAN % {"a": 10, "extra": "", "mode": "active-active", "backends": "api-a, api-b", "claims": ""}) \
        .replace("region: europe-west4, ", "").replace("failover: active-active, ", "")
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    plan = resolve(load_spec(path, None, catalog.supported_regions()))
    assert region_losses(plan) == [] and not _finding(plan, "CAP-012")


def test_the_balancer_recovery_row_says_it_is_short(tmp_path):
    report = run_checks(_plan(tmp_path))
    [row] = [r for r in report.availability.recovery if r.component == "lb" and r.scenario == "region outage"]
    assert row.basis.endswith("but without europe-west4 its backends left carry only 120.0 of the peak 197.3 req/s "
                              "(CAP-012)")


def test_json_carries_the_share_of_the_peak_served(tmp_path):
    import json

    from archplan.render.check_json import render

    data = json.loads(render(run_checks(_plan(tmp_path))))
    outage = next(s for s in data["availability"]["failure_scenarios"] if s["scenario"] == "region outage")
    assert outage["peak_served_percent"] == round(120.0 / PEAK * 100, 1) == 60.8
    assert "peak_served_percent" not in data["availability"]["failure_scenarios"][0]  # zone outage: not asked
