"""A bounded fuzz run on every test run (`make fuzz` runs 10,000 inputs): see fuzzer.py for the promise."""
from tests.fuzz.fuzzer import fuzz

BOUNDED_SECONDS = 45  # about a minute with start-up, on a shared 2-core machine
BOUNDED_COUNT = 300


def test_bounded_fuzz_run_finds_nothing():
    done, failures = fuzz(BOUNDED_COUNT, seed=14, seconds=BOUNDED_SECONDS)
    assert done >= 20, "the fuzzer ran too few inputs to mean anything"
    assert not failures, "\n".join(f"input {f.index} ({f.command}): {f.reason}: {f.detail}" for f in failures)


def test_the_fuzzer_catches_a_traceback(monkeypatch):
    """The judge is not a test that cannot fail: an internal error in one command is reported."""
    import archplan.analysis.cost as cost

    def broken(plan):
        raise KeyError("planted")

    monkeypatch.setattr(cost, "cost_report", broken)
    _done, failures = fuzz(3, seed=14)
    assert failures and all("internal error" in f.reason or "traceback" in f.reason for f in failures)


def test_a_hang_is_caught_by_cpu_time_not_wall_time(monkeypatch):
    """A busy loop is reported as a hang (by CPU seconds: on a loaded machine wall time flagged a 4 s doc)."""
    import archplan.analysis.cost as cost
    from tests.fuzz import fuzzer

    def spin(plan, currency=None):
        while True:
            pass

    monkeypatch.setattr(fuzzer, "HANG_CPU_SECONDS", 0.5)
    monkeypatch.setattr(cost, "cost_report", spin)
    code, _out, _err, cpu = fuzzer.run_command(["cost", "examples/starter.yaml"])
    assert code == -1 and cpu >= 0.4
    assert fuzzer.judge("cost", "examples/starter.yaml", code, "", "", cpu).startswith("still running")
