"""Speed of `archplan check`: prints medians and their ratio to the goals.

  python benchmarks/check.py [--runs N]

1. The whole process `archplan check` of the largest example (start-up, imports, load, every analysis,
   render). Goal: median under 0.5 s.
2. Checking a generated 1,000-component plan, whole process. Goal: under 2 s.
3. One Cloud Run service at 10^10 requests a day with concurrency 1,000 and 1,000 max instances (a million
   queue servers), in-process. Goal: under 0.1 s (Erlang C in O(sqrt a), computed once per service).
4. `archplan.check.run(plan)` in-process on the largest example, the call `optimize` and `serve` repeat.
Machines are shared and noisy, so this is a script, not a test.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cost import ROOT, big_plan, median_seconds  # noqa: E402


def largest_example() -> Path:
    return max((p for p in (ROOT / "examples").glob("*.yaml")),
               key=lambda p: len(yaml.safe_load(p.read_text()).get("components", {})))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    example = largest_example()

    cpu: dict[str, list[float]] = {}

    def process(path: Path):
        def run():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run([sys.executable, "-m", "archplan", "check", str(path)], stdout=subprocess.DEVNULL, env=env)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.setdefault(str(path), []).append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        return run

    def cpu_median(path: Path) -> float:
        return statistics.median(cpu[str(path)])

    process(example)()
    example_median = median_seconds(process(example), args.runs)
    with tempfile.TemporaryDirectory() as folder:
        big = Path(folder) / "big.yaml"
        big.write_text(yaml.safe_dump(big_plan(1000), sort_keys=False))
        process(big)()
        big_median = median_seconds(process(big), max(3, args.runs // 3))

        sys.path.insert(0, str(ROOT / "src"))
        from archplan import catalog
        from archplan.check import run as check_run
        from archplan.plan import resolve
        from archplan.spec.load import load_spec

        huge = Path(folder) / "huge.yaml"
        huge.write_text(yaml.safe_dump({
            "project": {"name": "huge", "region": "us-central1"},
            "components": {"api": {"kind": "cloud_run", "cpu": 4, "memory": "8Gi", "concurrency": 1000,
                                   "max_instances": 1000, "request_duration_ms": 50,
                                   "requests_per_month": 10**10 * 30}}}, sort_keys=False))
        # A fresh Plan each time (resolve is cheap): check caches its edge index and cost report on the plan.
        huge_spec = load_spec(huge, None, catalog.supported_regions())
        huge_median = median_seconds(lambda: check_run(resolve(huge_spec)), args.runs)
        spec = load_spec(example, None, catalog.supported_regions())
        api_median = median_seconds(lambda: check_run(resolve(spec)), args.runs)

        big_cpu = cpu_median(big)
    print(f"archplan check {example.relative_to(ROOT)} (whole process): median {example_median:.3f} s wall, "
          f"{cpu_median(example):.3f} s CPU over {args.runs} runs; goal 0.500 s; ratio {example_median / 0.5:.2f} "
          f"(CPU {cpu_median(example) / 0.5:.2f})")
    print(f"archplan check of a 1,000-component plan (whole process):  median {big_median:.3f} s wall, "
          f"{big_cpu:.3f} s CPU; goal 2.000 s; ratio {big_median / 2.0:.2f} (CPU {big_cpu / 2.0:.2f})")
    print(f"check.run: one service at 10^10 requests a day, 10^6 slots: median {huge_median:.3f} s; goal 0.100 s; "
          f"ratio {huge_median / 0.1:.2f}")
    print(f"resolve + check.run({example.stem}) in-process (optimize/serve call): median {api_median:.3f} s")


if __name__ == "__main__":
    main()
