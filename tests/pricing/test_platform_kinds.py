"""Kinds added for production plans (queues, keys, API management, builds, identity), by hand from the
catalog's unit prices."""
from tests.conftest import close, items


def test_cloud_tasks_operations_chunked_at_32_kb_after_the_free_million(priced):
    report = priced({"q": {"kind": "cloud_tasks", "tasks_per_month": 2_000_000, "attempts_per_task": 1.5,
                           "avg_task_kib": 40}}, free_tiers=True)
    # 40 KiB is 2 chunks; each task is 1 create + 1.5 attempts: 2,000,000 x 2.5 x 2 = 10,000,000 operations
    assert close(items(report)["operations"], (10_000_000 - 1_000_000) * 0.40 / 1_000_000)


def test_cloud_tasks_stated_operations_without_free_tier(priced):
    report = priced({"q": {"kind": "cloud_tasks", "operations_per_month": 3_000_000}})
    assert close(report.total_usd, 3 * 0.40)
