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
