"""A seeded fuzzer for archplan's promise about bad input: every plan gets exit 0, or exit 1 with one line of
at most 300 characters naming the file and line; never a traceback, an internal error, a hang or a memory
blow-up; and a plan `validate` accepts works with cost, check, generate and doc.

  python -m tests.fuzz.fuzzer [--count N] [--seed S] [--seconds T]   (make fuzz: 10,000 inputs)

Inputs are mutations of the examples (values swapped for hostile ones, keys dropped or misspelt, overrides
added to environments) plus YAML tricks (aliases, tags, deep nesting, odd bytes). Each runs in this process
through archplan.cli.main, under an alarm; failures print the seed and index that reproduce them."""
from __future__ import annotations

import argparse
import contextlib
import copy
import io
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
SECONDS_PER_INPUT = 5
# A hang is caught by CPU time (a loop burns CPU): under a load of 13 on 2 shared cores, a 4 s doc took over a
# minute of wall time and a wall-clock alarm called it a hang. The wall alarm stays as a backstop for a run
# blocked without using CPU (a child process that never answers).
HANG_CPU_SECONDS = SECONDS_PER_INPUT * 4
HANG_WALL_SECONDS = 600
MEMORY_GROWTH_BYTES = 512 * 1024 * 1024
MAX_LINE = 300
LOCATED = re.compile(r"^error: (?P<file>[^:]+):(?P<line>\d+): ")

HOSTILE_STRINGS = [
    "", " ", "'", '"', "\\", "\\\"", "${var.x}", "%{ if true }x%{ endif }", "$(touch pwned)", "`id`", "; rm -rf /",
    "a\nb", "\n---\nkind: ConfigMap\n", "<script>alert(1)</script>", "javascript:alert(1)",
    "[x](javascript:alert(1))", "```", "~~~", "]]>", "<!--", "-->", "&amp;", "#quot;", "|", "*", "**b**", "_i_",
    "{{ x }}", "{%", "key: value", "- item", "? q", "!!python/object:os.system", "&a", "*a", "%TAG", "@", "#",
    "é", "ñ", "₹", "日本", "\u202e", "\u200b", "x" * 300, "0", "-1", "1e999999", "NaN", "true", "null", "~",
    "0x1F", "1_000", ".inf", "\t", "a\tb", "}", "{", "];", "\"]; }", "'; DROP TABLE x; --",
]
HOSTILE_NUMBERS = [0, -1, -10**6, 1, 2**31, 2**63, 10**15, 10**16, 10**30, 0.5, -0.5, 1e-20, 1e300, 3.14159,
                   "1e5000", "1e-5000", "-0", "0.0000000000000000001"]
HOSTILE_VALUES = HOSTILE_STRINGS + HOSTILE_NUMBERS + [None, True, False, [], {}, [1, 2], {"a": 1}, [[[]]],
                                                      {"name": [1, 2]}, [{"name": "x"}]]
YAML_TRICKS = [
    "a: &a [*a]\n", "x: " + "[" * 60 + "]" * 60 + "\n", "n: " + "9" * 5000 + "\n", "f: !!float xyz\n",
    "i: !!int abc\n", "b: !!bool maybe\n", "t: !!timestamp nope\n", "y: !!binary '***'\n", "p: !!python/name:os.system\n",
    "<<: {a: 1}\n", "? [a, b]\n: c\n", "a: 1\na: 2\n", "%YAML 1.1\n---\na: 1\n...\n---\nb: 2\n", "---\n", "",
    "\ufeffproject: {}\n", "a: \"\\0\"\n", "a: \"\\x07\"\n", "a: '\x01'\n", "- just\n- a list\n", "just a string\n",
    "project: !!set {a, b}\n", "project: !!omap [a: 1]\n", "project:\n  name: x\n\t region: y\n",
]


@dataclass
class Failure:
    index: int
    command: str
    reason: str
    detail: str


def _mutate_data(rng: random.Random, data):
    """One structural change somewhere in the plan."""
    paths = []

    def collect(node, path):
        paths.append(path)
        if isinstance(node, dict):
            for key, value in node.items():
                collect(value, path + (key,))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                collect(value, path + (index,))

    collect(data, ())
    path = rng.choice(paths[1:] or [()])
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    key = path[-1] if path else None
    operation = rng.randrange(7)
    if key is None:
        return data
    if operation <= 2:
        parent[key] = copy.deepcopy(rng.choice(HOSTILE_VALUES))
    elif operation == 3 and isinstance(parent, dict):
        del parent[key]
    elif operation == 4 and isinstance(parent, dict):
        value = parent.pop(key)
        new_key = str(key)
        spot = rng.randrange(len(new_key) + 1)
        new_key = new_key[:spot] + rng.choice("abcxyz_-. Aé") + new_key[spot + 1:]
        parent[rng.choice([new_key, rng.choice(HOSTILE_STRINGS) or "k"])] = value
    elif operation == 5:  # an environment overriding this component's key with a hostile value
        if len(path) >= 3 and path[0] == "components":
            envs = data.setdefault("project", {}).setdefault("environments", {}) \
                if isinstance(data.get("project"), dict) else {}
            if isinstance(envs, dict):
                env = envs.setdefault(rng.choice(["fuzz", "prod"]), {})
                if isinstance(env, dict):
                    changes = env.setdefault("components", {})
                    if isinstance(changes, dict):
                        changes.setdefault(path[1], {})[path[2]] = copy.deepcopy(rng.choice(HOSTILE_VALUES))
    else:
        if isinstance(parent[key], str):
            parent[key] = parent[key] + rng.choice(HOSTILE_STRINGS)
        elif isinstance(parent[key], (int, float)) and not isinstance(parent[key], bool):
            parent[key] = rng.choice(HOSTILE_NUMBERS)
        elif isinstance(parent[key], list) and parent[key]:
            parent[key].append(copy.deepcopy(rng.choice(parent[key])))
    return data


def _mutate_text(rng: random.Random, text: str) -> str:
    """A byte-level or line-level change to the YAML text."""
    lines = text.split("\n")
    operation = rng.randrange(6)
    spot = rng.randrange(len(lines))
    if operation == 0:
        lines.insert(spot, rng.choice(YAML_TRICKS).rstrip("\n"))
    elif operation == 1:
        del lines[spot]
    elif operation == 2:
        lines[spot] = lines[spot] + rng.choice([" &x", " *x", " !!str", " #", ": :", " '", ' "', " [", " {", "\t"])
    elif operation == 3:
        return text[: rng.randrange(len(text) + 1)]
    elif operation == 4:
        other = rng.randrange(len(lines))
        lines[spot], lines[other] = lines[other], lines[spot]
    else:
        line = lines[spot]
        position = rng.randrange(len(line) + 1)
        lines[spot] = line[:position] + rng.choice(["₹", "\u00e9", "\x00", "\x1b", "\u2028", "\ud7ff", "\ufeff",
                                                     "  ", ":"]) + line[position:]
    return "\n".join(lines)


def make_input(seed: int, index: int, examples: list[tuple[str, object]]) -> bytes:
    rng = random.Random(seed * 1_000_003 + index)
    kind = rng.random()
    if kind < 0.08:
        return rng.choice(YAML_TRICKS).encode("utf-8", "surrogatepass")
    name, data = rng.choice(examples)
    data = copy.deepcopy(data)
    for _ in range(rng.choice([1, 1, 1, 2, 3, 5])):
        data = _mutate_data(rng, data)
    try:
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120)
    except yaml.YAMLError:
        text = yaml.safe_dump(examples[0][1], sort_keys=False)
    if rng.random() < 0.3:
        text = _mutate_text(rng, text)
    raw = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.03:
        spot = rng.randrange(len(raw) + 1)
        raw = raw[:spot] + bytes([rng.choice([0xff, 0xc3, 0x80, 0xfe])]) + raw[spot:]
    return raw


class _Alarm(Exception):
    pass


def _alarm(_signum, _frame):
    raise _Alarm()


def _rss_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def run_command(argv: list[str]) -> tuple[int, str, str, float]:
    from archplan.cli import main

    out, err = io.StringIO(), io.StringIO()
    started = time.process_time()  # CPU time: the machine is shared, wall time says more about the others
    signal.signal(signal.SIGALRM, _alarm)
    signal.signal(signal.SIGPROF, _alarm)
    signal.alarm(HANG_WALL_SECONDS)
    signal.setitimer(signal.ITIMER_PROF, HANG_CPU_SECONDS)  # CPU seconds of this process, whatever the load
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else 2
    except _Alarm:
        code = -1
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.alarm(0)
    return code, out.getvalue(), err.getvalue(), time.process_time() - started


def judge(command: str, plan: str, code: int, out: str, err: str, seconds: float) -> str | None:
    """Why this run breaks the promise, or None."""
    if code == -1:
        return f"still running after {HANG_CPU_SECONDS} s of CPU (or {HANG_WALL_SECONDS} s)"
    if seconds > SECONDS_PER_INPUT:
        return f"took {seconds:.1f} s of CPU"
    if "Traceback" in err or "internal error" in err:
        return "traceback or internal error"
    if code == 0:
        return None
    if code == 1 and command == "check" and not err and out:
        return None  # a failed gate: the report says why
    if code != 1:
        return f"exit {code}"
    lines = err.splitlines()
    if len(lines) != 1:
        return f"{len(lines)} lines on stderr"
    if len(lines[0]) > MAX_LINE:
        return f"a {len(lines[0])}-character line"
    match = LOCATED.match(lines[0])
    if not match or match.group("file") != plan:
        return "the error names no file and line"
    return None


def fuzz(count: int, seed: int, seconds: float | None = None, log=None) -> tuple[int, list[Failure]]:
    examples = [(path.name, yaml.safe_load(path.read_text(encoding="utf-8"))) for path in EXAMPLES]
    failures: list[Failure] = []
    work = Path(tempfile.mkdtemp(prefix="archplan-fuzz-"))
    baseline = _rss_bytes()
    deadline = time.monotonic() + seconds if seconds else None
    done = 0
    try:
        for index in range(count):
            if deadline and time.monotonic() > deadline:
                break
            plan = work / f"plan-{index}.yaml"
            plan.write_bytes(make_input(seed, index, examples))
            code, out, err, took = run_command(["validate", str(plan)])
            reason = judge("validate", str(plan), code, out, err, took)
            commands = ["cost", "check", "generate", "doc"] if code == 0 else ["cost"]
            if reason is None:
                for command in commands:
                    argv = [command, str(plan)]
                    if command in ("generate", "doc"):
                        argv += ["-o", str(work / f"{command}-{index}")]
                    code_c, out_c, err_c, took_c = run_command(argv)
                    reason = judge(command, str(plan), code_c, out_c, err_c, took_c)
                    if reason is None and code == 0 and code_c not in (0, 1):
                        reason = f"validate passed, {command} exit {code_c}"
                    if reason is None and code == 0 and code_c == 1 and command != "check":
                        reason = f"validate passed, {command} failed: {err_c.strip()[:200]}"
                    if reason:
                        failures.append(Failure(index, command, reason, (err_c or out_c)[-300:]))
                        break
                    shutil.rmtree(work / f"{command}-{index}", ignore_errors=True)
            else:
                failures.append(Failure(index, "validate", reason, err[-300:]))
            if _rss_bytes() - baseline > MEMORY_GROWTH_BYTES:
                failures.append(Failure(index, "validate", "memory grew past 512 MB", ""))
            if failures and failures[-1].index == index:
                keep = work.parent / f"archplan-fuzz-failure-{seed}-{index}.yaml"
                shutil.copy(plan, keep)
                if log:
                    log(f"FAIL seed {seed} input {index} ({failures[-1].command}): {failures[-1].reason}: "
                        f"{failures[-1].detail.strip()[:200]} [kept as {keep}]")
            plan.unlink()
            done += 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return done, failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=None, help="stop after this long")
    args = parser.parse_args()
    done, failures = fuzz(args.count, args.seed, args.seconds, log=lambda line: print(line, flush=True))
    print(f"{done} inputs, seed {args.seed}: {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
