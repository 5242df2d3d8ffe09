"""Pub/Sub export subscriptions by hand: a Pub/Sub component that depends on a BigQuery dataset (a BigQuery
subscription) or a Cloud Storage bucket (a Cloud Storage subscription) has one export subscription a topic,
whose delivery is billed at $50 per TiB with nothing free, in place of Message Delivery Basic; publishing and
the other subscriptions' delivery stay at $40 per TiB after the first 10 GiB a month.

Unit prices (catalog pubsub.yaml, Google's pubsub/pricing page as of 2026-09-20):
  throughput                              40 per TiB, first 10 GiB (10/1024 = 0.009765625 TiB) a month free
  bigquery_subscription_throughput        50 per TiB: "The first 10 GiB of BigQuery subscription throughput is
                                          not free."
  cloud_storage_subscription_throughput   50 per TiB, likewise not free.

The messages of every example here: 150,000,000 a month x 1,024 B (1 KiB, above the 1,000 B minimum)
  = 153,600,000,000 B / 1,099,511,627,776 B a TiB = 0.139698386192322 TiB.
"""
from __future__ import annotations

from decimal import Decimal

from tests.conftest import close, items

TIB = Decimal(1024) ** 4
MESSAGES_TIB = Decimal(150_000_000) * 1024 / TIB  # 0.139698386192322 TiB
FREE_TIB = Decimal(10) / 1024  # 0.009765625 TiB
WAREHOUSE = {"kind": "bigquery", "location": "eu", "active_storage_gb": 0, "query_tib_per_month": 0}
ARCHIVE = {"kind": "cloud_storage", "location_type": "region", "storage_gb": 0}


def events(subscriptions=1, depends_on=("warehouse",)) -> dict:
    return {"kind": "pubsub", "topics": ["match_events"], "subscriptions_per_topic": subscriptions,
            "messages_per_month": 150_000_000, "avg_message_kib": 1, "depends_on": list(depends_on)}


def line(report, sku):
    found = [item for item in report.line_items if item.component == "events" and item.sku == sku]
    assert len(found) == 1, [i.sku for i in report.line_items]
    return found[0]


def test_the_one_subscription_is_a_bigquery_export_billed_at_50_with_nothing_free(priced):
    report = priced({"events": events(1), "warehouse": WAREHOUSE}, free_tiers=True)
    costs = items(report, "events")
    assert set(costs) == {"throughput", "bigquery_subscription_throughput"}
    # publish: 0.139698386 TiB - 0.009765625 free = 0.129932761 TiB x $40 = $5.197310448
    assert close(MESSAGES_TIB, "0.139698386192322", 12)
    assert close(costs["throughput"], (Decimal("0.139698386192322") - Decimal("0.009765625")) * 40, 9)
    assert close(costs["throughput"], "5.197310448", 6)
    # export delivery: 0.139698386 TiB x $50 = $6.984919310, no free tier
    export = line(report, "bigquery_subscription_throughput")
    assert export.free_quantity == 0 and close(export.quantity, MESSAGES_TIB, 12)
    assert close(costs["bigquery_subscription_throughput"], "6.984919310", 6)
    assert export.description == ("BigQuery subscription throughput: 150,000,000 messages x 1,024 B delivered to "
                                  "warehouse (1 of 1 subscription(s) a topic), no free tier")
    assert line(report, "throughput").description == (
        "Throughput: 150,000,000 messages x 1,024 B, published (delivery to the BigQuery subscription is billed "
        "apart)")


def test_two_subscriptions_one_export_one_standard_delivery(priced):
    report = priced({"events": events(2), "warehouse": WAREHOUSE}, free_tiers=True)
    costs = items(report, "events")
    # Message Delivery Basic: publish + 1 standard delivery = 2 x 0.139698386 = 0.279396772 TiB,
    # - 0.009765625 free = 0.269631147 TiB x $40 = $10.785245895
    assert close(line(report, "throughput").quantity, 2 * MESSAGES_TIB, 12)
    assert close(costs["throughput"], "10.785245895", 6)
    # the BigQuery subscription: 0.139698386 TiB x $50 = $6.984919310
    assert close(costs["bigquery_subscription_throughput"], "6.984919310", 6)
    # together $17.770165205, against 3 x 0.139698386 x $40 - 10 GiB free = $16.373181343 before
    assert close(sum(costs.values()), "17.770165205", 6)
    assert "1 standard subscription(s) each" in line(report, "throughput").description
    assert "(1 of 2 subscription(s) a topic)" in line(report, "bigquery_subscription_throughput").description


def test_a_cloud_storage_bucket_makes_a_cloud_storage_subscription(priced):
    report = priced({"events": events(1, ("archive",)), "archive": ARCHIVE})  # free tiers off (write_plan)
    costs = items(report, "events")
    assert set(costs) == {"throughput", "cloud_storage_subscription_throughput"}
    # publish: 0.139698386 TiB x $40 = $5.587935448 (free tiers off); export: x $50 = $6.984919310
    assert close(costs["throughput"], "5.587935448", 6)
    assert close(costs["cloud_storage_subscription_throughput"], "6.984919310", 6)
    assert any(a.startswith("events: cloud_storage_subscription_throughput: the objects written are billed by "
                            "Cloud Storage as archive's storage") for a in report.assumptions)


def test_the_first_export_target_is_the_one(priced):
    report = priced({"events": events(1, ("archive", "warehouse")), "archive": ARCHIVE, "warehouse": WAREHOUSE})
    assert set(items(report, "events")) == {"throughput", "cloud_storage_subscription_throughput"}


def test_storage_write_ingestion_is_not_priced_and_the_report_says_so(priced):
    report = priced({"events": events(1), "warehouse": WAREHOUSE})
    # no ingestion line on the dataset: its zero storage and queries only
    assert set(items(report, "warehouse")) == {"query_on_demand", "storage_active_logical"}
    assert sum(items(report, "warehouse").values()) == 0
    said = [a for a in report.assumptions if a.startswith("events: bigquery_subscription_throughput: ")]
    assert len(said) == 1 and "Storage Write API" in said[0] and "none is priced here" in said[0]


def test_without_an_export_target_delivery_stays_message_delivery_basic(priced):
    report = priced({"events": events(2, ()), "warehouse": WAREHOUSE})
    # 3 x 0.139698386 = 0.419095159 TiB x $40 = $16.763806343, one line as before
    assert set(items(report, "events")) == {"throughput"}
    assert close(items(report, "events")["throughput"], "16.763806343", 6)
    assert line(report, "throughput").description == (
        "Throughput: 150,000,000 messages x 1,024 B, published and delivered to 2 subscription(s) each")


def test_no_subscription_no_export(priced):
    report = priced({"events": events(0), "warehouse": WAREHOUSE})
    assert set(items(report, "events")) == {"throughput"}
    assert close(items(report, "events")["throughput"], MESSAGES_TIB * 40, 9)


def test_a_fractional_mean_exports_at_most_one_subscription_a_topic(priced):
    report = priced({"events": events(0.5), "warehouse": WAREHOUSE})
    # 0.5 subscriptions a topic, all of it the export: 0.5 x 0.139698386 x $50 = $3.492459655;
    # publish alone at $40 = $5.587935448
    costs = items(report, "events")
    assert close(costs["bigquery_subscription_throughput"], "3.492459655", 6)
    assert close(costs["throughput"], "5.587935448", 6)
