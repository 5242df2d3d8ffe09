"""Write the claims benchmark's plans (tests/claims_benchmark/plans/*.yaml) from twelve public architecture
descriptions, five variants each, with one right and one deliberately wrong claim of every kind that applies.

  python tests/claims_benchmark/build.py      # rewrites plans/; the files are committed and reviewed

Every expected figure is worked out here by hand, from the plan's own parameters and published figures
(SLAs, Gemini prices, the vendors' unit prices the plan states), never by running archplan:
  - availability: products of the published SLAs listed in SLA below (each with its page);
  - downtime: (1 - availability) x 43,800 min a month or 525,600 min a year;
  - connections: max instances x workers x (pool + overflow); slots: max instances x concurrency;
  - p95 at low load with exponential service: -ln(0.05) = 3.0 x the mean service time (M/M/c with almost no
    queueing), fixed service (`service_time_distribution: fixed`): the service time itself;
  - tokens: per chat x chats a day x 30.4167; Gemini 2.5 Flash $0.30 / $2.50 per 1M input / output;
  - tokens saved: (the tokens a chat used before - the plan's) x chats a day x 30.4167;
  - vendor costs: quantity x unit price, less the free quantity; hours 730 a month;
  - recovery: Cloud SQL HA fails over in about 60 s; a restore is taken as 60 min; PITR loses up to 5 min,
    daily backups up to 24 h.
Claim ids say what they are: `right.<kind>.<n>` or `wrong.<kind>.<n>`; score.py reads only the ids.
Wrong claims are the mistakes design documents make: a 30-day-vs-year slip, a series of SLAs read as the
best one, pools counted without workers, tokens a chat off by 10x, a saving counted as the whole usage, a failover promised for a restore, a
monthly figure that is not hourly x 730, a figure for another environment.
"""
from __future__ import annotations

import math
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
PLANS = HERE / "plans"
DAYS = 730 / 24  # 30.4167
MONTH_MIN, YEAR_MIN = 43_800, 525_600

# Published SLAs (monthly uptime), as on the pages named.
SLA = {
    "cloud_run": 99.95,  # cloud.google.com/run/sla
    "cloud_functions": 99.95,  # cloud.google.com/functions/sla
    "cloud_sql_ha": 99.95,  # cloud.google.com/sql/sla (Enterprise edition, HA)
    "redis_standard": 99.9,  # cloud.google.com/memorystore/sla (Standard tier)
    "load_balancer": 99.99,  # cloud.google.com/load-balancing/sla
    "cloud_armor": 99.99,  # cloud.google.com/armor/sla
    "pubsub": 99.95,  # cloud.google.com/pubsub/sla
    "storage_region": 99.9,  # cloud.google.com/storage/sla (Standard, regional)
    "firestore_region": 99.99,  # cloud.google.com/firestore/sla (regional)
    "bigquery": 99.99,  # cloud.google.com/bigquery/sla
    "cloud_cdn": 99.95,  # cloud.google.com/cdn/sla
    "secret_manager": 99.95,  # cloud.google.com/secret-manager/sla
}
FLASH_IN, FLASH_OUT = 0.30e-6, 2.50e-6  # ai.google.dev/gemini-api/docs/pricing, Gemini 2.5 Flash, paid tier


def series(*percents: float) -> float:
    return math.prod(p / 100 for p in percents) * 100


def run(duration_ms, **extra):
    base = {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": duration_ms,
            "health_check_path": "/healthz"}
    base.update(extra)
    return base


def sql(ha=True, pitr=True, tier="db-custom-2-7680"):
    return {"kind": "cloud_sql", "engine": "postgres", "tier": tier, "storage_gb": 20, "ha": ha,
            "private_ip": True, "backups": {"enabled": True, "pitr": pitr}}


def vendor(provider, service, unit, price, quantity, free=0):
    kinds = {"email": "email", "SMS": "sms", "card payment": "payments", "label detection": "ai"}
    return {"kind": "external", "provider": provider, "service": kinds.get(service, "other"),
            "items": [{"description": f"{provider} {service}", "unit": unit, "unit_price": price, "currency": "USD",
                       "quantity_per_month": quantity, "free_quantity_per_month": free,
                       "source": f"{provider} public price list"}]}


LB = {"kind": "load_balancer", "data_processed_gb_per_month": 10}
ARMOR = {"kind": "cloud_armor", "rules": 5, "requests_per_month": 1_000_000, "rate_limit_per_minute": 600,
         "waf_rules": ["sqli-v33-stable"], "load_balancer": "lb"}
REDIS = {"kind": "memorystore_redis", "tier": "standard", "capacity_gb": 1, "auth_enabled": True, "transit_encryption": True}
BUCKET = {"kind": "cloud_storage", "location_type": "region", "storage_gb": 50}


class Claims:
    """Collects the claims of one plan; `pair` adds the right figure and a wrong one of the same kind."""

    def __init__(self):
        self.items: list[dict] = []
        self.count: dict[str, int] = {}

    def add(self, verdict: str, kind: str, **body):
        n = self.count[f"{verdict}.{kind}"] = self.count.get(f"{verdict}.{kind}", 0) + 1
        self.items.append({"id": f"{verdict}.{kind}.{n}", "kind": kind, **body})

    def pair(self, kind: str, right: dict, wrong: dict):
        self.add("right", kind, **right)
        self.add("wrong", kind, **wrong)


def money(value: float) -> float:
    """Rounded as a document would write it: cents, or 3 significant figures below a dollar."""
    if value >= 1 or value == 0:
        return round(value, 2)
    return round(value, 2 - math.floor(math.log10(value)))


def common_claims(c: Claims, v: int, plan: dict, roles: dict):
    """Claims every architecture gets, worked out from its roles."""
    comps = plan["components"]
    # vendor cost: quantity x unit price less free, a month / a year / an hour / per user
    name = roles["vendor"]
    item = comps[name]["items"][0]
    monthly = (item["quantity_per_month"] - item["free_quantity_per_month"]) * item["unit_price"]
    c.pair("monthly_cost", {"value": money(monthly), "currency": "USD", "components": [name]},
           {"value": money(monthly / 10), "currency": "USD", "components": [name]})  # a dropped zero
    c.pair("annual_cost", {"value": money(monthly * 12), "currency": "USD", "components": [name]},
           {"value": money(monthly * 10), "currency": "USD", "components": [name]})  # 10 months, not 12
    c.pair("hourly_cost", {"value": money(monthly / 730), "currency": "USD", "components": [name]},
           {"value": money(monthly / 730 * 1.5), "currency": "USD", "components": [name]})
    users = plan["traffic"]["monthly_active_users"]
    c.pair("cost_per_user", {"value": money(monthly / users), "currency": "USD", "components": [name]},
           {"value": money(monthly / users * 3), "currency": "USD", "components": [name]})
    c.add("right", "monthly_cost", value=money(monthly), currency="USD", line_item=item["description"])
    c.add("wrong", "monthly_cost", value=money(monthly * 2), currency="USD", line_item=item["description"])
    # consistency: hourly x 730 = monthly (the parts are listed, not scored: ids part.*)
    c.items += [{"id": "part.hourly", "kind": "hourly_cost", "value": money(monthly / 730), "currency": "USD",
                 "components": [name]},
                {"id": "part.hourly-slip", "kind": "hourly_cost", "value": money(monthly / 600), "currency": "USD",
                 "components": [name]},  # a 600-hour month
                {"id": "part.monthly", "kind": "monthly_cost", "value": money(monthly), "currency": "USD",
                 "components": [name]}]
    c.pair("consistency", {"claims": ["part.hourly", "part.monthly"]},
           {"claims": ["part.hourly-slip", "part.monthly"]})

    # availability of the user path and of each component
    path, names = roles["path"]
    c.pair("availability_percent", {"value": round(math.floor(path * 100) / 100, 2), "components": names},
           {"value": max(max(SLA[k] for k in roles["path_kinds"]), round(path + 0.04, 2)),
            "components": names})  # the best SLA read as the path's
    each = roles["each"]
    c.pair("availability_percent", {"value": each[1], "components": each[0], "per_component": True},
           {"value": round(each[1] + 0.04, 2), "components": each[0], "per_component": True})
    # downtime from its own basis, and against the path
    basis = [99.9, 99.95, 99.5, 99.99, 99.0][v]
    c.pair("downtime_minutes_per_month",
           {"value": round((1 - basis / 100) * MONTH_MIN, 1), "basis": {"availability_percent": basis}},
           {"value": round((1 - basis / 100) * MONTH_MIN / 12, 1), "basis": {"availability_percent": basis}})
    c.pair("downtime_minutes_per_year",
           {"value": round((1 - basis / 100) * YEAR_MIN, 1), "basis": {"availability_percent": basis}},
           {"value": round((1 - basis / 100) * MONTH_MIN, 1), "basis": {"availability_percent": basis}})
    c.pair("downtime_minutes_per_month",
           {"value": round((1 - path / 100) * MONTH_MIN * 1.05, 1), "components": names},
           {"value": round((1 - path / 100) * MONTH_MIN / 3, 1), "components": names})

    # latency of the main service at low load: 3.0 x mean (exponential), the mean itself (constant)
    svc, mean_ms, cv = roles["latency"]
    p95 = mean_ms * (-math.log(0.05)) if cv == 1 else mean_ms
    c.pair("latency_p95_ms", {"value": math.ceil(p95 * 1.2), "components": [svc]},
           {"value": math.floor(p95 * 0.6), "components": [svc]})

    # concurrent users and peak rate a service can hold (max instances x concurrency)
    spec = comps[svc]
    slots = spec["max_instances"] * spec["concurrency"]
    c.pair("max_concurrent_users", {"value": slots // 2, "components": [svc]},
           {"value": slots * 4, "components": [svc]})
    sustainable = slots * 0.6 / (mean_ms / 1000)
    c.pair("peak_rps", {"value": math.floor(sustainable * 0.8), "components": [svc]},
           {"value": math.ceil(sustainable * 2), "components": [svc]})
    # instances the autoscaler runs at the plan's traffic: ceil(rps x s / (concurrency x 0.6)), min 1
    rps = plan["traffic"]["requests_per_month"] * spec.get("traffic_share", 1) / (730 * 3600) * \
        plan["traffic"]["peak_to_average"]
    needed = max(spec.get("min_instances", 0), math.ceil(rps * mean_ms / 1000 / (spec["concurrency"] * 0.6)), 1)
    c.pair("instances", {"value": needed, "components": [svc]}, {"value": needed * 3 + 4, "components": [svc]})

    # database connections: each client's max instances x workers x (pool + overflow)
    if roles.get("db"):
        db, clients = roles["db"]
        total = sum(comps[k]["max_instances"] * comps[k]["workers_per_instance"] *
                    (comps[k]["db_pool_size"] + comps[k].get("db_max_overflow", 0)) for k in clients)
        no_workers = sum(comps[k]["max_instances"] * (comps[k]["db_pool_size"] + comps[k].get("db_max_overflow", 0))
                         for k in clients)
        c.pair("db_connections", {"value": total, "components": [db]},
               {"value": no_workers if no_workers != total else total // 3, "components": [db]})
        ha = comps[db]["ha"]
        pitr = comps[db]["backups"]["pitr"]
        if ha:
            c.pair("rto_minutes", {"value": 5, "components": [db], "scenario": "zone outage"},
                   {"value": 5, "components": [db], "scenario": "data corruption"})  # a restore is not a failover
        else:
            c.pair("rto_minutes", {"value": 90, "components": [db], "scenario": "zone outage"},
                   {"value": 2, "components": [db], "scenario": "zone outage"})  # no standby to fail over to
        c.pair("rpo_minutes", {"value": 5 if pitr else 1440, "components": [db], "scenario": "data corruption"},
               {"value": 1 if pitr else 60, "components": [db], "scenario": "data corruption"})

    # LLM: tokens a chat, tokens a month (at the plan's volume and at another stated one), cost a chat
    if roles.get("llm"):
        name = roles["llm"]
        llm = comps[name]
        tin, tout = llm["per_chat"]["input"], llm["per_chat"]["output"]
        chats = llm["chats_per_day"]
        c.pair("tokens_per_chat", {"value": tin + tout, "components": [name]},
               {"value": (tin + tout) * 10, "components": [name]})
        c.pair("llm_tokens_per_month", {"value": round((tin + tout) * chats * DAYS), "components": [name]},
               {"value": round((tin + tout) * chats * DAYS * 10), "components": [name]})
        other = chats * 4
        c.pair("llm_tokens_per_month", {"value": round((tin + tout) * other * DAYS), "components": [name],
                                        "basis": {"chats_per_day": other}},
               {"value": round((tin + tout) * chats * DAYS), "components": [name],
                "basis": {"chats_per_day": other}})  # the plan's volume, not the one the figure is for
        # a prompt trimmed by `saved` tokens a chat: the saving is (before - after) x chats x days, not the usage
        saved = 500 + 250 * (chats // 1000 % 4)
        before = {"replaced_tokens_per_chat": tin + tout + saved}
        c.pair("llm_tokens_saved_per_month", {"value": round(saved * chats * DAYS), "components": [name],
                                              "basis": before},
               {"value": round((tin + tout + saved) * chats * DAYS), "components": [name], "basis": before})
        c.pair("llm_tokens_saved_per_month", {"value": round(saved * other * DAYS), "components": [name],
                                              "basis": {**before, "chats_per_day": other}},
               {"value": round(saved * chats * DAYS), "components": [name],
                "basis": {**before, "chats_per_day": other}})  # the plan's volume, not the one it is for
        per_chat = tin * FLASH_IN + tout * FLASH_OUT
        c.pair("cost_per_chat", {"value": round(per_chat, 6), "currency": "USD", "components": [name]},
               {"value": round(tin * 0.15e-6 + tout * 0.60e-6, 6), "currency": "USD", "components": [name]})

    # long-lived connections: max instances x concurrency
    if roles.get("websocket"):
        name = roles["websocket"]
        ws = comps[name]
        capacity = ws["max_instances"] * ws["concurrency"]
        c.pair("concurrent_connections", {"value": capacity, "components": [name]},
               {"value": capacity * 5, "components": [name]})

    # a claim for another environment: staging runs a third of the instances; the production figure is wrong there
    if v in (1, 3):
        small = max(1, spec["max_instances"] // 3)
        plan["project"]["environments"] = {"staging": {"components": {svc: {"max_instances": small,
                                                                                "min_instances": 0}}}}
        c.pair("max_concurrent_users", {"value": small * spec["concurrency"], "components": [svc],
                                        "environment": "staging"},
               {"value": slots, "components": [svc], "environment": "staging"})

    # a claim about a flow, when the plan declares one
    if roles.get("flow"):
        flow, percent = roles["flow"]
        c.pair("availability_percent", {"value": round(math.floor(percent * 100) / 100, 2), "flow": flow},
               {"value": round(percent + 0.06, 2), "flow": flow})


def traffic(v: int, mau: int, requests_per_user: int, peak: float = 3):
    dau = mau // 4
    return {"monthly_active_users": mau * (v + 1), "requests_per_month": dau * (v + 1) * requests_per_user * 30,
            "peak_to_average": peak, "avg_request_kib": 2, "avg_response_kib": 20}


# --- the architectures (public descriptions; none is one of the five seeds) ------------------------------------

def dynamic_web_app(v):
    """Google Cloud Jump Start Solution "Dynamic web application" (cloud.google.com/architecture/application-
    development/dynamic-app-python): a load balancer and Cloud Run frontend, a Cloud Run API, Cloud SQL for
    PostgreSQL and Memorystore Redis."""
    comps = {
        "lb": {**LB, "depends_on": ["armor", "frontend"]}, "armor": ARMOR,
        "frontend": run(80, max_instances=10 + 10 * v, concurrency=80, traffic_share=1, min_instances=1,
                        ingress="internal-and-cloud-load-balancing", depends_on=["api"]),
        "api": run(120, max_instances=20 + 5 * v, concurrency=40, traffic_share=1, min_instances=1,
                   workers_per_instance=2 + v % 2, db_pool_size=5, db_max_overflow=v % 3,
                   depends_on=["db", "cache", {"name": "mail", "critical": False}]),
        "db": sql(ha=v % 2 == 0, pitr=v != 3), "cache": REDIS,
        "mail": vendor("SendGrid", "email", "email", 0.001, 20_000 * (v + 1), 3000),
    }
    db_sla = SLA["cloud_sql_ha"] if v % 2 == 0 else 99.9
    names = ["lb", "armor", "frontend", "api", "db", "cache"]
    path = series(SLA["load_balancer"], SLA["cloud_armor"], SLA["cloud_run"], SLA["cloud_run"], db_sla,
                  SLA["redis_standard"])
    return comps, traffic(v, 20_000, 12), {"path": (path, names), "path_kinds": ["load_balancer", "cloud_run"],
                                           "each": (["frontend", "api"], SLA["cloud_run"]),
                                           "latency": ("api", 120, 1), "db": ("db", ["api"]), "vendor": "mail"}


def rag_chatbot(v):
    """Google Cloud "Generative AI RAG with Cloud SQL" reference architecture (cloud.google.com/architecture/
    rag-capable-gen-ai-app-using-vertex-ai): a Cloud Run chat service calling Gemini, with pgvector in Cloud SQL."""
    comps = {
        "lb": {**LB, "depends_on": ["chat"]},
        "chat": run(2500, max_instances=20 + 10 * v, concurrency=20, traffic_share=1, min_instances=1,
                    workers_per_instance=2, db_pool_size=4, db_max_overflow=2, long_lived="streaming",
                    timeout_seconds=600, depends_on=["db", "gemini"]),
        "search": run(90, max_instances=10, concurrency=50, traffic_share=1, workers_per_instance=2, db_pool_size=3,
                      service_time_distribution="fixed", depends_on=["db"]),
        "db": sql(ha=True, pitr=True), "gemini": {"kind": "llm", "model": "gemini-2.5-flash",
                                                  "chats_per_day": 1000 * (v + 1),
                                                  "per_chat": {"input": 2000 + 500 * v, "output": 400 + 100 * v}},
        "moderation": vendor("Perspective", "moderation", "request", 0.0005, 50_000 * (v + 1)),
    }
    comps["lb"]["depends_on"].append("search")
    names = ["db"]
    return comps, traffic(v, 5_000, 8), {"path": (SLA["cloud_sql_ha"], names), "path_kinds": ["cloud_sql_ha"],
                                         "each": (["chat", "search"], SLA["cloud_run"]),
                                         "latency": ("search", 90, 0), "db": ("db", ["chat", "search"]),
                                         "llm": "gemini", "vendor": "moderation"}


def image_pipeline(v):
    """Google Cloud tutorial "Process images from Cloud Storage" (cloud.google.com/run/docs/tutorials/image-
    processing): uploads land in a bucket, a Pub/Sub notification triggers a Cloud Run thumbnail service,
    results go to Firestore; an API serves them."""
    comps = {
        "api": run(60, max_instances=15 + 5 * v, concurrency=60, traffic_share=1, min_instances=1,
                   depends_on=["store", "uploads", {"name": "notify", "protocol": "gRPC"}]),
        "uploads": BUCKET,
        "notify": {"kind": "pubsub", "topics": ["uploads"], "avg_message_kib": 1, "messages_per_request": 0.1,
                   "depends_on": ["thumbnails"]},
        "thumbnails": run(1500, max_instances=30, concurrency=4, traffic_share=0.1, depends_on=["uploads", "store"]),
        "store": {"kind": "firestore", "reads_per_month": 1_000_000, "writes_per_month": 100_000, "stored_gb": 5},
        "vision": vendor("Cloud Vision", "label detection", "image", 0.0015, 10_000 * (v + 1), 1000),
    }
    names = ["api", "store", "uploads", "notify"]
    path = series(SLA["cloud_run"], SLA["firestore_region"], SLA["storage_region"], SLA["pubsub"])
    flows = {"thumbnailing": {"entry": "thumbnails", "slo": {"availability_percent": 99.5}}}
    flow = series(SLA["pubsub"], SLA["cloud_run"], SLA["storage_region"], SLA["firestore_region"])
    return comps, traffic(v, 8_000, 20), {"path": (path, names), "path_kinds": ["cloud_run", "pubsub"],
                                          "each": (["api", "thumbnails"], SLA["cloud_run"]),
                                          "latency": ("api", 60, 1), "vendor": "vision",
                                          "flow": ("thumbnailing", flow)}, flows


def websocket_chat(v):
    """Google Cloud tutorial "Building a WebSocket chat service for Cloud Run" (cloud.google.com/run/docs/
    triggering/websockets): Cloud Run holds the sockets, Memorystore Redis fans messages out."""
    comps = {
        "lb": {**LB, "depends_on": ["sockets", "rooms"]},
        "sockets": run(1_800_000, max_instances=10 + 10 * v, concurrency=250, traffic_share=0.01, min_instances=1,
                       long_lived="websocket", timeout_seconds=3600, depends_on=["cache"]),
        "rooms": run(40, max_instances=10, concurrency=80, traffic_share=1, depends_on=["cache"]),
        "cache": REDIS,
        "push": vendor("OneSignal", "push", "notification", 0.0002, 200_000 * (v + 1), 10_000),
    }
    names = ["lb", "rooms", "cache"]
    path = series(SLA["load_balancer"], SLA["cloud_run"], SLA["redis_standard"])
    return comps, traffic(v, 30_000, 40), {"path": (path, names), "path_kinds": ["load_balancer", "cloud_run"],
                                           "each": (["sockets", "rooms"], SLA["cloud_run"]),
                                           "latency": ("rooms", 40, 1), "websocket": "sockets", "vendor": "push"}


def bank_api(v):
    """Bank of Anthos (github.com/GoogleCloudPlatform/bank-of-anthos), run on Cloud Run: a frontend, the ledger
    writer and balance reader over Cloud SQL, user service over a second Cloud SQL database."""
    comps = {
        "lb": {**LB, "depends_on": ["armor", "frontend"]}, "armor": ARMOR,
        "frontend": run(70, max_instances=20, concurrency=80, traffic_share=1, min_instances=2,
                        depends_on=[{"name": "ledger", "route": True}, {"name": "users", "route": True}]),
        "ledger": run(150, max_instances=10 + 5 * v, concurrency=20, traffic_share=0.6, workers_per_instance=4,
                      db_pool_size=2, db_max_overflow=1, depends_on=["ledger_db"]),
        "users": run(100, max_instances=8, concurrency=20, traffic_share=0.4, workers_per_instance=2,
                     db_pool_size=3, depends_on=["accounts_db"]),
        "ledger_db": sql(ha=True, pitr=True), "accounts_db": sql(ha=v < 3, pitr=True),
        "kyc": vendor("Onfido", "identity check", "check", 1.2, 200 * (v + 1)),
    }
    names = ["lb", "armor", "frontend", "ledger", "ledger_db"]
    path = series(SLA["load_balancer"], SLA["cloud_armor"], SLA["cloud_run"], SLA["cloud_run"], SLA["cloud_sql_ha"])
    flows = {"transfer": {"entry": "lb", "through": ["ledger"], "slo": {"availability_percent": 99.9}}}
    return comps, traffic(v, 15_000, 30), {"path": (path, names), "path_kinds": ["load_balancer", "cloud_armor"],
                                           "each": (["frontend", "ledger", "users"], SLA["cloud_run"]),
                                           "latency": ("ledger", 150, 1), "db": ("ledger_db", ["ledger"]),
                                           "vendor": "kyc", "flow": ("transfer", path)}, flows


def online_boutique(v):
    """Online Boutique (github.com/GoogleCloudPlatform/microservices-demo) on Cloud Run: a frontend routing to
    catalog, cart (Redis) and checkout, which calls payment and email."""
    comps = {
        "lb": {**LB, "depends_on": ["frontend"]},
        "frontend": run(50, max_instances=30, concurrency=80, traffic_share=1, min_instances=1,
                        depends_on=[{"name": "catalog", "route": True}, {"name": "cart", "route": True},
                                    {"name": "checkout", "route": True}]),
        "catalog": run(20, max_instances=10 + 2 * v, concurrency=100, traffic_share=0.6, service_time_distribution="fixed"),
        "cart": run(15, max_instances=10, concurrency=100, traffic_share=0.3, depends_on=["redis"]),
        "checkout": run(300, max_instances=10, concurrency=20, traffic_share=0.1,
                        depends_on=["payments", {"name": "mail", "critical": False}]),
        "redis": REDIS,
        "payments": vendor("Stripe", "card payment", "charge", 0.30, 1000 * (v + 1)),
        "mail": vendor("Mailgun", "email", "email", 0.0008, 5000 * (v + 1)),
    }
    names = ["lb", "frontend", "cart", "redis"]
    path = series(SLA["load_balancer"], SLA["cloud_run"], SLA["cloud_run"], SLA["redis_standard"])
    return comps, traffic(v, 50_000, 25), {"path": (path, names), "path_kinds": ["load_balancer", "cloud_run"],
                                           "each": (["frontend", "catalog", "cart"], SLA["cloud_run"]),
                                           "latency": ("catalog", 20, 0), "vendor": "mail"}


def event_ingest(v):
    """Google Cloud "Stream analytics" pattern (cloud.google.com/architecture/... pubsub-to-bigquery): an ingest
    API publishes to Pub/Sub; a Cloud Functions subscriber writes to BigQuery; a scheduler compacts nightly."""
    comps = {
        "ingest": run(25, max_instances=20 + 10 * v, concurrency=200, traffic_share=1,
                      depends_on=[{"name": "events", "protocol": "gRPC"}]),
        "events": {"kind": "pubsub", "topics": ["raw"], "avg_message_kib": 2, "messages_per_request": 1,
                   "depends_on": ["loader"]},
        "loader": {"kind": "cloud_functions", "cpu": 1, "memory": "512Mi", "duration_ms": 200, "traffic_share": 1,
                   "max_instances": 50, "depends_on": ["warehouse"]},
        "warehouse": {"kind": "bigquery", "active_storage_gb": 500, "query_tib_per_month": 2},
        "alerts": vendor("PagerDuty", "alerting seat", "seat", 21, 3 + v),
    }
    names = ["ingest", "events"]
    path = series(SLA["cloud_run"], SLA["pubsub"])
    flows = {"loading": {"entry": "loader", "slo": {"availability_percent": 99.9}}}
    flow = series(SLA["pubsub"], SLA["cloud_functions"], SLA["bigquery"])
    return comps, traffic(v, 2_000, 500), {"path": (path, names), "path_kinds": ["cloud_run", "pubsub"],
                                           "each": (["ingest"], SLA["cloud_run"]), "latency": ("ingest", 25, 1),
                                           "vendor": "alerts", "flow": ("loading", flow)}, flows


def saas_dashboard(v):
    """A multi-tenant SaaS on Cloud Run (Google Cloud "SaaS on Cloud Run" solution guide): API, background
    worker on Pub/Sub, Cloud SQL HA, Redis sessions, SMS via Twilio."""
    comps = {
        "lb": {**LB, "depends_on": ["armor", "api"]}, "armor": ARMOR,
        "api": run(90, max_instances=25, concurrency=50 + 10 * v, traffic_share=1, min_instances=1,
                   workers_per_instance=3, db_pool_size=4, db_max_overflow=2,
                   depends_on=["db", "sessions", {"name": "jobs", "protocol": "Pub/Sub"}]),
        "jobs": {"kind": "pubsub", "topics": ["jobs"], "avg_message_kib": 4, "messages_per_request": 0.05,
                 "depends_on": ["worker"]},
        "worker": run(4000, max_instances=5, concurrency=4, traffic_share=0.05, workers_per_instance=2,
                      db_pool_size=2, depends_on=["db", "sms"]),
        "db": sql(ha=True, pitr=v % 2 == 0), "sessions": REDIS,
        "sms": vendor("Twilio", "SMS", "message", 0.0079, 3000 * (v + 1)),
    }
    names = ["lb", "armor", "api", "db", "sessions"]
    path = series(SLA["load_balancer"], SLA["cloud_armor"], SLA["cloud_run"], SLA["cloud_sql_ha"], SLA["redis_standard"])
    return comps, traffic(v, 12_000, 30), {"path": (path, names), "path_kinds": ["load_balancer", "cloud_run"],
                                           "each": (["api", "worker"], SLA["cloud_run"]), "latency": ("api", 90, 1),
                                           "db": ("db", ["api", "worker"]), "vendor": "sms"}


def support_assistant(v):
    """A customer-support assistant (Google Cloud "Build a generative AI customer service agent" guide): Cloud
    Run API, Gemini, Firestore conversation history, ticketing vendor."""
    comps = {
        "api": run(180, max_instances=10 + 5 * v, concurrency=30, traffic_share=1, min_instances=1,
                   depends_on=["history", "gemini", "secrets"]),
        "history": {"kind": "firestore", "reads_per_month": 3_000_000, "writes_per_month": 600_000, "stored_gb": 10},
        "gemini": {"kind": "llm", "model": "gemini-2.5-flash", "chats_per_day": 3000 + 1000 * v,
                   "per_chat": {"input": 3000, "output": 600}},
        "secrets": {"kind": "secret_manager", "secrets": 5, "access_ops_per_month": 10_000},
        "tickets": vendor("Zendesk", "agent seat", "seat", 55, 4 + v),
    }
    names = ["api", "history", "secrets"]
    path = series(SLA["cloud_run"], SLA["firestore_region"], SLA["secret_manager"])
    return comps, traffic(v, 9_000, 10), {"path": (path, names), "path_kinds": ["firestore_region", "cloud_run"],
                                          "each": (["api"], SLA["cloud_run"]), "latency": ("api", 180, 1),
                                          "llm": "gemini", "vendor": "tickets"}


def media_site(v):
    """A content site behind Cloud CDN (Google Cloud "Serve static content with Cloud CDN" plus a Cloud Run
    API for comments), with a regional bucket for media."""
    comps = {
        "cdn": {"kind": "cloud_cdn", "egress_gb_per_month": 500, "destination": "asia_pacific", "cache_hit_ratio": 0.9,
                "requests_per_month": 5_000_000, "depends_on": ["lb"]},
        "lb": {**LB, "depends_on": ["media", "comments"]},
        "media": BUCKET,
        "comments": run(45, max_instances=8 + 4 * v, concurrency=80, traffic_share=0.2, workers_per_instance=2,
                        db_pool_size=3, depends_on=["db"]),
        "db": sql(ha=v != 1, pitr=True),
        "captcha": vendor("hCaptcha", "verification", "1000 checks", 1.0, 50 * (v + 1)),
    }
    names = ["cdn", "lb", "media"]
    path = series(SLA["cloud_cdn"], SLA["load_balancer"], SLA["storage_region"])
    return comps, traffic(v, 40_000, 15), {"path": (path, names), "path_kinds": ["cloud_cdn", "load_balancer"],
                                           "each": (["comments"], SLA["cloud_run"]), "latency": ("comments", 45, 1),
                                           "db": ("db", ["comments"]), "vendor": "captcha"}


def booking_api(v):
    """A clinic appointment booking service (Google Cloud "Healthcare appointment scheduling" solution sketch):
    Cloud Run API, Cloud SQL, SMS reminders from a scheduled job."""
    comps = {
        "api": run(110, max_instances=12 + 4 * v, concurrency=40, traffic_share=1, min_instances=1,
                   workers_per_instance=2, db_pool_size=5, db_max_overflow=5, depends_on=["db"]),
        "reminders": run(2000, max_instances=3, concurrency=1, traffic_share=0.01, workers_per_instance=1,
                         db_pool_size=2, depends_on=["db", "sms"]),
        "cron": {"kind": "cloud_scheduler", "jobs": [{"name": "remind", "schedule": "0 8 * * *",
                                                      "target": "reminders"}], "depends_on": ["reminders"]},
        "db": sql(ha=v % 2 == 1, pitr=v != 4),
        "sms": vendor("MessageBird", "SMS", "message", 0.006, 8000 * (v + 1)),
    }
    db_sla = SLA["cloud_sql_ha"] if v % 2 == 1 else 99.9
    names = ["api", "db"]
    path = series(SLA["cloud_run"], db_sla)
    return comps, traffic(v, 6_000, 14), {"path": (path, names), "path_kinds": ["cloud_run"],
                                          "each": (["api", "reminders"], SLA["cloud_run"]),
                                          "latency": ("api", 110, 1), "db": ("db", ["api", "reminders"]),
                                          "vendor": "sms"}


def game_leaderboard(v):
    """A mobile game backend (Google Cloud "Mobile gaming analytics and leaderboards" pattern): Cloud Run
    score API on Redis sorted sets, Firestore profiles, WebSocket live updates."""
    comps = {
        "lb": {**LB, "depends_on": ["scores", "live"]},
        "scores": run(12, max_instances=20 + 20 * v, concurrency=250, traffic_share=1, service_time_distribution="fixed",
                      depends_on=["board", "profiles"]),
        "live": run(600_000, max_instances=10 + 5 * v, concurrency=500, traffic_share=0.02, long_lived="websocket",
                    timeout_seconds=3600, depends_on=["board"]),
        "board": REDIS,
        "profiles": {"kind": "firestore", "reads_per_month": 20_000_000, "writes_per_month": 2_000_000, "stored_gb": 20},
        "anticheat": vendor("AntiCheatCo", "scan", "1000 scans", 0.4, 300 * (v + 1)),
    }
    names = ["lb", "scores", "board", "profiles"]
    path = series(SLA["load_balancer"], SLA["cloud_run"], SLA["redis_standard"], SLA["firestore_region"])
    return comps, traffic(v, 100_000, 60), {"path": (path, names), "path_kinds": ["load_balancer", "firestore_region"],
                                            "each": (["scores", "live"], SLA["cloud_run"]),
                                            "latency": ("scores", 12, 0), "websocket": "live", "vendor": "anticheat"}


ARCHITECTURES = [dynamic_web_app, rag_chatbot, image_pipeline, websocket_chat, bank_api, online_boutique,
                 event_ingest, saas_dashboard, support_assistant, media_site, booking_api, game_leaderboard]


def build(function, v: int) -> dict:
    made = function(v)
    comps, traffic_section, roles = made[:3]
    flows = made[3] if len(made) > 3 else {}
    plan = {"project": {"name": f"{function.__name__.replace('_', '-')}-v{v}", "region": "us-central1",
                        "seed": (function.__doc__ or "").split("(")[0].strip()[:80]},
            "traffic": traffic_section, "components": comps}
    if flows:
        plan["flows"] = flows
    claims = Claims()
    common_claims(claims, v, plan, roles)
    for claim in claims.items:  # drop empty keys
        for key in [k for k, value in claim.items() if value is None]:
            del claim[key]
    plan["claims"] = claims.items
    return plan


def main() -> None:
    PLANS.mkdir(exist_ok=True)
    for old in PLANS.glob("*.yaml"):
        old.unlink()
    for index, function in enumerate(ARCHITECTURES):
        for v in range(5):
            plan = build(function, v)
            path = PLANS / f"{index + 1:02d}-{function.__name__.replace('_', '-')}-v{v}.yaml"
            header = f"# Claims benchmark plan, written by build.py from: {' '.join((function.__doc__ or '').split())}\n"
            path.write_text(header + yaml.safe_dump(plan, sort_keys=False, allow_unicode=True))
    print(f"wrote {len(list(PLANS.glob('*.yaml')))} plans to {PLANS}")


if __name__ == "__main__":
    main()
