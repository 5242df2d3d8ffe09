"""The claims audit keeps recall >= 90% and precision >= 95% on every claim kind of the benchmark, and the
benchmark keeps at least 60 plans with a wrong and a right claim of every kind the audit knows."""
from tests.claims_benchmark.score import PRECISION_FLOOR, RECALL_FLOOR, rates, score

SCORED_KINDS = {"monthly_cost", "annual_cost", "hourly_cost", "cost_per_user", "cost_per_chat",
                "availability_percent", "downtime_minutes_per_month", "downtime_minutes_per_year", "latency_p95_ms",
                "max_concurrent_users", "peak_rps", "db_connections", "concurrent_connections", "instances",
                "llm_tokens_per_month", "tokens_per_chat", "rto_minutes", "rpo_minutes", "consistency"}


def test_recall_and_precision_floor_per_kind():
    result = score()
    assert result["plans"] >= 60
    assert SCORED_KINDS <= set(result["kinds"]), SCORED_KINDS - set(result["kinds"])
    for kind, row in result["kinds"].items():
        assert row.get("wrong", 0) >= 10 and row.get("right", 0) >= row.get("wrong", 0), kind
        recall, precision = rates(row)
        assert recall >= RECALL_FLOOR and precision >= PRECISION_FLOOR, (kind, recall, precision, result["misses"])
