"""Speed of `archplan simulate`: prints medians and their ratio to the goals.

  python benchmarks/simulate.py [--runs N] [--skip-simfaas]

1. One Cloud Run service, 30 simulated days at 1 s resolution, one seed.  Goal: under 1 s.
2. Each example whole (every service, 30 days, 20 seeds; load, resolve, simulate, summarise).  Goal: under 10 s.
3. SimFaaS's published scenario (λ = 0.9/s, warm 1.991 s, cold 2.244 s, idle expiry 600 s, 10^6 s), archplan's
   engine against SimFaaS itself (pip package `simfaas`, installed into benchmarks/.venv-simfaas on first
   use), side by side.  Goal: archplan at least 50x faster.
The numba functions are compiled (or loaded from their cache) once before timing; that time is printed too.
Machines are shared and noisy, so this is a script, not a test.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402

SIMFAAS_VENV = ROOT / "benchmarks" / ".venv-simfaas"
SIMFAAS_SCRIPT = """
import time
from simfaas.ServerlessSimulator import ServerlessSimulator
started = time.process_time()
sim = ServerlessSimulator(arrival_rate=0.9, warm_service_rate=1 / 1.991, cold_service_rate=1 / 2.244,
                          expiration_threshold=600, max_time=1e6)
sim.generate_trace(debug_print=False, progress=False)
elapsed = time.process_time() - started
print(elapsed, sim.get_cold_start_prob(), sim.get_average_server_count())
"""


def median_time(function, runs: int) -> float:
    """Median CPU seconds of this process (all threads): on a shared machine wall time mostly measures
    the other users; both are printed."""
    times, walls = [], []
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        function()
        times.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - started)
    median_time.wall = statistics.median(walls)
    return statistics.median(times)


def simfaas_params():
    from archplan.simulate import engine as E
    from archplan.simulate.model import _params

    params = _params(rate_step=1e6, dist=E.EXPONENTIAL, mean=1.991, startup=2.244 - 1.991, concurrency=1, min=0,
                     cap=1000, on_demand=1, control=E.CONTROL_NONE, period=5.0, window=5.0, retention=600.0,
                     pending_timeout=1e30, request_timeout=1e30, queue_capacity=1 << 16)
    params[E.P_DURATION] = 1e6
    params[E.P_STEP] = 10.0
    params[E.P_BIN] = 1e5
    return params


def one_service(days: float = 30):
    from archplan.simulate import engine as E
    from archplan.simulate.model import _params

    params = _params(rate_step=60.0, dist=E.EXPONENTIAL, mean=0.12, startup=1.0, concurrency=80, min=0, cap=100,
                     on_demand=1, control=E.CONTROL_CLOUD_RUN, period=5.0, window=60.0, target_conc=0.6,
                     target_cpu=0.6, retention=900.0, pending_timeout=10.0, request_timeout=300.0,
                     queue_capacity=1 << 20)
    params[E.P_DURATION] = days * 86400
    params[E.P_STEP] = 1.0
    params[E.P_BIN] = days * 86400 / 720
    from archplan.simulate.load import shape

    class Traffic:
        daily_profile = weekly_profile = None
        peak_to_average = 4
        peak_hour = 20

    load, _notes = shape(Traffic, days, ())
    rate = 1.0 * load  # 1 request a second on average, 2.6M requests in 30 days
    return lambda: E.simulate_seeds(np.array([1], np.int64), rate, params)


def whole_example(name: str):
    from archplan import catalog
    from archplan.plan import resolve
    from archplan.simulate import build_options, simulate_plan
    from archplan.spec.load import load_spec

    def go():
        plan = resolve(load_spec(ROOT / "examples" / f"{name}.yaml", None, catalog.supported_regions()))
        simulate_plan(plan, build_options(plan.file, days=30, seeds=20))
    return go


def run_simfaas() -> tuple[float, float, float] | None:
    python = SIMFAAS_VENV / "bin" / "python"
    if not python.exists():
        print("installing simfaas into benchmarks/.venv-simfaas ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(SIMFAAS_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "simfaas"], check=True)
    done = subprocess.run([str(python), "-c", SIMFAAS_SCRIPT], capture_output=True, text=True)
    if done.returncode != 0:
        print("simfaas failed:", done.stderr.strip().splitlines()[-1:])
        return None
    elapsed, cold, servers = (float(v) for v in done.stdout.split())
    return elapsed, cold, servers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-simfaas", action="store_true")
    args = parser.parse_args()
    from archplan.simulate import engine as E

    started = time.perf_counter()
    E.simulate_seeds(np.array([0], np.int64), np.array([0.9]), simfaas_params())
    print(f"compile or load of the numba engine: {time.perf_counter() - started:.2f} s (once per install)")

    seconds = median_time(one_service(), args.runs)
    print(f"1. one Cloud Run service, 30 days at 1 s (2.6M requests): {seconds:.3f} s CPU, "
          f"{median_time.wall:.3f} s wall "
          f"(goal < 1 s: {'met' if seconds < 1 else 'NOT met'})")

    for name in ("anwesha", "cotton-erp", "drivopay", "ecommerce-chatbot", "event-platform", "starter"):
        seconds = median_time(whole_example(name), max(1, args.runs // 2))
        print(f"2. {name}: every service, 30 days, 20 seeds: {seconds:.2f} s CPU, {median_time.wall:.2f} s wall "
              f"(goal < 10 s: {'met' if seconds < 10 else 'NOT met'})")

    params = simfaas_params()
    ours = median_time(lambda: E.simulate_seeds(np.array([1], np.int64), np.array([0.9]), params), args.runs)
    totals = E.simulate_seeds(np.arange(10, dtype=np.int64), np.array([0.9]), params)[0]
    cold = totals[:, E.T_COLD] / totals[:, E.T_ARRIVALS]
    servers = totals[:, E.T_INSTANCE_S] / 1e6
    print(f"3. SimFaaS scenario, archplan: {ours:.3f} s CPU ({median_time.wall:.3f} s wall) a run; over 10 seeds cold-start probability "
          f"{cold.mean():.5f} ± {1.96 * cold.std(ddof=1) / np.sqrt(10):.5f}, mean instances "
          f"{servers.mean():.3f} ± {1.96 * servers.std(ddof=1) / np.sqrt(10):.3f} (published: 0.0014, 7.66)")
    if not args.skip_simfaas:
        theirs = run_simfaas()
        if theirs is not None:
            elapsed, their_cold, their_servers = theirs
            print(f"   SimFaaS itself: {elapsed:.2f} s CPU (cold-start probability {their_cold:.5f}, mean instances "
                  f"{their_servers:.3f}); archplan is {elapsed / ours:.0f}x faster in CPU time "
                  f"(goal >= 50x: {'met' if elapsed / ours >= 50 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
