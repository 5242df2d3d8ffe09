"""Run archplan commands as real processes without paying Python's start-up for each one.

The parent imports every module a command run loads (found by running each command once in a throwaway
child), then forks one child per command. The child is a process of its own, as `python -m archplan` is:
fresh file descriptors (stdin /dev/null, stdout and stderr to files), its own working directory, the real
argv through `archplan.cli.main`, Python's own exit rules (an uncaught exception prints a traceback and
exits 1, a failed flush of stdout exits 120) and these limits:

- CPU: RLIMIT_CPU (soft `cpu_limit` seconds, then SIGXCPU kills it): a hang burns CPU, and CPU seconds
  are what the run costs whatever the machine's load; wall time is only a backstop (`wall_limit`, SIGKILL)
  for a child blocked without using CPU.
- memory: RLIMIT_AS at the parent's address space plus `memory_headroom` bytes (a bomb stops there with
  MemoryError instead of taking the machine); the figure judged is the child's peak resident size
  (ru_maxrss from wait4, which counts the pages it shares with the parent, so it is never below what a
  fresh process would use).

tests/fuzz/test_fuzz.py checks that a sample of hostile inputs gives the same exit code, stdout and
stderr through this server as through `python -m archplan` subprocesses.
"""
from __future__ import annotations

import gc
import importlib
import io
import json
import os
import resource
import shutil
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# What `python -m archplan` puts in sys.argv[0] (argparse's prog is fixed to "archplan", but keep it real).
MAIN_PATH = str(ROOT / "src" / "archplan" / "__main__.py")


@dataclass
class Result:
    argv: list[str]
    code: int  # exit status, or -signal when a signal ended it
    stdout: str
    stderr: str
    cpu_seconds: float  # user + system, its own and its reaped children's (graphviz)
    max_rss_bytes: int
    wall_seconds: float
    killed: str | None = None  # "cpu", "wall" or None
    pid: int = 0


@dataclass
class _Running:
    pid: int
    argv: list[str]
    out_path: Path
    err_path: Path
    started: float


def _exit_status(value) -> tuple[int, str | None]:
    """What the interpreter does with SystemExit's code: None -> 0, an int -> itself, else print it, 1."""
    if value is None:
        return 0, None
    if isinstance(value, int):
        return value & 0xFF, None
    return 1, str(value)


class ForkServer:
    def __init__(self, cpu_limit: float = 20.0, wall_limit: float = 600.0,
                 memory_headroom: int = 1024 * 1024 * 1024):
        self.cpu_limit = cpu_limit
        self.wall_limit = wall_limit
        self.memory_headroom = memory_headroom
        self._capture = Path(tempfile.mkdtemp(prefix="archplan-forkserver-"))
        self._serial = 0
        self._running: dict[int, _Running] = {}
        self.address_space_limit = 0

    # -- preparing the parent ------------------------------------------------------------------
    def prepare(self, warm_argvs: list[list[str]], cwd: Path) -> list[str]:
        """Import, in this process, every module the given command runs load; return their names.

        Each warm-up runs in a child (so no thread, cache or open file of a real run lives in the parent);
        the child reports the modules it ended with."""
        names: set[str] = set()
        for argv in warm_argvs:
            report = self._capture / f"modules-{len(names)}-{os.getpid()}.json"
            result = self.run(argv, cwd, _report_modules=report)
            if result.code not in (0, 1):
                raise RuntimeError(f"warm-up {argv} exited {result.code}: {result.stderr[-2000:]}")
            names.update(json.loads(report.read_text()))
        imported = []
        for name in sorted(names):
            if name == "__main__" or name in sys.modules:
                continue
            try:
                importlib.import_module(name)
                imported.append(name)
            except Exception:  # noqa: BLE001 - a module that only imports in its own context: the child loads it
                pass
        engine = sys.modules.get("archplan.simulate.engine")
        while engine is not None and getattr(engine, "_POOL", None):  # a simulation run earlier in this process
            engine._POOL.pop().shutdown(wait=True)  # noqa: SLF001 - its threads would not exist in a child
        if threading.active_count() != 1:
            raise RuntimeError("importing the command modules started a thread; forking would copy none of it")
        self.address_space_limit = self._address_space() + self.memory_headroom
        # What the parent holds now is never collected: a child's collector then skips it, and so does not
        # touch (and copy) those pages. The child still collects everything it creates.
        gc.collect()
        gc.freeze()
        return imported

    @staticmethod
    def _address_space() -> int:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")

    # -- running ------------------------------------------------------------------------------
    def start(self, argv: list[str], cwd: Path, _report_modules: Path | None = None) -> int:
        """Fork a child that runs `archplan <argv>` in `cwd`; returns its pid (collect it with wait_any)."""
        self._serial += 1
        out_path = self._capture / f"{self._serial}.out"
        err_path = self._capture / f"{self._serial}.err"
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            try:
                self._child(argv, cwd, out_path, err_path, _report_modules)
            finally:
                os._exit(70)
        self._running[pid] = _Running(pid, argv, out_path, err_path, time.monotonic())
        return pid

    def _child(self, argv, cwd, out_path, err_path, report) -> None:
        os.setpgid(0, 0)  # its own group, so a wall-time kill reaches graphviz too
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE, signal.SIGALRM, signal.SIGPROF,
                       signal.SIGXCPU, signal.SIGCHLD):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # Python's own
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)  # as the interpreter sets it at start-up
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.alarm(0)
        cpu = int(self.cpu_limit + 0.999)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if self.address_space_limit:
            resource.setrlimit(resource.RLIMIT_AS, (self.address_space_limit, self.address_space_limit))
        os.chdir(cwd)
        stdin = os.open(os.devnull, os.O_RDONLY)
        stdout = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        stderr = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        for fd, target in ((stdin, 0), (stdout, 1), (stderr, 2)):
            os.dup2(fd, target)
            os.close(fd)
        # Fresh standard streams, as the interpreter opens them for files (block-buffered, strict UTF-8,
        # backslashreplace on stderr), so buffering and encoding errors behave as in a real run.
        sys.stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)), encoding="utf-8")
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(io.FileIO(1, "w", closefd=False)), encoding="utf-8",
                                      errors="strict")
        sys.stderr = io.TextIOWrapper(io.BufferedWriter(io.FileIO(2, "w", closefd=False)), encoding="utf-8",
                                      errors="backslashreplace", line_buffering=True)
        sys.__stdout__, sys.__stderr__, sys.__stdin__ = sys.stdout, sys.stderr, sys.stdin
        sys.argv = [MAIN_PATH, *argv]
        status = 1
        try:
            from archplan.cli import main

            status, message = _exit_status(main(argv))
            if message:
                print(message, file=sys.stderr)
        except SystemExit as exit_:
            status, message = _exit_status(exit_.code)
            if message:
                print(message, file=sys.stderr)
        except BaseException:  # noqa: BLE001 - what the interpreter does with an uncaught exception
            import traceback

            traceback.print_exc()
            status = 1
        if report is not None:
            report.write_text(json.dumps(sorted(sys.modules)))
        try:
            import atexit

            atexit._run_exitfuncs()  # noqa: SLF001 - the interpreter runs them at exit too
        except BaseException:  # noqa: BLE001
            pass
        try:
            sys.stdout.flush()
        except BaseException:  # noqa: BLE001 - the interpreter: "Exception ignored ...", exit 120
            status = 120
            try:
                sys.stderr.write("Exception ignored on flushing sys.stdout\n")
            except BaseException:  # noqa: BLE001
                pass
        try:
            sys.stderr.flush()
        except BaseException:  # noqa: BLE001
            pass
        os._exit(status)

    def wait_any(self, block: bool = True) -> Result | None:
        """The next child to finish (killing any past its wall limit); None when none is running, or when
        `block` is off and none has finished yet."""
        while self._running:
            pid, status, usage = os.wait4(-1, os.WNOHANG)
            if pid == 0:
                self._overdue()
                if not block:
                    return None
                time.sleep(0.02)
                continue
            if pid in self._running:
                return self._result(self._running.pop(pid), status, usage)
        return None

    def _overdue(self) -> None:
        """Kill any child past the wall limit (SIGKILL to its group)."""
        now = time.monotonic()
        for running in self._running.values():
            if now - running.started > self.wall_limit and not getattr(running, "wall_killed", False):
                try:
                    os.killpg(running.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                running.wall_killed = True  # type: ignore[attr-defined]

    def _result(self, running: _Running, status: int, usage) -> Result:
        if os.WIFSIGNALED(status):
            code = -os.WTERMSIG(status)
        else:
            code = os.WEXITSTATUS(status)
        cpu = usage.ru_utime + usage.ru_stime if usage else 0.0
        killed = None
        if getattr(running, "wall_killed", False):
            killed = "wall"
        elif code in (-signal.SIGXCPU, -signal.SIGKILL) and cpu >= self.cpu_limit * 0.9:
            killed = "cpu"
        result = Result(running.argv, code, _read(running.out_path), _read(running.err_path), cpu,
                        (usage.ru_maxrss * 1024) if usage else 0, time.monotonic() - running.started, killed,
                        running.pid)
        running.out_path.unlink(missing_ok=True)
        running.err_path.unlink(missing_ok=True)
        try:  # graphviz or any other grandchild left behind
            os.killpg(running.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        return result

    def run(self, argv: list[str], cwd: Path, _report_modules: Path | None = None) -> Result:
        """One command, waited for (nothing else may be running)."""
        if self._running:
            raise RuntimeError("run() while children are running: use start() and wait_any()")
        self.start(argv, cwd, _report_modules)
        result = self.wait_any()
        assert result is not None
        return result

    @property
    def running(self) -> int:
        return len(self._running)

    def close(self) -> None:
        for pid in list(self._running):
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        while self._running:
            self.wait_any()
        shutil.rmtree(self._capture, ignore_errors=True)


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8", "backslashreplace")
    except FileNotFoundError:
        return ""
