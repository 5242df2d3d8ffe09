"""Speed of `archplan generate`: prints medians and their ratio to the goals.

  python benchmarks/generate.py [--runs N]

1. The whole process `archplan generate` of the largest example (by components) into a fresh folder.
2. The whole process for a generated 1,000-component plan (the cost benchmark's plan).
Goal for both: median under 1 s on a 2-core machine. Medians of repeated runs; a script, not a test.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from cost import big_plan  # noqa: E402

GOAL_SECONDS = 1.0


def largest_example() -> Path:
    plans = [p for p in (ROOT / "examples").glob("*.yaml")]
    return max(plans, key=lambda p: len(yaml.safe_load(p.read_text())["components"]))


def median_process_seconds(plan: Path, runs: int, env: dict) -> float:
    timings = []
    with tempfile.TemporaryDirectory() as folder:
        for run in range(runs + 1):  # the first run warms the file cache and bytecode
            output = Path(folder) / f"out{run}"
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "archplan", "generate", str(plan), "-o", str(output)], check=True,
                           stdout=subprocess.DEVNULL, env=env)
            if run:
                timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    example = largest_example()
    example_median = median_process_seconds(example, args.runs, env)
    with tempfile.TemporaryDirectory() as folder:
        plan = Path(folder) / "bench-1000.yaml"
        plan.write_text(yaml.safe_dump(big_plan(1000), sort_keys=False))
        big_median = median_process_seconds(plan, args.runs, env)
    for label, seconds in ((f"archplan generate {example.name} (whole process)", example_median),
                           ("archplan generate, 1,000-component plan (whole process)", big_median)):
        print(f"{label}: median {seconds:.3f} s over {args.runs} runs; goal {GOAL_SECONDS:.1f} s "
              f"(ratio {seconds / GOAL_SECONDS:.2f})")


if __name__ == "__main__":
    main()
