"""A 40-component plan for the diagram's readability test: ten services behind an edge, two databases,
caches, buckets, async jobs, AI, eight outside services and the operations stack."""
from __future__ import annotations

SERVICES = ["gateway", "accounts", "orders", "payments", "catalog", "search", "inventory", "shipping",
            "notifications", "reports"]
EXTERNALS = {"stripe": "payments", "twilio": "sms", "sendgrid": "email", "whatsapp": "whatsapp",
             "algolia": "search", "maps": "other", "fraud": "other", "tax": "other"}


def large_plan() -> dict:
    components: dict = {
        "dns": {"kind": "cloud_dns", "queries_per_month": 1000000,
                "depends_on": [{"name": "cdn", "protocol": "DNS"}]},
        "cdn": {"kind": "cloud_cdn", "destination": "north_america", "cache_hit_ratio": 0.8,
                "requests_per_month": 5000000,
                "egress_gb_per_month": 200, "depends_on": [{"name": "lb", "protocol": "HTTPS"}]},
        "lb": {"kind": "load_balancer", "traffic_share": 1,
               "depends_on": [{"name": "armor"}, {"name": "gateway", "protocol": "HTTPS"}]},
        "armor": {"kind": "cloud_armor", "rules": 5, "traffic_share": 1, "rate_limit_per_minute": 100},
    }
    for index, name in enumerate(SERVICES):
        depends = [{"name": "orders_db" if index % 2 else "users_db", "protocol": "Postgres"},
                   {"name": "cache", "protocol": "Redis"}, {"name": "secrets", "protocol": "HTTPS"}]
        if name == "gateway":
            depends = [{"name": s, "protocol": "gRPC"} for s in SERVICES[1:]]
        components[name] = {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 100,
                            "traffic_share": 0.1, "depends_on": depends}
    calls = {"payments": [("stripe", "HTTPS"), ("fraud", "HTTPS"), ("tax", "HTTPS"), ("events", "gRPC")],
             "orders": [("events", "gRPC"), ("files", "HTTPS")],
             "search": [("algolia", "HTTPS"), ("assistant", "HTTPS")],
             "shipping": [("maps", "HTTPS")],
             "reports": [("warehouse", "HTTPS"), ("exports", "HTTPS")],
             "catalog": [("images", "HTTPS"), ("documents", "gRPC")]}
    for service, targets in calls.items():
        components[service]["depends_on"] += [{"name": name, "protocol": protocol} for name, protocol in targets]
    components.update({
        "events": {"kind": "pubsub", "topics": ["orders", "payments"], "messages_per_month": 1000000,
                   "avg_message_kib": 1, "depends_on": [{"name": "worker", "protocol": "HTTPS"}]},
        "nightly": {"kind": "cloud_scheduler", "jobs": 3, "depends_on": [{"name": "worker", "protocol": "HTTPS"}]},
        "worker": {"kind": "cloud_functions", "cpu": 1, "memory": "512Mi", "duration_ms": 300,
                   "invocations_per_month": 1000000, "trigger": "pubsub", "trigger_component": "events",
                   "depends_on": [{"name": "twilio", "protocol": "HTTPS"},
                                  {"name": "sendgrid", "protocol": "HTTPS"},
                                  {"name": "whatsapp", "protocol": "HTTPS"},
                                  {"name": "documents", "protocol": "gRPC"}]},  # a function reaches no private DB
        "users_db": {"kind": "cloud_sql", "engine": "postgres", "tier": "db-custom-2-7680", "storage_gb": 50,
                     "ha": True, "private_ip": True},
        "orders_db": {"kind": "cloud_sql", "engine": "postgres", "tier": "db-custom-4-16384", "storage_gb": 100,
                      "ha": True, "read_replicas": 1, "private_ip": True},
        "cache": {"kind": "memorystore_redis", "tier": "standard", "capacity_gb": 5},
        "files": {"kind": "cloud_storage", "location_type": "region", "storage_gb": 100},
        "images": {"kind": "cloud_storage", "location_type": "region", "storage_gb": 500},
        "exports": {"kind": "cloud_storage", "location_type": "region", "storage_gb": 50,
                    "storage_class": "nearline"},
        "documents": {"kind": "firestore", "stored_gb": 5, "reads_per_month": 10000000, "writes_per_month": 1000000},
        "warehouse": {"kind": "bigquery", "active_storage_gb": 100, "query_tib_per_month": 1},
        "assistant": {"kind": "llm", "model": "gemini-2.5-flash",
                      "tokens_per_month": {"input": 10000000, "output": 2000000}},
    })
    for name, service in EXTERNALS.items():
        components[name] = {"kind": "external", "provider": name.capitalize(), "service": service,
                            "items": [{"description": "usage", "currency": "USD", "unit": "call",
                                       "unit_price": 0.001, "quantity_per_month": 1000}]}
    components.update({
        "secrets": {"kind": "secret_manager", "secrets": 12, "access_ops_per_month": 10000},
        "logging": {"kind": "cloud_logging", "ingestion_gb_per_month": 100},
        "monitoring": {"kind": "cloud_monitoring", "metric_mib_per_month": 100, "alert_policies": 5},
        "trace": {"kind": "cloud_trace", "spans_per_month": 1000000},
        "registry": {"kind": "artifact_registry", "storage_gb": 20},
        "egress": {"kind": "network_egress", "traffic_share": 1},
    })
    return {"project": {"name": "large", "region": "us-central1"},
            "traffic": {"daily_active_users": 20000, "requests_per_user_per_day": 50, "peak_to_average": 5,
                        "avg_request_kib": 2, "avg_response_kib": 20},
            "components": components}
