"""The worker processes that run the page's simulations: a result comes back, errors are one line, a worker is
reused, and every way of stopping one (shutdown, limit, time limit, the page gone) kills it at once."""
import time

import anyio
import pytest

from archplan.serve.workers import JobFailed, WorkerUnavailable, Workers


def alive(worker) -> bool:
    return worker.exitcode is None


def test_result_error_and_reuse():
    async def main():
        simulations = Workers("simulation")
        try:
            assert await simulations.run(divmod, 7, 2) == (3, 1)
            first = simulations._idle[0].process.pid
            assert await simulations.run(pow, 2, 10) == 1024
            assert simulations._idle[0].process.pid == first  # warm worker kept
            from archplan.serve.edits import parse_changes

            with pytest.raises(JobFailed, match="changes: expected a list"):
                await simulations.run(parse_changes, "not a list")
            with pytest.raises(WorkerUnavailable, match="the simulation failed: ValueError") as failed:
                await simulations.run(int, "x")
            assert failed.value.status == 500
            idle = list(simulations._idle)
        finally:
            await simulations.close()
        assert idle and not any(alive(worker) for worker in idle)

    anyio.run(main)


def test_stop_kills_a_running_job_and_refuses_more():
    async def main():
        simulations = Workers("simulation", max_running=1)
        outcome = {}

        async def long_job():
            try:
                await simulations.run(time.sleep, 60)
            except WorkerUnavailable as error:
                outcome["error"] = str(error)

        async with anyio.create_task_group() as group:
            group.start_soon(long_job)
            while not simulations._busy:
                await anyio.sleep(0.05)
            with pytest.raises(WorkerUnavailable, match="running already") as busy:
                await simulations.run(divmod, 1, 1)
            assert busy.value.status == 429
            worker = next(iter(simulations._busy))
            started = time.monotonic()
            simulations.stop()
        assert time.monotonic() - started < 10
        assert "shutting down" in outcome["error"]
        assert not alive(worker)
        with pytest.raises(WorkerUnavailable, match="shutting down"):
            await simulations.run(divmod, 1, 1)
        await simulations.close()

    anyio.run(main)


def test_time_limit_and_page_gone_kill_the_worker():
    async def main():
        simulations = Workers("simulation", time_limit_s=1)
        started = time.monotonic()
        with pytest.raises(WorkerUnavailable, match="stopped after 1 s") as late:
            await simulations.run(time.sleep, 60)
        assert late.value.status == 504
        calls = []

        async def gone():
            calls.append(1)
            return len(calls) > 2

        with pytest.raises(WorkerUnavailable, match="page went away"):
            await simulations.run(time.sleep, 60, gone=gone)
        assert time.monotonic() - started < 20
        assert not simulations._busy and not simulations._idle  # killed workers are not kept
        await simulations.close()

    anyio.run(main)


def test_a_killed_worker_takes_the_program_it_started_and_queued_jobs_wait():
    """Graphviz runs as a child of the worker: killing only the worker left dot running for its minute."""
    import subprocess
    from pathlib import Path

    async def main():
        drawings = Workers("diagram", max_running=1, queue=True)
        started = {}

        async def long_program():
            try:
                await drawings.run(subprocess.call, ["sleep", "60"])
            except WorkerUnavailable as error:
                started["error"] = str(error)

        async def queued():
            try:
                await drawings.run(divmod, 1, 1)
            except WorkerUnavailable as error:
                started["queued"] = str(error)

        async with anyio.create_task_group() as group:
            group.start_soon(long_program)
            deadline = time.monotonic() + 30
            while not started.get("sleep"):
                assert time.monotonic() < deadline, "the worker did not start its program"
                for worker in drawings._busy:
                    tasks = Path(f"/proc/{worker.process.pid}/task")
                    found = [int(pid) for task in tasks.iterdir() for pid in (task / "children").read_text().split()]
                    if found:
                        started["sleep"] = found[0]
                await anyio.sleep(0.05)
            group.start_soon(queued)
            await anyio.sleep(1)
            assert "queued" not in started  # waiting for the worker, not refused
            drawings.stop()
        assert "shutting down" in started["error"] and "shutting down" in started["queued"]
        deadline = time.monotonic() + 5
        while Path(f"/proc/{started['sleep']}").exists() and time.monotonic() < deadline:
            state = Path(f"/proc/{started['sleep']}/stat").read_text().rsplit(")", 1)[1].split()[0]
            if state == "Z":
                break
            await anyio.sleep(0.05)
        else:
            assert not Path(f"/proc/{started['sleep']}").exists()
        await drawings.close()

    anyio.run(main)


def test_a_program_without_a_main_guard_can_serve(tmp_path, plan_copy):
    """Workers were multiprocessing 'spawn' children, which re-run the program's main module: a script
    embedding the app without `if __name__ == "__main__"` started itself again in every worker, and each
    simulation and diagram failed with 'worker process ended unexpectedly'."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    plan = plan_copy("starter")
    script = tmp_path / "embedded.py"
    script.write_text(
        "from fastapi.testclient import TestClient\n"
        "from archplan.serve.app import create_app\n"
        "print('started', flush=True)\n"
        f"with TestClient(create_app({str(plan)!r}), base_url='http://127.0.0.1:8787') as client:\n"
        "    identity = client.get('/api/plan').json()['result']['diagram']['id']\n"
        "    print('diagram', client.get(f'/api/diagram/{identity}').status_code, flush=True)\n"
        "    print('simulate', client.post('/api/simulate', json={}).status_code, flush=True)\n")
    src = str(Path(__file__).resolve().parents[2] / "src")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=180)
    assert done.stdout.split("\n")[:3] == ["started", "diagram 200", "simulate 200"], done.stderr[-2000:]


def test_an_idle_worker_that_died_is_replaced():
    """A kept worker killed while idle (by the OOM killer, say) failed the next job with a broken pipe."""
    import os
    import signal

    async def main():
        workers = Workers("simulation")
        try:
            assert await workers.run(divmod, 9, 4) == (2, 1)
            dead = workers._idle[0]
            os.kill(dead.process.pid, signal.SIGKILL)
            dead.process.wait(10)
            assert await workers.run(divmod, 9, 2) == (4, 1)
            assert workers._idle and workers._idle[0] is not dead
        finally:
            await workers.close()

    anyio.run(main)
