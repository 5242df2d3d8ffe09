"""`archplan simulate` from the command line: output, determinism, pictures, and one-line errors."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def archplan(*args, cwd=None):
    return subprocess.run([str(Path(sys.executable).parent / "archplan"), *args], capture_output=True, text=True,
                          cwd=cwd or ROOT)


@pytest.fixture(scope="module")
def anwesha_json():
    done = archplan("simulate", "examples/anwesha.yaml", "--days", "1", "--seeds", "4", "--format", "json")
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_json_summary(anwesha_json):
    data = json.loads(anwesha_json)
    assert data["schema"] == "archplan.simulate/v1"
    backend = next(s for s in data["services"] if s["service"] == "backend")
    # 200 DAU x 40 requests a day = 8,000 a day: the simulated day's mean over seeds is Poisson around it.
    assert abs(backend["requests"] - 8000) < 4 * (8000 / 4) ** 0.5
    # min_instances 1 and a low load: no cold start, one instance all day.
    assert backend["cold_starts"] == 0 and backend["instances"]["min"] == 1
    assert backend["instance_seconds"] == pytest.approx(86400)
    # Exponential service of mean 100 ms with no queueing: p95 = -ln(0.05) x 100 ms = 299.6 ms (6% buckets).
    assert backend["latency_ms"]["p95"] == pytest.approx(299.6, rel=0.06)
    cost = next(c for c in data["costs"] if c["component"] == "backend")
    assert cost["p5_usd"] <= cost["p50_usd"] <= cost["p95_usd"]


def test_same_seed_same_output(anwesha_json):
    again = archplan("simulate", "examples/anwesha.yaml", "--days", "1", "--seeds", "4", "--format", "json")
    assert again.stdout == anwesha_json
    other = archplan("simulate", "examples/anwesha.yaml", "--days", "1", "--seeds", "4", "--format", "json",
                     "--seed", "7")
    assert other.stdout != anwesha_json


def test_spike_raises_load_and_instances():
    done = archplan("simulate", "examples/event-platform.yaml", "--days", "1", "--seeds", "2", "--format", "json",
                    "--service", "api_gateway", "--spike", "50x@18:00/2h")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    (gateway,) = data["services"]
    assert data["spikes"] == ["50x every day, 18:00 for 2h"]
    plain = json.loads(archplan("simulate", "examples/event-platform.yaml", "--days", "1", "--seeds", "2",
                                "--format", "json", "--service", "api_gateway").stdout)["services"][0]
    assert gateway["requests"] > 2 * plain["requests"]
    assert gateway["instances"]["max"] > plain["instances"]["max"]


def test_table_and_pictures(tmp_path):
    done = archplan("simulate", "examples/anwesha.yaml", "--days", "0.5", "--seeds", "2", "--pictures",
                    str(tmp_path / "pics"))
    assert done.returncode == 0, done.stderr
    assert "backend" in done.stdout and "p95 ms" in done.stdout and "Assumptions:" in done.stdout
    names = sorted(p.name for p in (tmp_path / "pics").iterdir())
    assert names == sorted(f"simulate-{w}.{e}" for w in ("latency", "load", "instances", "rejections")
                           for e in ("svg", "png"))
    assert (tmp_path / "pics" / "simulate-load.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in (tmp_path / "pics" / "simulate-load.svg").read_bytes()[:400]


@pytest.mark.parametrize("args, key", [
    (["--spike", "20@18:00/2h"], "--spike"),
    (["--spike", "20x@25:00/2h"], "--spike"),
    (["--spike", "20x@18:00/0h"], "--spike"),
    (["--days", "0"], "--days"),
    (["--days", "-3"], "--days"),
    (["--days", "1e-15"], "--days"),  # no step at all: numba wrote outside a zero-row array (heap corrupted)
    (["--days", "0.000000001", "--resolution", "1d"], "--days"),
    (["--days", "0.5", "--resolution", "1d"], "--days"),
    (["--resolution", "0.5ms"], "--resolution"),
    (["--resolution", "fast"], "--resolution"),
    (["--service", "nosuch"], "--service"),
    (["--seeds", "0"], "--seeds"),
])
def test_bad_input_is_one_line_exit_1(args, key):
    done = archplan("simulate", "examples/anwesha.yaml", *args)
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and f": {key}: " in lines[0] and "Traceback" not in done.stderr, done.stderr


def test_lognormal_without_p95_is_a_plan_error(tmp_path):
    plan = (EXAMPLES / "starter.yaml").read_text().replace("    request_duration_ms: 120\n",
                                                          "    request_duration_ms: 120\n"
                                                          "    service_time_distribution: lognormal\n", 1)
    assert "lognormal" in plan
    path = tmp_path / "plan.yaml"
    path.write_text(plan)
    done = archplan("simulate", str(path), "--days", "1")
    assert done.returncode == 1
    assert "service_time_p95_ms" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def _services(tmp_path, count: int) -> Path:
    """The starter plan with `count` Cloud Run services sharing its traffic."""
    text = (EXAMPLES / "starter.yaml").read_text()
    head = text.split("components:\n")[0]
    body = "".join(f"  api{n}:\n    kind: cloud_run\n    cpu: 1\n    memory: 512Mi\n    min_instances: 0\n"
                   f"    max_instances: 10\n    concurrency: 80\n    request_duration_ms: 120\n"
                   f"    traffic_share: {1 / count:.6f}\n" for n in range(count))
    path = tmp_path / "many.yaml"
    path.write_text(head + "components:\n" + body)
    return path


@pytest.mark.parametrize("args, figures", [
    ([], "2,000 service(s) x 2,592,000 steps x 20 seed(s)"),
    (["--days", "1", "--seeds", "1"], "2,000 service(s) x (720 series bins x 320 latency buckets"),
])
def test_a_run_too_big_to_hold_or_walk_is_refused_up_front(tmp_path, args, figures):
    """2,000 services took 3.9 GB (each holds 720 bins x 320 buckets of latency counts) and, at the defaults,
    hours of engine steps, though few requests: the request bound did not see them. One line now, at once."""
    done = archplan("simulate", str(_services(tmp_path, 2000)), *args)
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and figures in lines[0] and "--service NAME" in lines[0], done.stderr
