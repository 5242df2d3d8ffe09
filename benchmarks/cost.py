"""Speed of `archplan cost`: prints medians and their ratio to the goals.

  python benchmarks/cost.py [--runs N]

1. The whole process `archplan cost` of the largest example (start-up, imports, load, price, render).
   Goal: median under 0.3 s on a 2-core machine.
2. Pricing a generated 1,000-component plan in-process (load + resolve + cost).  Goal: under 1 s.
Timings are medians of repeated runs; machines are shared and noisy, so this is a script, not a test.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = [
    {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "min_instances": 1, "request_duration_ms": 150,
     "traffic_share": 0.05},
    {"kind": "cloud_sql", "engine": "postgres", "tier": "db-custom-2-7680", "storage_gb": 50, "ha": True},
    {"kind": "memorystore_redis", "tier": "standard", "capacity_gb": 5},
    {"kind": "pubsub", "topics": ["events"], "messages_per_month": 1_000_000, "avg_message_kib": 1},
    {"kind": "cloud_storage", "location_type": "region", "storage_gb": 100, "class_a_ops_per_month": 10_000},
    {"kind": "gke", "mode": "standard", "location_type": "regional",
     "node_pools": [{"name": "p", "machine_type": "e2-standard-4", "nodes": 3}]},
    {"kind": "network_egress", "gb_per_month": 100},
    {"kind": "llm", "model": "gemini-2.5-flash", "chats_per_day": 100, "per_chat": {"input": 2000, "output": 500}},
]


def big_plan(count: int) -> dict:
    components = {}
    for index in range(count):
        body = dict(TEMPLATES[index % len(TEMPLATES)])
        if body["kind"] == "pubsub":
            body["topics"] = [f"events-{index}"]  # topic names are unique across a project
        if index >= len(TEMPLATES):
            body["depends_on"] = [f"c{index - len(TEMPLATES)}"]
        components[f"c{index}"] = body
    return {"project": {"name": "bench", "region": "asia-south1"},
            "traffic": {"requests_per_month": 100_000_000, "avg_request_kib": 1, "avg_response_kib": 20},
            "components": components}


def median_seconds(action, runs: int) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    largest = max(sorted((ROOT / "examples").glob("*.yaml")),
                  key=lambda path: len(yaml.safe_load(path.read_text())["components"]))
    archplan = [sys.executable, "-m", "archplan", "cost", str(largest)]

    # A user's interpreter caches bytecode; some shells set PYTHONDONTWRITEBYTECODE, which would make
    # every run recompile archplan's sources, so the measured process runs without it.
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}

    cpu_seconds = []

    def whole_process():
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(archplan, check=True, stdout=subprocess.DEVNULL, env=env)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_seconds.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)

    whole_process()  # warm the file cache and bytecode
    cpu_seconds.clear()
    process_median = median_seconds(whole_process, args.runs)
    cpu_median = statistics.median(cpu_seconds)

    sys.path.insert(0, str(ROOT / "src"))
    from archplan import catalog
    from archplan.analysis.cost import cost_report
    from archplan.plan import resolve
    from archplan.spec.load import load_spec

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.yaml"
        path.write_text(yaml.safe_dump(big_plan(1000), sort_keys=False))

        def price_big():
            report = cost_report(resolve(load_spec(path, None, catalog.supported_regions())))
            assert len(report.component_order) == 1000

        price_big()
        big_median = median_seconds(price_big, max(3, args.runs // 3))
    shards = sorted(catalog.service("compute_engine")._shards_loaded)
    shard_files = len(list((catalog.DATA / "generated" / "compute_engine").glob("*.json")))

    print(f"archplan cost examples/{largest.name} (largest example, whole process): median {process_median:.3f} s "
          f"over {args.runs} runs; goal 0.300 s; ratio {process_median / 0.3:.2f}")
    # On a shared machine the wall clock includes waiting for a core; CPU time (user + system) does not.
    print(f"  the same runs' CPU time (user + system):            median {cpu_median:.3f} s; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"price a 1,000-component plan in-process:             median {big_median:.3f} s; "
          f"goal 1.000 s; ratio {big_median / 1.0:.2f}")
    print(f"Compute Engine price files loaded for the plan: {len(shards)} of {shard_files} ({', '.join(shards)})")


if __name__ == "__main__":
    main()
