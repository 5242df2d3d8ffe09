"""Cloud SQL, Memorystore, Pub/Sub, Cloud Storage, Firestore and BigQuery by hand."""
from decimal import Decimal

from archplan import catalog
from tests.conftest import close, items


def test_cloud_sql_ha_doubles_instance_and_storage_and_replicas_are_zonal_instances(priced):
    report = priced({"db": {"kind": "cloud_sql", "engine": "postgres", "tier": "db-custom-2-7680",
                            "storage_gb": 100, "ha": True, "read_replicas": 1,
                            "backups": {"storage_gb": 50}}})
    lines = {(i.sku, i.description.split(":")[0]): i.monthly_usd for i in report.line_items}
    assert close(lines[("enterprise_vcpu", "primary")], 2 * 730 * 2 * 0.0413)  # 120.596
    assert close(lines[("enterprise_memory", "primary")], 7.5 * 730 * 2 * 0.007)  # 76.65
    assert close(lines[("storage_ssd", "primary")], 100 * 2 * 0.17)
    assert close(lines[("enterprise_vcpu", "read replica 1")], 2 * 730 * 0.0413)
    assert close(lines[("enterprise_memory", "read replica 1")], 7.5 * 730 * 0.007)
    assert close(lines[("storage_ssd", "read replica 1")], 100 * 0.17)
    assert close(lines[("backup", "Backups")], 50 * 0.08)
    assert close(report.total_usd, 120.596 + 76.65 + 34 + 60.298 + 38.325 + 17 + 4)


def test_cloud_sql_commitment_discounts_vcpu_and_memory_only(priced):
    report = priced({"db": {"kind": "cloud_sql", "engine": "mysql", "tier": "db-n1-standard-2",
                            "storage_gb": 10, "commitment": "3y", "backups": {"enabled": False}}})
    got = items(report)
    assert close(got["enterprise_vcpu"], 2 * 730 * 0.0413 * 0.48)
    assert close(got["enterprise_memory"], 7.5 * 730 * 0.007 * 0.48)
    assert close(got["storage_ssd"], 10 * 0.17)


def test_shared_core_tier_is_priced_per_instance_hour(priced):
    report = priced({"db": {"kind": "cloud_sql", "engine": "mysql", "tier": "db-f1-micro", "storage_gb": 10,
                            "storage_type": "hdd", "backups": {"enabled": False}}}, region="asia-south1")
    got = items(report)
    assert close(got["shared_core_f1_micro"], 730 * 0.0126)
    assert got["storage_hdd"] > 0


def test_derived_mumbai_rates_reproduce_the_published_n1_standard_1_price():
    """The Asia per-unit rates are derived; they must give back the shape price they came from."""
    book = catalog.service("cloud_sql")
    for region, shape_price in (("asia-south1", "0.0811"), ("asia-southeast2", "0.0878")):
        hourly = book.price("enterprise_vcpu", region).usd + Decimal("3.75") * book.price("enterprise_memory", region).usd
        assert abs(hourly - Decimal(shape_price)) < Decimal("0.0001")
        assert book.price("enterprise_vcpu", region).derived_from
        assert abs(book.price("shape/db-n1-standard-1/zonal", region).usd - Decimal(shape_price)) < Decimal("0.00001")


def test_memorystore_prices_by_capacity_band(priced):
    report = priced({"cache": {"kind": "memorystore_redis", "tier": "standard", "capacity_gb": 5},
                     "small": {"kind": "memorystore_redis", "tier": "basic", "capacity_gb": 1}}, region="asia-south1")
    assert close(items(report, "cache")["standard_m2"], 5 * 730 * 0.07)  # 255.50
    assert close(items(report, "small")["basic_m1"], 1 * 730 * 0.063)


def test_memorystore_band_edges(priced):
    report = priced({"a": {"kind": "memorystore_redis", "tier": "basic", "capacity_gb": 4},
                     "b": {"kind": "memorystore_redis", "tier": "basic", "capacity_gb": 5},
                     "c": {"kind": "memorystore_redis", "tier": "basic", "capacity_gb": 36}})
    assert set(items(report, "a")) == {"basic_m1"}
    assert set(items(report, "b")) == {"basic_m2"}
    assert set(items(report, "c")) == {"basic_m4"}


def test_pubsub_throughput_counts_publish_and_each_delivery_with_a_1000_byte_minimum(priced):
    report = priced({
        "big": {"kind": "pubsub", "topics": ["a"], "subscriptions_per_topic": 2, "messages_per_month": 10_000_000,
                "avg_message_kib": 1},
        "small": {"kind": "pubsub", "topics": ["b"], "messages_per_month": 10_000_000, "avg_message_kib": 0.5,
                  "retention_days": 7},
    })
    tib = 1024 ** 4
    assert close(items(report, "big")["throughput"], 10_000_000 * 1024 * 3 / tib * 40)
    assert close(items(report, "small")["throughput"], 10_000_000 * 1000 * 2 / tib * 40)
    retained_gib = 10_000_000 * 1000 / 1024 ** 3 * 7 / (730 / 24)
    assert close(items(report, "small")["message_storage"], retained_gib * 0.27)


def test_cloud_storage_storage_operations_retrieval_and_egress(priced):
    report = priced({
        "media": {"kind": "cloud_storage", "location_type": "region", "storage_gb": 100,
                  "class_a_ops_per_month": 10_000, "class_b_ops_per_month": 100_000, "egress_gb_per_month": 10},
        "archive": {"kind": "cloud_storage", "storage_class": "nearline", "location_type": "region",
                    "storage_gb": 1000, "retrieval_gb_per_month": 20},
        "global": {"kind": "cloud_storage", "location_type": "multi-region", "location": "asia", "storage_gb": 100},
    }, region="asia-south1")
    media = items(report, "media")
    assert close(media["storage_standard_region"], 100 * 0.023)
    assert close(media["class_a_standard_region"], 10_000 * 0.000005)
    assert close(media["class_b_standard_region"], 100_000 * 0.0000004)
    assert close(media["egress_internet"], 10 * 0.12)
    assert close(items(report, "archive")["storage_nearline_region"], 1000 * 0.016)
    assert close(items(report, "archive")["retrieval_nearline"], 20 * 0.01)
    assert close(items(report, "global")["storage_standard_multi_region"], 100 * 0.026)


def test_cloud_storage_lifecycle_transitions_split_storage_by_age(priced):
    # 10,000 GB written a month, nearline at 30 days, coldline at 90, archive at 365: the newest 10,000 x 30 /
    # 30.4167 = 9,863.01 GB standard, 10,000 x 60 / 30.4167 = 19,726.03 nearline, 10,000 x 275 / 30.4167 =
    # 90,410.96 coldline, the rest of 200,000 (80,000.00) archive; in asia-south1 at $0.023, $0.016, $0.006 and
    # $0.0025 a GB-month (it priced all 200,000 GB as standard: $4,600)
    rules = [{"action": "set_storage_class", "storage_class": "nearline", "age_days": 30},
             {"action": "set_storage_class", "storage_class": "coldline", "age_days": 90},
             {"action": "set_storage_class", "storage_class": "archive", "age_days": 365}]
    report = priced({"lake": {"kind": "cloud_storage", "location_type": "region", "storage_gb": 200_000,
                              "written_gb_per_month": 10_000, "lifecycle_rules": rules}}, region="asia-south1")
    month = Decimal(730) / 24
    standard, nearline, coldline = (10_000 * Decimal(days) / month for days in (30, 60, 275))
    archive = 200_000 - standard - nearline - coldline
    got = items(report, "lake")
    assert close(got["storage_standard_region"], standard * Decimal("0.023"), 4)
    assert close(got["storage_nearline_region"], nearline * Decimal("0.016"), 4)
    assert close(got["storage_coldline_region"], coldline * Decimal("0.006"), 4)
    assert close(got["storage_archive_region"], archive * Decimal("0.0025"), 4)
    assert any("lake: lifecycle (nearline at 30 days, coldline at 90 days, archive at 365 days)" in a
               for a in report.assumptions)
    # a delete rule at 60 days ends objects' lives before coldline: 9,863.01 standard, the rest nearline
    rules.append({"action": "delete", "age_days": 60})
    got = items(priced({"lake": {"kind": "cloud_storage", "location_type": "region", "storage_gb": 20_000,
                                 "written_gb_per_month": 10_000, "lifecycle_rules": rules}}, region="asia-south1"))
    assert set(got) == {"storage_standard_region", "storage_nearline_region"}
    assert close(got["storage_nearline_region"], (20_000 - standard) * Decimal("0.016"), 4)


def test_cloud_storage_lifecycle_without_a_write_rate_says_it_is_not_priced(priced):
    report = priced({"media": {"kind": "cloud_storage", "location_type": "region", "storage_gb": 100,
                               "lifecycle_rules": [{"action": "set_storage_class", "storage_class": "coldline",
                                                    "age_days": 90}]}}, region="asia-south1")
    assert close(items(report, "media")["storage_standard_region"], 100 * 0.023)
    assert any("media: lifecycle transitions (coldline at 90 days) not priced (no written_gb_per_month)" in a
               for a in report.assumptions)


def test_cloud_storage_always_free_applies_only_in_us_regions(priced):
    bucket = {"kind": "cloud_storage", "location_type": "region", "storage_gb": 4}
    assert priced({"b": bucket}, region="us-central1", free_tiers=True).total_usd == 0
    assert close(priced({"b": bucket}, region="asia-south1", free_tiers=True).total_usd, 4 * 0.023)


def test_firestore_daily_free_quota_becomes_a_monthly_allowance(priced):
    report = priced({"fs": {"kind": "firestore", "stored_gb": 3, "reads_per_month": 10_000_000,
                            "writes_per_month": 1_000_000}}, free_tiers=True)
    got = items(report)
    days = 730 / 24
    assert close(got["document_read"], (10_000_000 - 50_000 * days) * 0.0000003, 4)
    assert close(got["document_write"], (1_000_000 - 20_000 * days) * 0.0000009, 4)
    assert close(got["storage"], (3 - 1) * 0.15)  # us-central1 stored data, $0.15 a GiB-month


def test_bigquery_on_demand_and_storage(priced):
    report = priced({"bq": {"kind": "bigquery", "active_storage_gb": 100, "query_tib_per_month": 5}},
                    region="asia-south1")
    got = items(report)
    assert close(got["query_on_demand"], 5 * 7.50)
    assert close(got["storage_active_logical"], 100 * 0.023)
