"""`archplan serve` as a process: it stops on SIGTERM and Ctrl-C while a long simulation runs, answers the
waiting request, dies of the signal, and leaves no worker process behind."""
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
EXIT_BOUND_S = 15  # generous: "promptly" is about a second, machines are noisy


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        for child in children(todo.pop()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def running(pid: int) -> bool:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z"  # a zombie has stopped; only its parent's wait is missing


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def post(url: str, body: dict, answers: list) -> None:
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            answers.append((response.status, response.read()))
    except urllib.error.HTTPError as error:
        answers.append((error.code, error.read()))
    except OSError as error:  # the connection closed: also an answer, not a hang
        answers.append((None, str(error).encode()))


@pytest.fixture
def heavy_plan(plan_copy):
    """The starter with five times its users: a simulated day at 1000x is 1.2 billion requests over 3 seeds,
    minutes of work, yet under the most simulate runs (simulate.run.MOST_RUN_REQUESTS, 2e9)."""
    path = plan_copy("starter")
    text = path.read_text()
    assert "daily_active_users: 2000\n" in text
    path.write_text(text.replace("daily_active_users: 2000\n", "daily_active_users: 10000\n"))
    return path


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads child processes from /proc")
@pytest.mark.parametrize("sig, status", [(signal.SIGTERM, -signal.SIGTERM), (signal.SIGINT, 130)])
def test_signal_stops_serve_during_a_long_simulation(heavy_plan, sig, status):
    port = free_port()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(SRC)] + os.environ.get("PYTHONPATH", "").split(os.pathsep)))
    server = subprocess.Popen([sys.executable, "-m", "archplan", "serve", str(heavy_plan), "--port", str(port)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/version", timeout=5) as response:
                    assert json.load(response)["error"] is None
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "serve did not start"
                time.sleep(0.2)
        answers = []
        asking = threading.Thread(target=post, args=(f"{base}/api/simulate", {"spike": "1000x@00:00/24h"}, answers))
        asking.start()
        time.sleep(5)  # well into the run (a worker needs a second or two to import and load the engine)
        assert asking.is_alive(), f"the simulation ended before the signal: {answers}"
        left_behind = descendants(server.pid)

        server.send_signal(sig)
        try:
            server.wait(EXIT_BOUND_S)
        except subprocess.TimeoutExpired:
            pytest.fail(f"serve still running {EXIT_BOUND_S} s after {sig.name} during a simulation")
        assert server.returncode == status
        err = server.stderr.read().decode()
        assert "Traceback" not in err, err
        asking.join(10)
        assert not asking.is_alive(), "the simulate request was left hanging"
        code, answer = answers[0]
        if code is not None:
            assert code == 503 and "shutting down" in json.loads(answer)["error"]
        deadline = time.monotonic() + 5  # orphans are re-parented; give the kernel a moment to reap them
        while any(running(pid) for pid in left_behind) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [command_line(pid) for pid in left_behind if running(pid)]
    finally:
        try:  # the server and any worker left over (they share its process group)
            os.killpg(server.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        server.wait()
