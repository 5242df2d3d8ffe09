"""Speed of `archplan optimize` (and `scale`) on every example: prints, per example,

- the configurations the plan allows and the time to answer (load, build the option tables, search,
  re-check the answer with the full cost and check pipeline), for the most available plan within the
  plan's own budget (or 10x its cost) and for the Pareto frontier;
- candidates per second, on CPU time (the process's own, so other load on the machine does not count):
  (a) whole candidate plans evaluated from the option tables (price: group costs from the cache, check:
  availability per entry path, capacity, p95 per path, RTO/RPO, connections), sampled at random over the
  whole space; (b) incremental: a random walk changing one component at a time, each step re-evaluating
  only what that component touches (archplan.optimize.tables.Incremental); (c) partial and whole plans the
  frontier search evaluates. Goal: at least 10,000 a second on this 2-core machine for every example.
- `scale` over 1k..2M users (11 points): time to answer.

  python benchmarks/decide.py [--examples a,b]
Machines are shared and noisy, so this is a script, not a test.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_PER_SECOND = 10_000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", help="comma-separated example names (default: all)")
    parser.add_argument("--samples", type=int, default=20000, help="random candidates to evaluate per example")
    args = parser.parse_args()
    from archplan import assess
    from archplan.optimize import optimize, space
    from archplan.optimize.model import Targets, build, evaluate
    from archplan.optimize.tables import Incremental
    from archplan.scale import scale
    from archplan.scale.load import parse_points

    names = args.examples.split(",") if args.examples else sorted(p.stem for p in (ROOT / "examples").glob("*.yaml"))
    print(f"{'example':<20} {'space':>12} {'answer s':>9} {'pareto s':>9} {'whole cand/s':>13} "
          f"{'incr cand/s':>12} {'search cand/s':>14} {'scale s':>8}")
    rates, incremental_rates = [], []
    for name in names:
        path = str(ROOT / "examples" / f"{name}.yaml")
        spec = assess.load(path)
        plan, cost = assess.price(spec)
        budget = cost.budget_usd if cost.budget_usd else cost.total_usd * 10
        started = time.perf_counter()
        result = optimize(path, budget=f"{budget:.2f}USD")
        answer = time.perf_counter() - started
        started = time.perf_counter()
        pareto = optimize(path, pareto=True)
        pareto_seconds = time.perf_counter() - started
        search_rate = pareto["candidates_evaluated"] / pareto["search_cpu_seconds"] if pareto["search_cpu_seconds"] else 0
        model = build(plan, Targets(), space.options(plan, assess.capacity_of(plan)))
        generator = random.Random(7)
        picks = [{n: generator.randrange(len(model.members[n])) for n in model.names} for _ in range(args.samples)]
        started = time.process_time()
        for choice in picks:
            evaluate(model, choice)
        table_rate = args.samples / (time.process_time() - started)
        rates.append(table_rate)
        walk = Incremental(model)
        varying = [i for i, name in enumerate(model.names) if len(model.members[name]) > 1]
        moves, current = [], [0] * len(model.names)
        for _ in range(args.samples if varying else 0):  # each move changes one component to another option
            component = generator.choice(varying)
            option = generator.choice([k for k in range(len(model.members[model.names[component]]))
                                       if k != current[component]])
            current[component] = option
            moves.append((component, option))
        started = time.process_time()
        for component, option in moves:
            walk.move(component, option)
            walk.feasible
        incremental_rate = len(moves) / (time.process_time() - started) if moves else 0.0
        incremental_rates.append(incremental_rate)
        traffic = spec.traffic
        users = traffic is not None and (traffic.monthly_active_users or traffic.daily_active_users)
        started = time.perf_counter()
        if users:
            scale(path, parse_points("1k..2M"))
            scale_seconds = f"{time.perf_counter() - started:.2f}"
        else:
            scale_seconds = "no load"  # the plan has no traffic section to grow
        print(f"{name:<20} {result['space']:>12,} {answer:>9.2f} {pareto_seconds:>9.2f} {table_rate:>13,.0f} "
              f"{incremental_rate:>12,.0f} {search_rate:>14,.0f} {scale_seconds:>8}")
    for label, values in (("whole-candidate", rates), ("incremental", incremental_rates)):
        print(f"\n{label} evaluation (CPU time): median {statistics.median(values):,.0f}/s, slowest example "
              f"{min(values):,.0f}/s = {min(values) / GOAL_PER_SECOND:.1f}x the goal of {GOAL_PER_SECOND:,}/s", end="")
    print(f"\nload average while measuring: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"({os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
