"""Every command on 1,000- and 10,000-component plans, whole process: prints wall and CPU seconds and the
10,000/1,000 ratio (about 10 means linear), and each command's peak memory.

  python benchmarks/commands.py [--sizes 1000,10000] [--commands validate,cost,...] [--runs 3] [--users]

The plans come from benchmarks/large.py: every common kind, load balancers with backends, GKE clusters
with deployments, one depends_on chain through the whole plan. Machines are shared: CPU seconds are the
figure to compare; this is a script, not a test. Each figure is the median of --runs runs (one at 10,000),
with bytecode cached as an installed archplan has it (PYTHONDONTWRITEBYTECODE is dropped). With --users the
traffic is stated in users and the plan has growth phases (large.py), so doc and validate run the growth
section too."""
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from large import write_large_plan  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = ["validate", "cost", "check", "generate", "doc", "diagram"]
GOAL_SECONDS_AT_1000 = 2.0


def run(command: str, plan: Path, work: Path) -> tuple[float, float, int, float]:
    """(wall seconds, CPU seconds with the children it ran, exit code, peak memory in MB)."""
    argv = [str(ROOT / ".venv/bin/archplan"), command, str(plan)]
    if command in ("generate", "doc"):
        argv += ["-o", str(work / f"{command}-{plan.stem}")]
    elif command == "diagram":
        argv += ["-o", str(work / f"{plan.stem}.svg")]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryFile("w+") as errors:
        child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=errors, text=True, env=env)
        _pid, status, usage = os.wait4(child.pid, 0)  # the child's own peak memory (ru_maxrss, KiB on Linux)
        child.returncode = code = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        message = errors.read()
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if code not in (0, 1) or (code == 1 and command != "check"):
        print(f"  {command} failed: {message.strip()[:200]}")
    return wall, cpu, code, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--commands", default=",".join(COMMANDS))
    parser.add_argument("--runs", type=int, default=3, help="runs per command below 10,000 components")
    parser.add_argument("--users", action="store_true", help="traffic in users, with growth phases")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    commands = args.commands.split(",")
    timings: dict[tuple[str, int], float] = {}
    with tempfile.TemporaryDirectory(prefix="archplan-bench-") as folder:
        work = Path(folder)
        for size in sizes:
            plan = work / f"plan-{size}.yaml"
            write_large_plan(plan, size, users=args.users)
            print(f"{size} components ({plan.stat().st_size / 1e6:.1f} MB):")
            run("cost", plan, work)  # warms the file cache and the bytecode
            for command in commands:
                runs = [run(command, plan, work) for _ in range(args.runs if size < 10_000 else 1)]
                wall = statistics.median(r[0] for r in runs)
                cpu = statistics.median(r[1] for r in runs)
                code = runs[-1][2]
                memory = max(r[3] for r in runs)
                timings[(command, size)] = cpu
                goal = ""
                if size == 1000:
                    goal = "  ok" if cpu < GOAL_SECONDS_AT_1000 else f"  over the {GOAL_SECONDS_AT_1000} s goal"
                print(f"  {command:<9} {wall:7.2f} s wall {cpu:7.2f} s CPU {memory:6.0f} MB  exit {code}{goal}  "
                      f"(median of {len(runs)})", flush=True)
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        print(f"CPU ratio {large}/{small} (components x{large // small}):")
        for command in commands:
            print(f"  {command:<9} x{timings[(command, large)] / max(timings[(command, small)], 1e-9):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
