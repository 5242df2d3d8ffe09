"""The progress bar: on standard error, only on a terminal, only once a run has taken a second."""
from __future__ import annotations

import io

from archplan.simulate.run import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_silent_when_not_a_terminal():
    stream = io.StringIO()
    bar = Progress(4, stream)
    bar.started -= 5
    bar.step(2)
    bar.close()
    assert stream.getvalue() == ""


def test_silent_in_the_first_second():
    stream = Terminal()
    bar = Progress(4, stream)
    bar.step(2)
    bar.close()
    assert stream.getvalue() == ""


def test_shown_after_a_second_and_cleared():
    stream = Terminal()
    bar = Progress(4, stream)
    bar.started -= 5
    bar.step(2)
    assert "simulate [###############...............]  50%" in stream.getvalue()
    bar.close()
    assert stream.getvalue().endswith("\r")


def test_the_bar_says_how_long_is_left():
    stream = Terminal()
    bar = Progress(4, stream)
    bar.started -= 60  # a quarter done in a minute: three more minutes
    bar.step(1)
    assert " 25% 3m00s left" in stream.getvalue() or " 25% 2m59s left" in stream.getvalue()


def test_a_run_of_billions_of_requests_says_so_up_front(monkeypatch, capsys):
    """A plan of 300M requests a month simulated over 30 days and 20 seeds is 6 billion requests, minutes of
    work: standard error says so before the run, with the options that shorten it (here the threshold is
    lowered so that the starter plan, 2.4M requests a month, trips it)."""
    from archplan.plan import resolve
    from archplan.simulate import build_options, run as run_module
    from archplan.spec.load import load_spec

    monkeypatch.setattr(run_module, "LARGE_RUN_REQUESTS", 1e5)
    spec = load_spec("examples/starter.yaml")
    options = build_options(spec.file, days=1, spikes=(), seeds=2, seed=0, resolution="1s", services=())
    run_module.simulate(resolve(spec), options)
    err = capsys.readouterr().err
    # 2,000 DAU x 40 a day = 80,000 a day x 2 seeds = 160,000
    assert err.startswith("simulate: 160,000 requests to simulate (2 seed(s) x 1 day(s)); this takes "
                          "minutes: --seeds 1 shortens it")  # only what is shorter than the run asked for
    options = build_options(spec.file, days=1, spikes=("20x@18:00/2h",), seeds=1, seed=0, resolution="1s",
                            services=())
    run_module.simulate(resolve(spec), options)
    assert capsys.readouterr().err.endswith(  # a 20x spike for two hours: more requests than the 80,000 a day
        " requests to simulate (1 seed(s) x 1 day(s), 1 spike(s)); this takes minutes: a smaller --spike shortens "
        "it\n")


def test_a_run_too_long_to_finish_is_refused_with_what_shortens_it(monkeypatch):
    """Found by review: 10 million daily users simulated for a day ran past two minutes with no word, and
    1e12 never finished: a run over MOST_RUN_REQUESTS (about ten minutes of work) is a usage error."""
    import pytest

    from archplan.errors import UsageError
    from archplan.plan import resolve
    from archplan.simulate import build_options, run as run_module
    from archplan.spec.load import load_spec

    monkeypatch.setattr(run_module, "LARGE_RUN_REQUESTS", 1e4)
    monkeypatch.setattr(run_module, "MOST_RUN_REQUESTS", 1e5)
    spec = load_spec("examples/starter.yaml")
    options = build_options(spec.file, days=1, spikes=(), seeds=2, seed=0, resolution="1s", services=())
    with pytest.raises(UsageError) as caught:
        run_module.simulate(resolve(spec), options)
    assert str(caught.value).startswith("simulate: 160,000 requests to simulate (2 seed(s) x 1 day(s)), more than "
                                        "the 100,000 a run takes in about ten minutes: --seeds 1")
