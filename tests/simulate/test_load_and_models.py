"""The load shape, and each kind's model on small plans: GKE's HPA, Pub/Sub backlogs, LLM quotas,
database connection caps."""
from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings, strategies as st

from archplan import catalog
from archplan.plan import resolve
from archplan.simulate import build_options, plan_with, simulate_plan
from archplan.simulate.load import shape, von_mises_k
from archplan.spec.load import load_spec

ROOT = Path(__file__).resolve().parents[2]


class Traffic:
    daily_profile = weekly_profile = None
    peak_hour = 20

    def __init__(self, peak):
        self.peak_to_average = peak


@settings(max_examples=30, deadline=None)
@given(st.floats(min_value=1.0, max_value=200.0))
def test_von_mises_day_has_mean_one_and_the_stated_peak(peak):
    load, _notes = shape(Traffic(peak), 1, ())
    assert load.mean() == pytest.approx(1.0, rel=1e-3)
    assert load.max() == pytest.approx(peak, rel=0.02)  # minute midpoints sample the peak closely


def test_von_mises_k():
    assert von_mises_k(1) == 0
    k = von_mises_k(10)
    assert math.exp(k) / float(np.i0(k)) == pytest.approx(10, rel=1e-9)


def test_spike_multiplies_only_its_window():
    from archplan.simulate.options import parse_spike

    load, notes = shape(Traffic(1), 2, (parse_spike("20x@d2-18:00/2h", "p"),))
    day2 = load[1440:]
    assert np.all(load[:1440] == 1)
    assert np.all(day2[18 * 60:20 * 60] == 20) and day2[20 * 60] == 1 and day2[18 * 60 - 1] == 1
    assert notes[-1] == "spike: 20x day 2, 18:00 for 2h"


def write(tmp_path, plan: dict) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(plan))
    return path


def base_plan(components: dict, **traffic) -> dict:
    return {"project": {"name": "sim", "region": "us-central1"},
            "traffic": {"requests_per_month": 2_628_000 * 5, **traffic}, "components": components}


def summary_of(path: Path, *extra):
    done = subprocess.run([str(Path(sys.executable).parent / "archplan"), "simulate", str(path), "--days", "0.25",
                           "--seeds", "2", "--format", "json", *extra], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_gke_hpa_scales_pods_and_autopilot_bills_them(tmp_path):
    # 5 req/s x 0.5 s = 2.5 busy workers; 1 worker a pod at 70% target: the HPA needs about 4 pods.
    plan = base_plan({"cluster": {"kind": "gke", "mode": "autopilot", "location_type": "regional",
                                  "deployments": [{"name": "web", "replicas": 1, "max_replicas": 10, "cpu": 1,
                                                   "memory": "1Gi", "request_duration_ms": 500, "traffic_share": 1,
                                                   "startup_ms": 5000}]}})
    data = summary_of(write(tmp_path, plan))
    (web,) = data["services"]
    assert web["service"] == "cluster/web"
    assert 3 <= web["instances"]["mean"] <= 6 and web["instances"]["max"] <= 10
    assert any("node_provisioning_s" in a for a in data["assumptions"])
    (cost,) = data["costs"]
    assert cost["component"] == "cluster" and cost["p50_usd"] > cost["cost_usd"]  # more pods than the 1 replica


def test_pubsub_consumer_backlogs_instead_of_rejecting(tmp_path):
    plan = base_plan({"topic": {"kind": "pubsub", "topics": ["t"], "messages_per_request": 1, "avg_message_kib": 1,
                                "depends_on": ["worker"]},
                      "worker": {"kind": "cloud_functions", "cpu": 1, "memory": "512Mi", "max_instances": 1,
                                 "duration_ms": 300, "traffic_share": 1, "trigger": "pubsub",
                                 "trigger_component": "topic", "timeout_seconds": 3600}})
    data = summary_of(write(tmp_path, plan))
    (worker,) = data["services"]
    # 5 messages/s x 0.3 s on one instance of concurrency 1: ρ = 1.5, the backlog grows all run long.
    assert worker["rejected_429"] == 0 and worker["max_backlog"] > 1000


def test_llm_quota_rejects_above_rpm(tmp_path):
    plan = base_plan({"ai": {"kind": "llm", "model": "gemini-2.5-flash", "chats_per_day": 144_000,
                             "per_chat": {"input": 1000, "output": 100}, "quota_requests_per_minute": 90,
                             "latency_ms": 800, "latency_p95_ms": 2000}})
    data = summary_of(write(tmp_path, plan))
    (ai,) = data["quotas"]
    # 100 calls a minute on average against 90 RPM: about 10% rejected (Poisson spreads it a little more).
    assert 0.08 < ai["rejected_share"] < 0.16
    assert ai["latency_ms"]["p95"] == pytest.approx(2000, rel=1e-6)


def test_database_connections_cap_instances():
    spec = load_spec(ROOT / "examples" / "starter.yaml", None, catalog.supported_regions())
    plan = resolve(spec)
    api = next(c for c in plan.components if c.kind == "cloud_run")
    db = next(c for c in plan.components if c.kind == "cloud_sql")
    small = plan_with(plan, api.name, db_pool_size=40, workers_per_instance=1, max_instances=50)
    small = plan_with(small, db.name, max_connections=100)
    summary = simulate_plan(small, build_options(spec.file, days=0.01, seeds=1))
    assert any(f"{api.name}: at most 2 instances can hold database connections" in a for a in summary["assumptions"])


def test_a_shaped_day_bills_fewer_busy_seconds_than_cost_and_says_why(tmp_path):
    """The trial's ingest collector: 50M requests a month of 40 ms, concurrency 100, peak/average 5. `cost`
    bills 2,628,000 s x (1 - e^-L), L = 50M / 2,628,000 s x 0.04 s = 0.76104 -> 1,400,244 busy seconds.
    Over a von Mises day of peak 5 the same formula minute by minute averages 0.29951 -> 787,104 s: the
    simulation finds that (within 1%), not cost's figure, and prints both with the formula."""
    from archplan.components.base import SECONDS_PER_MONTH

    plan = base_plan({"collector": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "min_instances": 0,
                                    "max_instances": 20, "concurrency": 100, "request_duration_ms": 40,
                                    "traffic_share": 1}},
                     requests_per_month=50_000_000, peak_to_average=5)
    path = write(tmp_path, plan)
    load_l = 50_000_000 / 2_628_000 * 0.04
    assert 2_628_000 * (1 - math.exp(-load_l)) == pytest.approx(1_400_244, abs=1)
    k = von_mises_k(5)
    hours = (np.arange(1440) + 0.5) / 60
    day = np.exp(k * np.cos(2 * np.pi * (hours - 20) / 24)) / np.i0(k)
    shaped = 2_628_000 * float(np.mean(1 - np.exp(-load_l * day)))
    assert shaped == pytest.approx(787_104, abs=1)
    done = subprocess.run([str(Path(sys.executable).parent / "archplan"), "simulate", str(path), "--days", "1",
                           "--seeds", "2", "--format", "json"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    (cost,) = json.loads(done.stdout)["costs"]
    assert cost["busy_seconds"]["cost"] == pytest.approx(1_400_244, abs=1)
    assert cost["busy_seconds"]["profile"] == pytest.approx(shaped, rel=1e-6)
    assert cost["busy_seconds"]["simulated_p50"] == pytest.approx(shaped, rel=0.01)
    # priced as cost prices it: 1 vCPU and 0.5 GiB per busy second, after the monthly free tier, plus requests
    unit = {s: catalog.service("cloud_run").price(s, "us-central1").usd
            for s in ("cpu_request_based", "memory_request_based", "requests")}
    def month(busy):
        return (max(busy - 180_000, 0) * float(unit["cpu_request_based"])
                + max(busy * 0.5 - 360_000, 0) * float(unit["memory_request_based"])
                + (50_000_000 - 2_000_000) * float(unit["requests"]))
    assert cost["cost_usd"] == pytest.approx(month(1_400_244), abs=0.01)
    assert cost["profile_usd"] == pytest.approx(month(cost["busy_seconds"]["profile"]), abs=0.01)
    assert cost["p50_usd"] == pytest.approx(cost["profile_usd"], rel=0.01)
    assert "1,400,244 s" in cost["explanation"] and "max(1 - e^-L, L / 100)" in cost["explanation"]
    assert SECONDS_PER_MONTH == 2_628_000


def test_a_shaped_day_with_a_spike_bills_the_spikes_requests(tmp_path):
    """With --spike the simulated day carries more requests than the month's mean, and the shaped month billed
    the busy seconds of that day with `cost`'s requests: a 20x spike for 2 h showed $89 shaped against $200
    simulated on a ticketing plan. Here 10M requests a month of 40 ms, concurrency 100, peak/average 3 and a
    20x spike at 18:00 for 2 h: the day's mean load is the von Mises day's (1) with its 18:00-20:00 minutes
    x20, so the shaped month bills 10M x that mean requests."""
    plan = base_plan({"collector": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "min_instances": 0,
                                    "max_instances": 50, "concurrency": 100, "request_duration_ms": 40,
                                    "traffic_share": 1}},
                     requests_per_month=10_000_000, peak_to_average=3)
    path = write(tmp_path, plan)
    k = von_mises_k(3)
    hours = (np.arange(1440) + 0.5) / 60
    day = np.exp(k * np.cos(2 * np.pi * (hours - 20) / 24)) / np.i0(k)
    day = np.where((hours >= 18) & (hours < 20), day * 20, day)
    more = float(day.mean())
    assert more == pytest.approx(5.3984, abs=1e-4)  # 1 + 19 x (the curve's mean over 18:00-20:00, 2.78) x 2/24
    load_l = 10_000_000 / 2_628_000 * 0.04
    shaped = 2_628_000 * float(np.mean(np.maximum(1 - np.exp(-load_l * day), load_l * day / 100)))
    done = subprocess.run([str(Path(sys.executable).parent / "archplan"), "simulate", str(path), "--days", "1",
                           "--seeds", "2", "--spike", "20x@18:00/2h", "--format", "json"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    (cost,) = json.loads(done.stdout)["costs"]
    assert cost["busy_seconds"]["profile"] == pytest.approx(shaped, rel=1e-6)
    unit = {s: catalog.service("cloud_run").price(s, "us-central1").usd
            for s in ("cpu_request_based", "memory_request_based", "requests")}
    shaped_usd = (max(shaped - 180_000, 0) * float(unit["cpu_request_based"])
                  + max(shaped * 0.5 - 360_000, 0) * float(unit["memory_request_based"])
                  + (10_000_000 * more - 2_000_000) * float(unit["requests"]))
    assert cost["profile_usd"] == pytest.approx(shaped_usd, abs=0.01)
    assert cost["p50_usd"] == pytest.approx(cost["profile_usd"], rel=0.02)
    assert "5.398x the month's mean requests" in cost["explanation"]
