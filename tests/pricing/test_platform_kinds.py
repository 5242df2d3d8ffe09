"""Kinds added for production plans (queues, keys, API management, builds, identity), by hand from the
catalog's unit prices."""
import contextlib
import io
from decimal import Decimal

import pytest

from archplan.cli import main
from archplan.components.base import DAYS_PER_MONTH
from tests.conftest import close, items, write_plan


def cli_error(path) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["cost", str(path)])
    return code, err.getvalue()


def test_cloud_tasks_operations_chunked_at_32_kb_after_the_free_million(priced):
    report = priced({"q": {"kind": "cloud_tasks", "tasks_per_month": 2_000_000, "attempts_per_task": 1.5,
                           "avg_task_kib": 40}}, free_tiers=True)
    # 40 KiB is 2 chunks; each task is 1 create + 1.5 attempts: 2,000,000 x 2.5 x 2 = 10,000,000 operations
    assert close(items(report)["operations"], (10_000_000 - 1_000_000) * 0.40 / 1_000_000)


def test_cloud_tasks_stated_operations_without_free_tier(priced):
    report = priced({"q": {"kind": "cloud_tasks", "operations_per_month": 3_000_000}})
    assert close(report.total_usd, 3 * 0.40)


def test_kms_versions_by_protection_level_and_operations(priced):
    report = priced({"kms": {"kind": "cloud_kms", "keys": [
        {"name": "data", "rotation_days": 90, "active_versions": 4, "operations_per_month": 2_000_000},
        {"name": "hsm", "protection_level": "hsm", "operations_per_month": 100_000},
        {"name": "sign", "protection_level": "hsm", "algorithm": "ec_p256", "active_versions": 2,
         "operations_per_month": 50_000},
        {"name": "ekm", "protection_level": "external"}]}})
    got = items(report)
    assert close(got["key_version_software"], 4 * 0.06)
    assert close(got["operations_software"], 2_000_000 * 0.03 / 10_000)
    assert close(got["key_version_hsm"], 1 * 1.00)
    assert close(got["operations_hsm"], 100_000 * 0.03 / 10_000)
    assert close(got["key_version_hsm_large"], 2 * 2.50)
    assert close(got["operations_hsm_large"], 50_000 * 0.15 / 10_000)
    assert close(got["key_version_external"], 3.00)


def test_kms_hsm_large_versions_above_2000_are_one_dollar(priced):
    report = priced({"kms": {"kind": "cloud_kms", "keys": [
        {"name": "sign", "protection_level": "hsm", "algorithm": "rsa_4096", "active_versions": 2500}]}})
    assert close(report.total_usd, 2000 * 2.50 + 500 * 1.00)


def test_kms_rotation_of_an_asymmetric_key_is_a_one_line_error(tmp_path):
    path = write_plan(tmp_path, {"kms": {"kind": "cloud_kms", "keys": [
        {"name": "sign", "algorithm": "rsa_2048", "rotation_days": 30}]}})
    code, err = cli_error(path)
    assert code == 1 and err.count("\n") == 1 and "rotates only symmetric" in err and "Traceback" not in err


def test_api_gateway_and_endpoints_share_the_service_control_allowance(priced):
    report = priced({"gw": {"kind": "api_gateway", "backend": "api", "calls_per_month": 3_000_000},
                     "ep": {"kind": "cloud_endpoints", "calls_per_month": 1_000_000},
                     "api": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 100,
                             "requests_per_month": 0}}, free_tiers=True)
    # 4M calls, 2M free split 3:1 -> 1.5M and 0.5M free; 2M billable at $3.00 per million
    assert close(items(report, "gw")["tracked_operations"], 1_500_000 * 3.00 / 1_000_000)
    assert close(items(report, "ep")["tracked_operations"], 500_000 * 3.00 / 1_000_000)


def test_api_calls_above_a_billion_are_half_price(priced):
    """"0-2M $0.00; 2M-1B $3.00; 1B+ $1.50" per million calls, the bands counting every call of the month: with
    the free 2 million used elsewhere, the plan's calls start at 2 million."""
    report = priced({"ep": {"kind": "cloud_endpoints", "calls_per_month": 1_500_000_000}})
    assert close(report.total_usd, 998_000_000 * 3.00 / 1e6 + 502_000_000 * 1.50 / 1e6, 4)
    report = priced({"ep": {"kind": "cloud_endpoints", "calls_per_month": 1_500_000_000}}, free_tiers=True)
    assert close(report.total_usd, 998_000_000 * 3.00 / 1e6 + 500_000_000 * 1.50 / 1e6, 4)


def test_api_calls_from_traffic_share(priced):
    report = priced({"ep": {"kind": "cloud_endpoints", "traffic_share": 0.5}},
                    traffic={"requests_per_month": 10_000_000})
    assert close(report.total_usd, 5_000_000 * 3.00 / 1e6)


def test_cloud_build_free_minutes_only_on_e2_standard_2(priced):
    report = priced({"ci": {"kind": "cloud_build", "builds_per_month": 600, "minutes_per_build": 6}}, free_tiers=True)
    assert close(report.total_usd, (3600 - 2500) * 0.006)
    fast = priced({"ci": {"kind": "cloud_build", "machine_type": "e2-highcpu-8", "build_minutes_per_month": 3600}},
                  free_tiers=True)
    assert close(fast.total_usd, 3600 * 0.016)


def test_cloud_run_job_task_seconds_at_instance_based_rates(priced):
    report = priced({"nightly": {"kind": "cloud_run_job", "cpu": 2, "memory": "4Gi", "tasks": 10,
                                 "task_duration_seconds": 300, "executions_per_month": 30,
                                 "attempts_per_task": 1.1}})
    seconds = 30 * 10 * 1.1 * 300  # 99,000 task-seconds
    got = items(report)
    assert close(got["cpu_instance_based"], seconds * 2 * 0.000018)
    assert close(got["memory_instance_based"], seconds * 4 * 0.000002)


def test_cloud_run_job_shares_the_instance_based_free_tier(priced):
    report = priced({"nightly": {"kind": "cloud_run_job", "task_duration_seconds": 600,
                                 "executions_per_month": 500}}, free_tiers=True)
    # 300,000 vCPU-seconds, 240,000 free; 150,000 GiB-seconds, all within the 450,000 free
    assert close(items(report)["cpu_instance_based"], 60_000 * 0.000018)
    assert close(items(report)["memory_instance_based"], 0)


def test_cloud_run_job_without_a_task_duration(priced, tmp_path):
    # An imported job has no task duration (Terraform holds only the timeout, a limit): with no executions it
    # prices nothing; with executions it is one line naming the key.
    report = priced({"nightly": {"kind": "cloud_run_job", "timeout_seconds": 1800, "executions_per_month": 0}})
    assert close(report.total_usd, 0)
    code, err = cli_error(write_plan(tmp_path, {"nightly": {"kind": "cloud_run_job", "executions_per_month": 30}}))
    assert code == 1 and len(err.strip().splitlines()) == 1 and "task_duration_seconds" in err


def test_valkey_bills_every_node_of_every_shard(priced):
    report = priced({"cache": {"kind": "memorystore_valkey", "node_type": "standard-small", "shards": 3,
                               "replicas_per_shard": 1}}, region="asia-south1")
    # 3 shards x (1 primary + 1 replica) = 6 nodes; asia-south1 standard-small from the catalog's data set
    rate = 0.1482  # doitintl all-regions memorystore-pricing.json, valkey-standard-small, asia-south1 onDemand
    assert close(items(report)["node/standard-small"], 6 * 730 * rate, 4)


def test_redis_cluster_node_hours_in_three_regions(priced):
    for region, rate in (("us-central1", 0.1923), ("asia-south1", 0.2), ("asia-southeast2", 0.2586)):
        report = priced({"cache": {"kind": "memorystore_redis_cluster", "shards": 3, "replicas_per_shard": 2}},
                        region=region)
        assert close(report.total_usd, 9 * 730 * rate, 4), region


@pytest.mark.parametrize(("kind", "node", "rate"), [("memorystore_valkey", "standard-small", 0.1425),
                                                   ("memorystore_redis_cluster", "redis-highmem-medium", 0.1923)])
@pytest.mark.parametrize(("commitment", "off"), [("1y", 0.20), ("3y", 0.40)])
def test_memorystore_cluster_commitments_off_node_hours(priced, kind, node, rate, commitment, off):
    """Google's Valkey and Redis Cluster CUD pages: 20% for 1 year, 40% for 3, spend-based, on capacity (not
    persistence, backups or transfer). us-central1 rates from the doitintl data set."""
    spec = {"kind": kind, "node_type": node, "shards": 2, "replicas_per_shard": 1, "commitment": commitment}
    report = priced({"cache": spec})
    assert close(report.total_usd, 4 * 730 * rate * (1 - off), 4)  # 4 nodes x 730 h x rate x (1 - discount)


def test_vision_units_per_feature_after_the_free_1000(priced):
    report = priced({"ocr": {"kind": "cloud_vision", "features": [
        {"feature": "document_text_detection", "units_per_month": 10_000},
        {"feature": "object_localization", "units_per_month": 3_000}]}}, free_tiers=True)
    got = items(report)
    assert close(got["document_text_detection"], (10_000 - 1_000) * 1.50 / 1000)
    assert close(got["object_localization"], (3_000 - 1_000) * 2.25 / 1000)


def test_vision_above_five_million_units_and_safe_search_free_with_labels(priced):
    report = priced({"img": {"kind": "cloud_vision", "features": [
        {"feature": "label_detection", "units_per_month": 6_000_000},
        {"feature": "safe_search_detection", "units_per_month": 7_000_000}]}})
    got = items(report)
    # "1,001-5,000,000 $1.50, 5,000,001+ $1.00" per 1,000 units of the month's volume; the first 1,000 used
    # elsewhere (free tiers off)
    assert close(got["label_detection"], 4_999_000 * 1.50 / 1000 + 1_001_000 * 1.00 / 1000)
    assert close(got["safe_search_detection/with_label_detection"], 0)
    assert close(got["safe_search_detection"], 1_000_000 * 1.50 / 1000)  # 1M images without labels


def test_gpu_vm_is_priced_by_its_accelerator_optimized_machine_type(priced):
    report = priced({"vm": {"kind": "compute_engine", "machine_type": "g2-standard-4"}})
    # cyclenerd pricing.yml g2-standard-4 us-central1: month 515.98754615 (1 NVIDIA L4 included; no SUD)
    assert close(items(report)["instance/g2-standard-4/sud"], 515.98754615, 4)


def test_gke_gpu_node_pool_in_mumbai(priced):
    report = priced({"k8s": {"kind": "gke", "mode": "standard", "location_type": "zonal", "node_pools": [
        {"name": "gpu", "machine_type": "a2-highgpu-1g", "nodes": 2}]}}, region="asia-south1")
    month = 3157.23808932  # cyclenerd pricing.yml a2-highgpu-1g asia-south1 month (hour 4.324983684 x 730)
    assert close(items(report)["instance/a2-highgpu-1g/sud"], 2 * month, 4)


def test_identity_platform_graduated_mau_tiers(priced):
    report = priced({"auth": {"kind": "identity_platform", "providers": ["email", "google", "saml"],
                              "monthly_active_users": 1_200_000, "enterprise_monthly_active_users": 80}},
                    free_tiers=True)
    got = items(report)
    # 0-50k free; 50k-100k at $0.0055, 100k-1M at $0.0046, 1M-1.2M at $0.0032: 275 + 4,140 + 640
    assert close(got["tier1_mau"], 50_000 * 0.0055 + 900_000 * 0.0046 + 200_000 * 0.0032)
    assert close(got["tier2_mau"], 30 * 0.015)


def test_identity_platform_mau_from_the_traffic_model(priced):
    report = priced({"auth": {"kind": "identity_platform"}}, traffic={"monthly_active_users": 60_000},
                    free_tiers=True)
    assert close(report.total_usd, 10_000 * 0.0055)


def test_identity_platform_without_the_free_band_starts_at_the_second_rate(priced):
    report = priced({"auth": {"kind": "identity_platform", "monthly_active_users": 60_000}})
    assert close(report.total_usd, 50_000 * 0.0055 + 10_000 * 0.0046)


@pytest.mark.parametrize("fields, said", [
    ({"providers": ["email", "phone"]}, "phone sign-in send SMS"),
    ({"providers": ["email"], "mfa": True}, "SMS multi-factor send SMS"),
    ({"providers": ["email"]}, None),
])
def test_identity_platform_sms_is_said_not_priced(priced, fields, said):
    """Phone sign-in and SMS multi-factor bill each SMS by destination country, apart from MAU; archplan has no
    SMS rates, so the report says they are not priced rather than leaving a silent zero (a trial plan)."""
    report = priced({"auth": {"kind": "identity_platform", "monthly_active_users": 60_000, **fields}})
    lines = [line for line in report.assumptions if "SMS" in line]
    assert (lines[0].startswith(f"auth: {said}") and "not priced" in lines[0]) if said else not lines


def test_eventarc_google_events_free_and_transport_at_pubsub_rates(priced):
    report = priced({"uploads": {"kind": "cloud_storage", "location_type": "region", "storage_gb": 0},
                     "thumbs": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 100,
                                "requests_per_month": 0},
                     "events": {"kind": "eventarc", "triggers": [
                         {"name": "new-object", "event_type": "google.cloud.storage.object.v1.finalized",
                          "bucket": "uploads", "destination": "thumbs", "events_per_month": 2_592_000}]}})
    got = items(report, "events")
    assert any("events from Google sources cost $0" in line for line in report.assumptions)
    # 2,592,000 events x 2,048 B x 2 (publish + delivery) / 1024^4 B per TiB x $40 per TiB
    assert close(got["throughput"], 2_592_000 * 2048 * 2 / 1024**4 * 40)


def test_eventarc_trigger_on_a_plan_topic_adds_no_transport_of_its_own(priced):
    # the topic's pubsub component prices its 1,000,000 messages of 2 KiB once, published and delivered to its
    # one subscription (Eventarc's); the trigger that carries them adds nothing (it priced a second publish
    # and delivery: 1,000,000 x 2,048 B x 2 / 1024^4 TiB x $40 more)
    report = priced({"orders": {"kind": "pubsub", "topics": ["placed"], "messages_per_month": 1_000_000,
                                "avg_message_kib": 2},
                     "ship": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 100,
                              "requests_per_month": 0},
                     "events": {"kind": "eventarc", "triggers": [
                         {"name": "placed", "event_type": "google.cloud.pubsub.topic.v1.messagePublished",
                          "topic": "orders", "destination": "ship", "events_per_month": 1_000_000}]}})
    assert items(report, "events") == {"throughput": 0}
    assert close(items(report, "orders")["throughput"], 1_000_000 * 2048 * 2 / 1024**4 * 40)


def test_eventarc_pubsub_trigger_without_its_topic_is_a_one_line_error(tmp_path):
    path = write_plan(tmp_path, {"ship": {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 100,
                                          "requests_per_month": 0},
                                 "events": {"kind": "eventarc", "triggers": [
                                     {"name": "placed", "event_type": "google.cloud.pubsub.topic.v1.messagePublished",
                                      "destination": "ship", "events_per_month": 10}]}})
    code, err = cli_error(path)
    assert code == 1 and err.count("\n") == 1 and "triggers[0]: a google.cloud.pubsub.topic.v1.messagePublished " \
        "trigger needs topic" in err


def test_embeddings_are_llm_input_tokens(priced):
    report = priced({"embed": {"kind": "llm", "model": "gemini-embedding-001",
                               "tokens_per_month": {"input": 40_000_000}}})
    assert close(report.total_usd, 40 * 0.15)


def test_embeddings_have_no_output_price(tmp_path):
    path = write_plan(tmp_path, {"embed": {"kind": "llm", "model": "gemini-embedding-001",
                                           "tokens_per_month": {"input": 1000, "output": 10}}})
    code, err = cli_error(path)
    assert code == 1 and err.count("\n") == 1 and "no output price" in err


def test_translation_characters_per_target_language_after_the_free_500k(priced):
    report = priced({"tr": {"kind": "cloud_translation", "characters_per_month": 2_000_000, "target_languages": 3}},
                    free_tiers=True)
    assert close(report.total_usd, (6_000_000 - 500_000) * 20 / 1_000_000)


PRIVATE_CLUSTER = {"kind": "gke", "mode": "standard", "location_type": "zonal", "private_nodes": True,
                   "node_pools": [{"name": "pool", "machine_type": "e2-standard-4", "nodes": 1}],
                   "deployments": [{"name": "api", "replicas": 1, "cpu": 1, "memory": "1Gi"},
                                   {"name": "worker", "replicas": 1, "cpu": 1, "memory": "1Gi"}]}
WEB = {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 100, "requests_per_month": 1000}


def test_cloud_build_minutes_of_private_cluster_pipelines_at_the_private_pool_rate(priced):
    """Three pipelines (web, api, worker); api and worker deploy to the private cluster and run in the private
    pool: 3,000 minutes split evenly, 2,000 at e2-standard-2's private-pool $0.0097, 1,000 in the default
    pool within its 2,500 free minutes (cloud.google.com/build/pricing)."""
    report = priced({"web": WEB, "cluster": PRIVATE_CLUSTER,
                     "ci": {"kind": "cloud_build", "build_minutes_per_month": 3000}}, free_tiers=True)
    got = items(report, "ci")
    assert close(got["private_build_minute/e2-standard-2"], 2000 * 0.0097)
    assert close(got["build_minute/e2-standard-2"], 0)
    line = next(i for i in report.line_items if i.sku == "private_build_minute/e2-standard-2")
    assert "2 of 3 pipelines" in line.description and line.quantity == 2000


def test_cloud_build_private_pool_only(priced):
    report = priced({"cluster": PRIVATE_CLUSTER,
                     "ci": {"kind": "cloud_build", "machine_type": "e2-highcpu-8", "build_minutes_per_month": 600}},
                    free_tiers=True)
    assert items(report, "ci") == {"private_build_minute/e2-highcpu-8": items(report, "ci")[
        "private_build_minute/e2-highcpu-8"]}
    assert close(items(report, "ci")["private_build_minute/e2-highcpu-8"], 600 * 0.02872)


def test_cloud_build_private_pool_rates_are_the_per_vcpu_and_per_gb_rule():
    """The page's table is vCPU x $0.00317 + GB x $0.00042 per build minute; every entry follows it."""
    from decimal import Decimal

    from archplan import catalog

    shapes = {"e2-medium": (1, 4), "e2-standard-2": (2, 8), "e2-highcpu-8": (8, 8), "e2-highcpu-32": (32, 32)}
    book = catalog.service("cloud_build")
    for machine, (vcpu, gb) in shapes.items():
        assert book.price(f"private_build_minute/{machine}", "global").usd == \
            Decimal("0.00317") * vcpu + Decimal("0.00042") * gb, machine


def test_cloud_build_without_a_private_cluster_is_all_default_pool(priced):
    cluster = {**PRIVATE_CLUSTER, "private_nodes": False}
    report = priced({"cluster": cluster, "ci": {"kind": "cloud_build", "build_minutes_per_month": 3000}},
                    free_tiers=True)
    assert close(items(report, "ci")["build_minute/e2-standard-2"], 500 * 0.006)
    assert "private_build_minute/e2-standard-2" not in items(report, "ci")


def test_vertex_ai_prices_its_own_book(priced):
    # Vertex AI gemini-2.0-flash: $0.10 in, $0.40 out, $0.025 cached per 1M (litellm's Vertex entry)
    report = priced({"llm": {"kind": "llm", "provider": "vertex_ai", "model": "gemini-2.0-flash",
                             "tokens_per_month": {"input": 10_000_000, "output": 2_000_000,
                                                  "cached_input": 4_000_000}}})
    assert close(report.total_usd, 10 * 0.10 + 2 * 0.40 + 4 * 0.025)
    assert {line.service for line in report.line_items} == {"Gemini and embeddings on Vertex AI"}


def test_the_developer_api_has_no_cache_for_gemini_2_0_flash_lite_where_vertex_does(tmp_path, priced):
    vertex = priced({"llm": {"kind": "llm", "provider": "vertex_ai", "model": "gemini-2.0-flash-lite",
                             "tokens_per_month": {"cached_input": 8_000_000}}})
    assert close(vertex.total_usd, 8 * 0.01875)
    plan = {"llm": {"kind": "llm", "provider": "gemini_api", "model": "gemini-2.0-flash-lite",
                    "tokens_per_month": {"input": 1000, "cached_input": 10}}}
    code, err = cli_error(write_plan(tmp_path, plan))
    assert code == 1 and err.count("\n") == 1 and "no cached input price on gemini_api" in err


def test_vertex_ai_embeddings_and_a_model_mix(priced):
    report = priced({
        "embed": {"kind": "llm", "provider": "vertex_ai", "model": "gemini-embedding-001",
                  "tokens_per_month": {"input": 30_000_000}},
        "chat": {"kind": "llm", "provider": "vertex_ai",
                 "models": [{"model": "gemini-2.5-pro", "share": 0.25}, {"model": "gemini-3.5-flash", "share": 0.75}],
                 "per_chat": {"input": 2000, "output": 400}, "chats_per_day": 1000}})
    chats = 1000 * DAYS_PER_MONTH
    pro = chats * Decimal("0.25") * (2000 * Decimal("1.25") + 400 * 10) / 1_000_000
    flash = chats * Decimal("0.75") * (2000 * Decimal("1.5") + 400 * 9) / 1_000_000
    assert close(report.total_usd, Decimal("4.5") + pro + flash, places=4)


def test_a_model_only_one_provider_prices_is_an_error_naming_the_provider(tmp_path):
    plan = {"llm": {"kind": "llm", "provider": "gemini_api", "model": "gemini-3.5-flash",
                    "tokens_per_month": {"input": 1000}}}
    code, err = cli_error(write_plan(tmp_path, plan))
    assert code == 1 and err.count("\n") == 1 and "for provider gemini_api" in err


def test_vertex_text_embeddings_per_token_at_four_characters(priced):
    # $0.025 per 1M characters = $0.10 per 1M tokens at litellm's 4 characters a token
    report = priced({"embed": {"kind": "llm", "provider": "vertex_ai", "model": "text-embedding-005",
                               "tokens_per_month": {"input": 250_000_000}}})
    assert close(report.total_usd, 250 * 0.10)
