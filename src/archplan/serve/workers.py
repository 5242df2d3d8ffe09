"""Long jobs of the page (a simulated day, a Graphviz drawing), each run in a worker process of its own so that
a running one can be stopped at once: when the server is told to stop (SIGTERM, Ctrl-C), when it shuts down,
when the request is cancelled and when the browser that asked goes away. The simulation engine is compiled
code that releases the GIL and Graphviz is a program of its own: no thread can interrupt either, and a thread
left running kept the server's shutdown waiting until the job ended, minutes later for a big spike. A
process can be killed, and with it (each worker leads a process group) any program it started.

A worker that finished its job is kept for the next one (its imports and compiled engine are warm); workers
are new interpreters, not forks of a server that runs threads."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection

import anyio

MAX_RUNNING = 2  # jobs at once: a simulation uses every core already; more are refused, not queued
KEEP_IDLE = 1
POLL_S = 0.25  # how often a waiting request looks whether its browser is still there
TIME_LIMIT_S = 300.0  # a page cannot wait for hours; `archplan simulate` can


class WorkerUnavailable(Exception):
    """No result now (the server is stopping, too many jobs are running, the worker died): one line, with
    the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 503):
        super().__init__(message)
        self.status = status


class JobFailed(Exception):
    """The job raised an error the user can act on (an EditError or archplan's own error in the worker)."""


def _watch_parent(parent: int) -> None:
    """End the worker when the server is gone (killed with SIGKILL, say): never an orphan running on."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def serve_jobs(descriptor: int, parent: int) -> None:
    """The worker process: run each (function, args) sent on the socket `descriptor` and send back
    ("ok", result) or ("error", message), until the server closes the connection."""
    from multiprocessing.connection import Connection

    from archplan.errors import CatalogError, SpecError, UsageError
    from archplan.serve.edits import EditError

    # Ctrl-C reaches the terminal's process group (not this one's, but to be sure): the server decides.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="archplan-serve-watch").start()
    connection = Connection(descriptor)
    while True:
        try:
            function, args = connection.recv()
        except (EOFError, OSError):
            return
        try:
            reply = ("ok", function(*args))
        except (EditError, UsageError, SpecError, CatalogError) as error:
            reply = ("error", str(error))
        except Exception as error:  # a bug: one line for the page, not a dead worker
            reply = ("failed", f"{type(error).__name__}: {' '.join(str(error).split())[:200]}")
        try:
            connection.send(reply)
        except (OSError, ValueError):
            return


_START = "import sys; from archplan.serve.workers import serve_jobs; serve_jobs(int(sys.argv[1]), int(sys.argv[2]))"


class _Worker:
    """A fresh interpreter (not multiprocessing's spawn, which re-runs the program's main module and keeps a
    resource-tracker process), in a session of its own so that killing its group kills what it started."""

    def __init__(self):
        ours, theirs = socket.socketpair()
        with ours, theirs:
            # the server's own import path, so the worker finds archplan wherever the server did
            env = dict(os.environ, PYTHONPATH=os.pathsep.join(path for path in sys.path if path))
            self.process = subprocess.Popen([sys.executable, "-c", _START, str(theirs.fileno()), str(os.getpid())],
                                            pass_fds=(theirs.fileno(),), start_new_session=True,
                                            stdin=subprocess.DEVNULL, env=env)
            self.connection = Connection(ours.detach())

    def kill(self) -> None:
        """SIGKILL to the worker's process group, at once; safe in a signal handler (no lock, no wait)."""
        if self.process.returncode is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    @property
    def exitcode(self) -> int | None:
        return self.process.poll()

    def reap(self) -> None:
        self.kill()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            pass
        self.connection.close()


class Workers:
    """The worker processes of one kind of job (`name`: what the messages call it) of one app. Everything
    but `stop` runs on the event loop's thread."""

    def __init__(self, name: str, max_running: int = MAX_RUNNING, time_limit_s: float = TIME_LIMIT_S,
                 advice: str = "", queue: bool = False):
        self.name = name
        self.max_running = max_running
        self.queue = queue  # beyond max_running, wait for a worker (else refuse with 429)
        self.time_limit_s = time_limit_s
        self.advice = advice  # said when the time limit stops a job
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._starting = 0
        self.stopping = False

    async def warm(self) -> None:
        """Start a worker ahead of the first job (it imports while the server starts)."""
        if not self.stopping and not self._idle and not self._busy:
            self._idle.append(await anyio.to_thread.run_sync(_Worker))

    def stop(self) -> None:
        """Kill every worker now and refuse new jobs. Called from the server's signal handler, so it only
        sends signals; the requests waiting on those workers answer and reap them."""
        self.stopping = True
        for worker in list(self._busy) + list(self._idle):
            worker.kill()

    async def close(self) -> None:
        """Stop, then wait for every worker process to be gone (the app's shutdown)."""
        self.stop()
        idle, self._idle = self._idle, []
        for worker in idle + list(self._busy):
            await anyio.to_thread.run_sync(worker.reap)

    def _stopped(self) -> WorkerUnavailable:
        return WorkerUnavailable(f"the {self.name} was stopped: archplan serve is shutting down")

    async def _take(self, gone) -> _Worker:
        while self.queue and len(self._busy) + self._starting >= self.max_running and not self.stopping:
            if gone is not None and await gone():
                raise WorkerUnavailable(f"the {self.name} was not started: its page went away")
            await anyio.sleep(POLL_S / 5)
        if self.stopping:
            raise self._stopped()
        if len(self._busy) + self._starting >= self.max_running:
            raise WorkerUnavailable(f"{self.max_running} {self.name}s are running already; try again when one "
                                    "has finished", 429)
        while self._idle and self._idle[-1].exitcode is not None:  # died idle (killed, out of memory)
            await anyio.to_thread.run_sync(self._idle.pop().reap)
        if self._idle:
            worker = self._idle.pop()
        else:
            self._starting += 1
            try:
                with anyio.CancelScope(shield=True):  # a started process is always tracked, then killed
                    worker = await anyio.to_thread.run_sync(_Worker)
            finally:
                self._starting -= 1
        self._busy.add(worker)
        if self.stopping:  # the signal came while it was starting
            worker.kill()
        return worker

    async def run(self, function, *args, gone=None):
        """function(*args) in a worker process. `gone` (an async callable) says whether the asker went away;
        then, and on cancellation, shutdown or the time limit, the worker is killed at once."""
        worker = await self._take(gone)
        finished = False
        try:
            if self.stopping:
                raise self._stopped()
            try:
                await anyio.to_thread.run_sync(worker.connection.send, (function, args))
            except OSError:  # it died between the check and the job: waiting on it tells how
                pass
            deadline = time.monotonic() + self.time_limit_s
            while True:
                with anyio.move_on_after(POLL_S):
                    await anyio.wait_readable(worker.connection.fileno())
                    break
                if self.stopping:
                    raise self._stopped()
                if gone is not None and await gone():
                    raise WorkerUnavailable(f"the {self.name} was stopped: its page went away")
                if time.monotonic() > deadline:
                    raise WorkerUnavailable(f"the {self.name} was stopped after {self.time_limit_s:g} s"
                                            + (f"; {self.advice}" if self.advice else ""), 504)
            try:
                status, value = await anyio.to_thread.run_sync(worker.connection.recv)
            except (EOFError, OSError):
                if self.stopping:
                    raise self._stopped() from None
                code = worker.exitcode
                raise WorkerUnavailable(f"the {self.name}'s worker process ended unexpectedly"
                                        + (f" (exit code {code})" if code is not None else ""), 500) from None
            finished = True
        finally:
            self._busy.discard(worker)
            if not finished or self.stopping or len(self._idle) >= KEEP_IDLE:
                with anyio.CancelScope(shield=True):
                    await anyio.to_thread.run_sync(worker.reap)
            else:
                self._idle.append(worker)
        if status == "ok":
            return value
        if status == "error":
            raise JobFailed(value)
        raise WorkerUnavailable(f"the {self.name} failed: {value}", 500)
