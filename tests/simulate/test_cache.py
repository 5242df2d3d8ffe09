"""Memorystore as a capacity limit: the M/M/1/K formulas against textbook values, and two plans whose
refusals and added latency can be worked out by hand."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from archplan.simulate.cache import mm1k

ROOT = Path(__file__).resolve().parents[2]


def test_mm1k_textbook_values():
    # μ = 1, K = 3. ρ = 0.5: P_K = (1 - 0.5) 0.5^3 / (1 - 0.5^4) = 0.0625 / 0.9375 = 0.066667;
    # L = 0.5/0.5 - 4 x 0.0625 / 0.9375 = 0.733333; W = L / (0.5 x (1 - P_K)) = 0.733333 / 0.466667 = 1.571429.
    # ρ = 2: P_K = (1 - 0.5) / (1 - 0.5^4) = 0.533333; L = 2/(1 - 2) + 4 / 0.9375 = 2.266667 (= K - L(1/ρ));
    # W = 2.266667 / (2 x 0.466667) = 2.428571. ρ = 1: P_K = 1/4, L = 3/2, W = 1.5 / 0.75 = 2.
    blocking, sojourn = mm1k(np.array([0.5, 2.0, 1.0, 0.0]), 1.0, 3)
    assert blocking == pytest.approx([0.0625 / 0.9375, 0.5 / 0.9375, 0.25, 0.0], rel=1e-9)
    assert sojourn == pytest.approx([0.733333333 / 0.466666667, 2.266666667 / 0.933333333, 2.0, 1.0], rel=1e-6)
    # K = 65,000 (a Memorystore for Redis node): no overflow; ρ = 2 refuses 1 - 1/ρ = half the commands.
    blocking, sojourn = mm1k(np.array([100.0, 25.0]), 50.0, 65_000)
    assert blocking[0] == pytest.approx(0.5, rel=1e-12) and blocking[1] == 0.0
    assert sojourn[1] == pytest.approx(1 / (50 - 25))  # below capacity: the M/M/1 sojourn 1/(μ - λ)


PLAN = """\
project: {{name: cachecheck, region: us-central1}}
traffic: {{requests_per_month: 262800000}}   # 262,800,000 / 2,628,000 s = 100 requests a second, flat
components:
  api:
    kind: cloud_run
    cpu: 1
    memory: 512Mi
    min_instances: 20
    max_instances: 20
    concurrency: 80
    request_duration_ms: 50
    service_time_distribution: fixed
    startup_ms: 0
    traffic_share: 1
    redis_ops_per_request: {ops}
    depends_on: [cache]
  cache:
    kind: memorystore_redis
    tier: basic
    capacity_gb: 1
    primary_ops_per_second: {capacity}
"""


def simulate(tmp_path, ops, capacity):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN.format(ops=ops, capacity=capacity))
    done = subprocess.run([str(Path(sys.executable).parent / "archplan"), "simulate", str(plan), "--days", "0.01",
                           "--seeds", "2", "--format", "json"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    return next(s for s in data["services"] if s["service"] == "api"), data["caches"][0]


def test_below_capacity_adds_the_queue_wait(tmp_path):
    # 100 requests/s x 2 commands = 200 commands/s against 400/s: ρ = 0.5, nothing refused (P_K = 0.5^65000
    # ... = 0), each command spends 1/(400 - 200) = 5 ms in the node, two of them 10 ms: every request takes
    # its fixed 50 ms + 10 ms = 60 ms (20 warm instances x 80 slots never fill, so nothing waits for one).
    api, cache = simulate(tmp_path, ops=2, capacity=400)
    assert cache["peak_ops_per_second_per_primary"] == pytest.approx(200)
    assert cache["peak_utilisation"] == pytest.approx(0.5) and cache["max_refused_share"] == 0
    assert cache["max_sojourn_ms"] == pytest.approx(5.0)
    assert api["refused_by_redis"] == 0 and api["rejected_429"] == 0
    assert api["latency_ms"]["mean"] == pytest.approx(60.0, rel=1e-9)


def test_over_capacity_refuses_by_hand(tmp_path):
    # 100 commands/s against 50/s: ρ = 2, so P_K = (1 - 1/2) / (1 - 2^-65001) = 1/2 of the requests are
    # refused (429). The admitted ones find the node full: L = 2/(1 - 2) + 65001 = 64,999 commands in it,
    # W = 64,999 / 50 = 1,299.98 s, past Cloud Run's 300 s timeout, so no admitted request is served: each
    # holds its slot until it times out, and once the 20 x 80 slots are all held the rest pend and get 429s.
    api, cache = simulate(tmp_path, ops=1, capacity=50)
    assert cache["max_refused_share"] == pytest.approx(0.5) and cache["minutes_over_capacity"] > 0
    assert cache["max_sojourn_ms"] == pytest.approx(64_999 / 50 * 1000)
    n = api["requests"]  # about 864 s x 100/s = 86,400 a seed
    assert abs(api["refused_by_redis"] - n / 2) < 4 * (n / 4 / 2) ** 0.5  # binomial, 4 sd of the 2-seed mean
    assert api["served"] == 0 and api["timeouts"] > 0
    # Every request is refused, rejected or timed out, but those still pending when the run ends (at most
    # the 10 s pending limit x 100 arrivals a second).
    assert 0 <= n - api["rejected_429"] - api["timeouts"] <= 10 * 100
    assert api["rejected_429"] > api["refused_by_redis"]
