"""Cloud Run's and Cloud Functions' busy instance-seconds say how they were computed, with the plan's numbers
(the cost line showed '2 vCPU x 2,628,000 busy instance-seconds' and nothing said where 2,628,000 came from)."""
import math
from decimal import Decimal

from archplan.components._serverless import busy_explanation, busy_instance_seconds


def test_sparse_traffic_is_the_time_with_one_or_more_in_flight():
    # 2,433,333 requests x 120 ms over a 2,628,000 s month: 0.1111 in flight; 1 - e^-0.1111 = 0.10516
    requests, duration = Decimal(2_433_333), Decimal(120)
    load = 2_433_333 * 0.120 / 2_628_000
    expected = 2_628_000 * (1 - math.exp(-load))
    assert abs(float(busy_instance_seconds(requests, duration, 80)) - expected) < 0.01
    assert round(expected) == 276_362
    text = busy_explanation("api", requests, duration, 80)
    assert text.startswith("api: busy instance-seconds = 2,628,000 s a month x max(1 - e^-0.1111 = 0.1052")
    assert "0.1111 / concurrency 80 = 0.001389 (packed)) = 0.1052 = 276,362" in text
    assert text.endswith("0.1111 requests in flight on average = 2,433,333 a month x 120 ms / 2,628,000 s")


def test_dense_traffic_is_packed_concurrency_to_an_instance():
    # 1,314,000,000 requests x 200 ms: 100 in flight; packed 100 / 20 = 5 instances busy all month
    busy = busy_instance_seconds(Decimal(1_314_000_000), Decimal(200), 20)
    assert busy == Decimal(5 * 2_628_000)
    assert "= 13,140,000;" in busy_explanation("api", Decimal(1_314_000_000), Decimal(200), 20)


def test_one_request_an_instance_is_the_load_itself():
    busy = busy_instance_seconds(Decimal(26_280_000), Decimal(500), 1)  # 5 in flight, one an instance
    assert busy == Decimal(5 * 2_628_000)
    assert "x 5 (one request an instance) = 13,140,000" in busy_explanation("f", Decimal(26_280_000), Decimal(500), 1,
                                                                             "invocations")
