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
