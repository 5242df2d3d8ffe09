"""Speed of `archplan optimize` (and `scale`) on every example: prints, per example,

- the configurations the plan allows and the time to answer (load, build the option tables, search,
  re-check the answer with the full cost and check pipeline), for the most available plan within the
  plan's own budget (or 10x its cost) and for the Pareto frontier;
- candidates per second: (a) whole candidate plans evaluated from the option tables (price: group costs
  from the cache, check: availability per entry path, capacity, p95, RTO/RPO, connections), sampled at
  random over the whole space; (b) partial and whole plans the frontier search evaluates. Goal: at least
  10,000 a second on this 2-core machine.
- `scale` over 1k..2M users (11 points): time to answer.

  python benchmarks/decide.py [--examples a,b]
Machines are shared and noisy, so this is a script, not a test.
"""
from __future__ import annotations

import argparse
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
    from archplan.scale import scale
    from archplan.scale.load import parse_points

    names = args.examples.split(",") if args.examples else sorted(p.stem for p in (ROOT / "examples").glob("*.yaml"))
    print(f"{'example':<20} {'space':>12} {'answer s':>9} {'pareto s':>9} {'table cand/s':>13} "
          f"{'search cand/s':>14} {'scale s':>8}")
    rates = []
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
        search_rate = pareto["candidates_evaluated"] / pareto["search_seconds"] if pareto["search_seconds"] else 0
        model = build(plan, Targets(), space.options(plan, assess.capacity_of(plan)))
        generator = random.Random(7)
        picks = [{n: generator.randrange(len(model.members[n])) for n in model.names} for _ in range(args.samples)]
        started = time.perf_counter()
        for choice in picks:
            evaluate(model, choice)
        table_rate = args.samples / (time.perf_counter() - started)
        rates.append(table_rate)
        traffic = spec.traffic
        users = traffic is not None and (traffic.monthly_active_users or traffic.daily_active_users)
        started = time.perf_counter()
        if users:
            scale(path, parse_points("1k..2M"))
            scale_seconds = f"{time.perf_counter() - started:.2f}"
        else:
            scale_seconds = "no load"  # the plan has no traffic section to grow
        print(f"{name:<20} {result['space']:>12,} {answer:>9.2f} {pareto_seconds:>9.2f} {table_rate:>13,.0f} "
              f"{search_rate:>14,.0f} {scale_seconds:>8}")
    median = statistics.median(rates)
    print(f"\nmedian table evaluation: {median:,.0f} candidates/s = {median / GOAL_PER_SECOND:.1f}x the goal of "
          f"{GOAL_PER_SECOND:,}/s")


if __name__ == "__main__":
    main()
