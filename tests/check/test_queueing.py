"""Erlang C and the M/M/c response time against textbook values and M/M/1 closed forms."""
import math

import pytest

from archplan.check.queueing import erlang_c, mean_wait, response_time_percentile, response_time_tail


def test_erlang_c_textbook_values():
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3)  # c=2, a=1: 1/3
    assert erlang_c(10, 8.0) == pytest.approx(0.4092, abs=1e-4)  # Erlang C tables: c=10, A=8
    assert erlang_c(5, 4.0) == pytest.approx(0.5541, abs=1e-4)  # c=5, A=4


def test_mm1_reduces_to_its_closed_forms():
    lam, mu = 8.0, 10.0
    assert erlang_c(1, lam / mu) == pytest.approx(lam / mu)  # M/M/1: P(wait) = rho
    assert mean_wait(1, lam, 1 / mu) == pytest.approx((lam / mu) / (mu - lam))  # Wq = rho / (mu - lambda)
    assert response_time_tail(0.3, 1, lam, 1 / mu) == pytest.approx(math.exp(-(mu - lam) * 0.3))
    assert response_time_percentile(0.95, 1, lam, 1 / mu) == pytest.approx(math.log(20) / (mu - lam), rel=1e-6)


def test_saturation():
    assert erlang_c(4, 4.0) == 1.0
    assert mean_wait(4, 40.0, 0.1) == math.inf
    assert response_time_percentile(0.95, 4, 40.0, 0.1) == math.inf


def test_no_load_is_just_service_time():
    # With almost no load nobody waits: the p95 of an exponential service time is ln(20) x mean.
    assert response_time_percentile(0.95, 80, 1e-9, 0.2) == pytest.approx(math.log(20) * 0.2, rel=1e-6)


def test_erlang_c_large_servers_matches_the_recursion():
    """Fault: Erlang C was an O(servers) loop recomputed ~105 times per service (16 s at 10^10 requests a day).
    Above 2,000 servers the windowed log-space sum must agree with the exact recursion."""
    from archplan.check import queueing

    for servers, load in ((2500, 2400.0), (3000, 2000.0), (2100, 2090.0)):
        exact = 1.0
        for k in range(1, servers + 1):
            exact = load * exact / (k + load * exact)
        assert queueing.erlang_b(servers, load) == pytest.approx(exact, rel=1e-9)
    # a million servers at 90% load: finite, between 0 and 1, and computed without a million-step loop
    assert 0 <= erlang_c(1_000_000, 900_000.0) < 1e-6


def test_mg_c_constant_service_waits_half_as_long():
    """Allen-Cunneen: with constant service (cv 0) the mean wait is (1 + 0) / 2 of the M/M/c wait."""
    from archplan.check.queueing import Queue

    exponential = Queue(4, 30.0, 0.1, 1.0)
    constant = Queue(4, 30.0, 0.1, 0.0)
    assert constant.mean_wait() == pytest.approx(exponential.mean_wait() / 2)
    # constant service, almost no load: the p95 is the service time itself, not ln(20) x mean
    assert Queue(80, 1e-9, 0.2, 0.0).percentile(0.95) == pytest.approx(0.2, rel=1e-5)
    # lognormal cv 0.5, no load: p95 = exp(m + 1.645 s), s^2 = ln(1.25), m = ln(0.2) - s^2/2
    s = math.sqrt(math.log(1.25))
    expected = math.exp(math.log(0.2) - s * s / 2 + 1.6448536 * s)
    assert Queue(80, 1e-9, 0.2, 0.5).percentile(0.95) == pytest.approx(expected, rel=0.01)
