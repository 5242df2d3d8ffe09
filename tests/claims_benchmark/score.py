"""Score `archplan check`'s claims audit on the benchmark plans: recall and precision per claim kind.

  python tests/claims_benchmark/score.py      # make bench prints this

A claim whose id starts with `wrong.` is deliberately wrong: the audit should find it `off` (a hit) and
misses it when it says `held` or `not checkable`. A claim whose id starts with `right.` is right: `off` is a
false alarm. Recall = hits / wrong claims; precision = hits / (hits + false alarms). Claims with other ids
(`part.*`) are the parts a consistency claim refers to and are not scored.
"""
from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "src"))

RECALL_FLOOR, PRECISION_FLOOR = 0.90, 0.95


def score() -> dict:
    from archplan.check import run

    tally: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    misses: list[str] = []
    plans = sorted((HERE / "plans").glob("*.yaml"))
    for path in plans:
        report = run(path, sections=["claims"])
        for verdict in report.claims:
            label = verdict.id.split(".")[0]
            if label not in ("right", "wrong"):
                continue
            row = tally[verdict.kind]
            row[label] += 1
            if label == "wrong":
                if verdict.verdict == "off":
                    row["hits"] += 1
                else:
                    misses.append(f"{path.name}: {verdict.id} {verdict.verdict}: {verdict.explanation}")
            elif verdict.verdict == "off":
                row["false_alarms"] += 1
                misses.append(f"{path.name}: {verdict.id} false alarm: {verdict.explanation}")
            elif verdict.verdict == "not checkable":
                row["right_not_checkable"] += 1
    return {"plans": len(plans), "kinds": {k: dict(v) for k, v in sorted(tally.items())}, "misses": misses}


def rates(row: dict) -> tuple[float, float]:
    hits, wrong, alarms = row.get("hits", 0), row.get("wrong", 0), row.get("false_alarms", 0)
    recall = hits / wrong if wrong else 1.0
    precision = hits / (hits + alarms) if hits + alarms else 1.0
    return recall, precision


def main() -> None:
    result = score()
    print(f"claims benchmark: {result['plans']} plans (tests/claims_benchmark/plans)")
    print(f"  {'kind':<28} {'wrong':>5} {'right':>5} {'hits':>5} {'false':>5} {'recall':>7} {'precision':>9}")
    totals = defaultdict(int)
    for kind, row in result["kinds"].items():
        recall, precision = rates(row)
        for key in ("wrong", "right", "hits", "false_alarms"):
            totals[key] += row.get(key, 0)
        print(f"  {kind:<28} {row.get('wrong', 0):>5} {row.get('right', 0):>5} {row.get('hits', 0):>5} "
              f"{row.get('false_alarms', 0):>5} {recall:>7.1%} {precision:>9.1%}")
    recall, precision = rates(totals)
    print(f"  {'all kinds':<28} {totals['wrong']:>5} {totals['right']:>5} {totals['hits']:>5} "
          f"{totals['false_alarms']:>5} {recall:>7.1%} {precision:>9.1%}   floor: recall {RECALL_FLOOR:.0%}, "
          f"precision {PRECISION_FLOOR:.0%} per kind")
    for line in result["misses"]:
        print("  miss: " + line)


if __name__ == "__main__":
    main()
