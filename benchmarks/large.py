"""Large plans for the benchmarks and the large-plan tests: every common kind, load balancers with backends,
a GKE cluster per 100 components with 10 deployments, and depends_on chains as deep as the plan is long.
With `users`, the traffic is stated in users (daily and monthly active, requests per user) and the plan has
two growth phases, so `doc` and `validate` run the growth section (scale over the phases) too."""
from __future__ import annotations

import yaml


def _component(index: int, count: int) -> dict:
    shape = index % 10
    name = f"c{index}"
    if shape == 0:
        return {"kind": "load_balancer", "traffic_share": 0.01, "depends_on": [f"c{index + 1}"] if index + 1 < count
                else []}
    if shape in (1, 2):
        body = {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "min_instances": 0, "max_instances": 10,
                "request_duration_ms": 100, "traffic_share": 0.01,
                "env": {"MODE": "prod", "TOKEN": {"secret": f"token-{index}"}}}
    elif shape == 3:
        body = {"kind": "cloud_sql", "engine": "postgres", "version": "16", "tier": "db-custom-2-7680",
                "storage_gb": 20, "databases": [f"app{index}"], "private_ip": True}
    elif shape == 4:
        body = {"kind": "pubsub", "topics": [f"events-{index}", f"jobs-{index}"], "messages_per_month": 100000,
                "avg_message_kib": 1, "dead_letter": True}
    elif shape == 5:
        body = {"kind": "cloud_storage", "location_type": "region", "storage_gb": 10}
    elif shape == 6:
        body = {"kind": "memorystore_redis", "tier": "basic", "capacity_gb": 1}
    elif shape == 7 and index % 100 == 7:
        body = {"kind": "gke", "mode": "standard", "location_type": "regional",
                "node_pools": [{"name": "main", "machine_type": "e2-standard-4", "nodes": 3}],
                "deployments": [{"name": f"svc-{d}", "replicas": 2, "cpu": "250m", "memory": "256Mi"}
                                for d in range(10)]}
    elif shape == 8:
        body = {"kind": "cloud_functions", "cpu": 1, "memory": "512Mi", "duration_ms": 200,
                "invocations_per_month": 10000, "trigger": "http"}
    elif index == 9:
        body = {"kind": "cloud_logging", "ingestion_gb_per_month": 1}  # one per project
    else:
        body = {"kind": "firestore", "stored_gb": 1, "reads_per_month": 100000, "writes_per_month": 10000}
    body["description"] = f"component {name}"
    if index + 1 < count:  # one long chain through the whole plan: the deepest legal depends_on
        body.setdefault("depends_on", []).append(f"c{index + 1}")
    return body


def large_plan(count: int, users: bool = False) -> dict:
    plan = {"project": {"name": "bench", "region": "asia-south1", "environments": {"small": {
                "components": {"c1": {"max_instances": 2}}}}},
            "traffic": {"requests_per_month": 100_000_000, "avg_request_kib": 1, "avg_response_kib": 20,
                        "peak_to_average": 3},
            "components": {f"c{index}": _component(index, count) for index in range(count)}}
    if users:  # about the same requests a month (100,000 x 33 a day), stated per user
        plan["traffic"] = {"daily_active_users": 100_000, "monthly_active_users": 300_000,
                           "requests_per_user_per_day": 33, "avg_request_kib": 1, "avg_response_kib": 20,
                           "peak_to_average": 3}
        plan["phases"] = [{"name": "launch", "min_users": 1_000, "max_users": 300_000},
                          {"name": "growth", "min_users": 300_000, "max_users": 3_000_000,
                           "components": {"c1": {"max_instances": 50}}}]
    return plan


def write_large_plan(path, count: int, users: bool = False) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(large_plan(count, users), handle, sort_keys=False, width=200)
