"""A seeded fuzzer for archplan's promise about bad input. For every input, each of validate, cost, check,
generate and doc exits 0, or exits 1 with one line of at most 300 characters naming the file and a line of
it (the first error, and a count of any others);
never a traceback, an internal error, a hang (over 5 s of CPU) or over 512 MB; a plan `validate` accepts
works with every other command; and nothing outside the `-o` folders changes.

  python -m tests.fuzz.fuzzer [--count N] [--start K] [--seed S] [--jobs J] [--only INDEX]   (make fuzz: 10,000 inputs)

Every command is a real process forked from a parent that has imported archplan once (forkserver.py), with
its own folder, the real argv, RLIMIT_CPU and RLIMIT_AS. Inputs are mutations of the examples (values
swapped for hostile ones, keys dropped or misspelt, environment overrides added), wrong types and edge
values at every key of the plan's JSON schema, YAML tricks (alias bombs, tags, deep nesting, huge numbers,
odd bytes), strings that are code in HCL, YAML, shell, Markdown, Mermaid, DOT or HTML, path traversal, and
hostile output folders (a manifest naming files outside it, a subfolder linked out of it). The input for
(seed, index) is the same on every machine; a failure prints the command line that replays it."""
from __future__ import annotations

import argparse
import copy
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tests.fuzz.forkserver import ForkServer, Result

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
COMMANDS = ("validate", "cost", "check", "generate", "doc")
PLAN = "plan.yaml"  # relative: the commands run in the input's own folder, as a user would
OUTPUTS = {"generate": "out-generate", "doc": "out-doc"}
SECONDS_PER_INPUT = 5.0  # CPU seconds (user + system, with graphviz): the machine is shared
CPU_LIMIT = SECONDS_PER_INPUT * 4  # RLIMIT_CPU: a hang is stopped here and reported as one
MEMORY_BYTES = 512 * 1024 * 1024
MAX_LINE = 300
MAX_ERROR_LINES = 1  # the first error and a count of the others (validate --all-errors, not fuzzed, lists them)
LOCATED = re.compile(r"^error: (?P<file>[^:\n]+):(?P<line>\d+): ")
WARNED = re.compile(r"^warning: [^:\n]+:\d+: ")
ESCAPE_PATH = "/tmp/archplan-fuzz-escape"  # absolute paths the inputs aim at; must never appear

INJECTIONS = [
    # HCL
    '"\n}\nresource "null_resource" "x" {\n', "${file(\"/etc/passwd\")}", "%{ if true }x%{ endif }", "${var.x}",
    # YAML / Kubernetes
    "\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: kube-system}\n", "x: y", "- item",
    "? q", "!!python/object:os.system", "&a", "*a", "%TAG ! tag:x", "{a: 1}", "[1, 2]", "'", '"',
    # shell / .env
    "$(touch pwned)", "`touch pwned`", "; touch pwned", "x\ntouch pwned", "'$(id)'", "\\", "$HOME", "a b",
    # Markdown / Mermaid / HTML
    "<script>alert(1)</script>", "javascript:alert(1)", "[x](javascript:alert(1))", "```", "~~~", "|", "**b**",
    "<img src=x onerror=alert(1)>", "]]>", "<!--", "-->", "&amp;", "#quot;", "%%{init: {}}%%", "end", "click x",
    "A-->B", "x[\"y\"]", "\"]; x -> y; [label=\"",
    # DOT
    "\"; }\ndigraph x { y", "<<b>x</b>>", "\\N", "\\G", "\\\\",
    # paths
    "../victim.txt", "../../victim.txt", "/etc/passwd", ESCAPE_PATH, "..", ".", "a/../../b", "C:\\x", "~/x",
]
ODD_TEXT = ["", " ", "\t", "a\tb", "a\nb", "\r\n", "é", "ñ", "₹", "日本", "\u202e", "\u200b", "\ufeff", "\u2028",
            "\x00", "\x07", "\x1b[31m", "\x7f", "\ud7ff", "😀", "x" * 300, "x" * 70_000, "0", "-1", "1e999999",
            "NaN", "inf", "-inf", "true", "yes", "null", "~", "0x1F", "0o17", "1_000", ".inf", "1e5000", "-0",
            "99999999999999999999999999", "{", "}", "];", "'; DROP TABLE x; --", "{{ x }}", "{%", "@", "#", "*"]
HOSTILE_STRINGS = INJECTIONS + ODD_TEXT
HOSTILE_NUMBERS = [0, -1, -10**6, 1, 2, 2**31, 2**31 - 1, 2**53 + 1, 2**63, 2**64, 10**15, 10**16, 10**30,
                   10**4299, 0.5, -0.5, 1e-20, 1e300, -1e300, 3.14159, 1e-323, float("inf"), float("-inf"),
                   float("nan")]
HOSTILE_VALUES = HOSTILE_STRINGS + HOSTILE_NUMBERS + [None, True, False, [], {}, [1, 2], {"a": 1}, [[[]]],
                                                      {"name": [1, 2]}, [{"name": "x"}], [None], {"": ""}]


def _nested(depth: int, open_: str, close: str) -> str:
    return open_ * depth + close * depth


YAML_TRICKS = [
    "a: &a [*a]\n",
    "a: &a {b: *a}\n",
    # alias bombs: a few hundred bytes that expand to billions of nodes
    "".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n" if i else "l0: &l0 [x, x, x, x, x, x, x, x, x]\n"
            for i in range(10)),
    "a: &a [x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c]\n",
    "x: " + _nested(60, "[", "]") + "\n", "x: " + _nested(600, "[", "]") + "\n", "x: " + _nested(5000, "[", "]") + "\n",
    "x: " + _nested(600, "{a: ", "}") + "\n",
    "\n".join("  " * i + f"k{i}:" for i in range(400)) + " 1\n",
    "n: " + "9" * 4301 + "\n", "n: " + "9" * 100_000 + "\n", "n: 1e999999\n", "n: -1e999999\n", "n: 0x" + "f" * 5000 + "\n",
    "f: !!float xyz\n", "i: !!int abc\n", "b: !!bool maybe\n", "t: !!timestamp nope\n", "y: !!binary '***'\n",
    "p: !!python/name:os.system\n", "p: !!python/object/apply:os.system ['touch pwned']\n", "s: !custom x\n",
    "<<: {a: 1}\n", "<<: *nope\n", "? [a, b]\n: c\n", "? {a: 1}\n: c\n", "a: 1\na: 2\n",
    "%YAML 1.1\n---\na: 1\n...\n---\nb: 2\n", "---\n", "", "\ufeffproject: {}\n", "a: \"\\0\"\n", "a: \"\\x07\"\n",
    "a: '\x01'\n", "- just\n- a list\n", "just a string\n", "42\n", "null\n", "project: !!set {a, b}\n",
    "project: !!omap [a: 1]\n", "project:\n  name: x\n\t region: y\n", "a: b: c\n", "a: [\n", "a: '\n", "a: |\n  x\n b\n",
    "\x00", "\r\nproject:\r\n  name: x\r\n", "project:\n  name: " + "x" * 200_000 + "\n",
]


@dataclass
class Input:
    index: int
    data: bytes
    how: str  # what made it, for the report
    hostile_output: bool = False  # the -o folders were prepared hostile (a manifest out, a link out)


@dataclass
class Failure:
    index: int
    command: str
    reason: str
    detail: str
    how: str = ""


# -- inputs ---------------------------------------------------------------------------------------------
def _paths(data) -> list[tuple]:
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
    return paths


def _mutate_data(rng: random.Random, data):
    """One structural change somewhere in the plan."""
    paths = _paths(data)
    path = rng.choice(paths[1:] or [()])
    if not path:
        return data
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    key = path[-1]
    operation = rng.randrange(9)
    if operation <= 2:
        parent[key] = copy.deepcopy(rng.choice(HOSTILE_VALUES))
    elif operation == 3 and isinstance(parent, dict):
        del parent[key]
    elif operation == 4 and isinstance(parent, dict):  # a key misspelt, or replaced by a hostile one
        value = parent.pop(key)
        new_key = str(key)
        spot = rng.randrange(len(new_key) + 1)
        new_key = new_key[:spot] + rng.choice("abcxyz_-. Aé") + new_key[spot + 1:]
        parent[rng.choice([new_key, rng.choice(HOSTILE_STRINGS) or "k", new_key.upper(), new_key + " "])] = value
    elif operation == 5:  # an environment overriding this key with a hostile value
        if len(path) >= 3 and path[0] == "components" and isinstance(data.get("project"), dict):
            envs = data["project"].setdefault("environments", {})
            if isinstance(envs, dict):
                env = envs.setdefault(rng.choice(["fuzz", "prod", "dev"]), {})
                if isinstance(env, dict):
                    changes = env.setdefault("components", {})
                    if isinstance(changes, dict) and isinstance(changes.setdefault(path[1], {}), dict):
                        changes[path[1]][path[2]] = copy.deepcopy(rng.choice(HOSTILE_VALUES))
    elif operation == 6 and isinstance(parent[key], (dict, list)):  # a subtree copied elsewhere, or repeated
        if isinstance(parent[key], list) and parent[key]:
            parent[key].extend(copy.deepcopy(parent[key]) * rng.choice([1, 10, 100]))
        elif isinstance(parent[key], dict) and parent[key]:
            inner = rng.choice(list(parent[key]))
            parent[key][f"{inner}{rng.choice(['', '2', '-copy', ' ', '_x'])}"] = copy.deepcopy(parent[key][inner])
    elif operation == 7:  # a string or name with code of some output format in it
        if isinstance(parent[key], str):
            parent[key] = rng.choice([parent[key] + rng.choice(INJECTIONS), rng.choice(INJECTIONS) + parent[key]])
        elif isinstance(parent, dict) and path[0] in ("components", "flows") and len(path) == 2:
            parent[str(key) + rng.choice(INJECTIONS)] = parent.pop(key)
    else:
        if isinstance(parent[key], str):
            parent[key] = parent[key] + rng.choice(HOSTILE_STRINGS)
        elif isinstance(parent[key], (int, float)) and not isinstance(parent[key], bool):
            parent[key] = rng.choice(HOSTILE_NUMBERS + [parent[key] * 10**rng.randrange(1, 30), -parent[key]])
        elif isinstance(parent[key], list) and parent[key]:
            parent[key].append(copy.deepcopy(rng.choice(parent[key])))
    return data


def _mutate_text(rng: random.Random, text: str) -> str:
    """A byte-level or line-level change to the YAML text."""
    lines = text.split("\n")
    operation = rng.randrange(7)
    spot = rng.randrange(len(lines))
    if operation == 0:
        lines.insert(spot, rng.choice(YAML_TRICKS).rstrip("\n"))
    elif operation == 1:
        del lines[spot]
    elif operation == 2:
        lines[spot] = lines[spot] + rng.choice([" &x", " *x", " !!str", " #", ": :", " '", ' "', " [", " {", "\t",
                                                " !!binary", " !!int", " <<: *x"])
    elif operation == 3:
        return text[: rng.randrange(len(text) + 1)]
    elif operation == 4:
        other = rng.randrange(len(lines))
        lines[spot], lines[other] = lines[other], lines[spot]
    elif operation == 5:  # an anchor on one value, aliased at another
        lines[spot] = lines[spot] + " &fz"
        other = rng.randrange(len(lines))
        if ": " in lines[other]:
            lines[other] = lines[other].split(": ", 1)[0] + ": *fz"
    else:
        line = lines[spot]
        position = rng.randrange(len(line) + 1)
        lines[spot] = line[:position] + rng.choice(["₹", "\u00e9", "\x00", "\x1b", "\u2028", "\ud7ff", "\ufeff",
                                                     "  ", ":", "\r", "\x85", "\u00a0"]) + line[position:]
    return "\n".join(lines)


class Schema:
    """Values for the keys of the plan's JSON schema: plausible ones and ones of the wrong type or range."""

    def __init__(self, schema: dict):
        self.schema = schema
        self.defs = schema.get("$defs", {})
        mapping = schema["properties"]["components"]["additionalProperties"]["discriminator"]["mapping"]
        self.kinds = {kind: self._ref(ref) for kind, ref in sorted(mapping.items())}

    def _ref(self, ref: str) -> dict:
        return self.defs[ref.rsplit("/", 1)[1]]

    def resolve(self, node: dict) -> dict:
        while "$ref" in node:
            node = self._ref(node["$ref"])
        return node

    def plausible(self, rng: random.Random, node: dict, depth: int = 0):
        node = self.resolve(node)
        if "const" in node:
            return node["const"]
        if "enum" in node:
            return rng.choice(node["enum"])
        if "default" in node and node["default"] is not None and rng.random() < 0.3:
            return copy.deepcopy(node["default"])
        options = node.get("anyOf") or node.get("oneOf")
        if options:
            return self.plausible(rng, rng.choice([o for o in options if o.get("type") != "null"] or options), depth)
        kind = node.get("type")
        if kind == "string":
            return rng.choice(["x", "api", "us-central1", "1", "db-f1-micro", "POSTGRES_15", "10GiB"])
        if kind == "integer":
            low = node.get("minimum", node.get("exclusiveMinimum", 0))
            return int(low) + rng.choice([0, 1, 2, 10])
        if kind == "number":
            low = node.get("minimum", node.get("exclusiveMinimum", 0))
            high = node.get("maximum", low + 100)
            return rng.uniform(low, high) if high > low else low
        if kind == "boolean":
            return rng.random() < 0.5
        if kind == "array":
            if depth > 3:
                return []
            return [self.plausible(rng, node.get("items", {}), depth + 1) for _ in range(rng.randrange(3))]
        if kind == "object" or "properties" in node:
            if depth > 3:
                return {}
            properties = node.get("properties", {})
            required = node.get("required", [])
            chosen = [k for k in properties if k in required or rng.random() < 0.2]
            return {k: self.plausible(rng, properties[k], depth + 1) for k in chosen}
        return "x"

    def wrong(self, rng: random.Random, node: dict):
        """A value of another type, or just past a bound, or outside an enum."""
        node = self.resolve(node)
        options = [self.resolve(o) for o in (node.get("anyOf") or node.get("oneOf") or [node])]
        edges = []
        for option in options:
            for bound in ("minimum", "exclusiveMinimum"):
                if bound in option:
                    edges += [option[bound] - 1, option[bound], option[bound] - 1e-9, -10**20]
            for bound in ("maximum", "exclusiveMaximum"):
                if bound in option:
                    edges += [option[bound] + 1, option[bound], option[bound] + 1e-9, 10**20]
            if "enum" in option:
                edges += [str(option["enum"][0]).upper(), str(option["enum"][0]) + " ", "", 0]
            if option.get("type") == "array":
                edges += [{}, "x", [None], [[]], [{"": 1}]]
            if option.get("type") == "object":
                edges += [[], "x", {"": 1}, {"unknown_key": 1}]
        return copy.deepcopy(rng.choice(edges + HOSTILE_VALUES))

    def component(self, rng: random.Random, kind: str) -> dict:
        node = self.kinds[kind]
        value = self.plausible(rng, node)
        value["kind"] = kind
        return value


def _schema_mutation(rng: random.Random, data, schema: Schema) -> str:
    """A component of any kind added with plausible values and one key wrong, or one key of an existing
    section (project, traffic, a component) set from its schema, wrong or edge."""
    if not isinstance(data, dict) or not isinstance(data.get("components"), dict):
        return "schema: skipped"
    if rng.random() < 0.5:
        kind = rng.choice(sorted(schema.kinds))
        component = schema.component(rng, kind)
        properties = schema.kinds[kind].get("properties", {})
        key = rng.choice(sorted(properties))
        if rng.random() < 0.8:
            component[key] = schema.wrong(rng, properties[key])
        names = list(data["components"])
        if names and rng.random() < 0.6:
            component["depends_on"] = [rng.choice(names)]
        data["components"][rng.choice([f"fz-{kind.replace('_', '-')}", "fz", kind])] = component
        return f"schema: new {kind}, {key}"
    sections = [("components", name) for name, c in data["components"].items()
                if isinstance(c, dict) and isinstance(c.get("kind"), str) and c["kind"] in schema.kinds]
    for top in ("project", "traffic", "slo", "checks"):
        if isinstance(data.get(top), dict):
            sections.append((top,))
    if not sections:
        return "schema: skipped"
    where = rng.choice(sections)
    target = data[where[0]] if len(where) == 1 else data["components"][where[1]]
    node = schema.kinds[target["kind"]] if len(where) == 2 else \
        schema.resolve(schema.schema["properties"][where[0]])
    node = schema.resolve(next((o for o in node.get("anyOf", []) if "$ref" in o), node))
    properties = node.get("properties", {})
    if not properties:
        return "schema: skipped"
    key = rng.choice(sorted(properties))
    target[key] = schema.wrong(rng, properties[key]) if rng.random() < 0.8 else schema.plausible(rng, properties[key])
    return f"schema: {'.'.join(where)}.{key}"


def _dump(data) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when present: the same YAML, faster
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=120)


def make_input(seed: int, index: int, examples: list[tuple[str, object]], schema: Schema) -> Input:
    rng = random.Random(seed * 1_000_003 + index)
    kind = rng.random()
    if kind < 0.06:
        trick = rng.choice(YAML_TRICKS)
        return Input(index, trick.encode("utf-8", "surrogatepass"), "yaml trick")
    name, data = rng.choice(examples)
    data = copy.deepcopy(data)
    how = [name]
    if kind < 0.10:  # a trick inside a real plan
        text = _dump(data)
        lines = text.split("\n")
        spot = rng.randrange(len(lines))
        indent = len(lines[spot]) - len(lines[spot].lstrip(" "))
        trick = rng.choice(YAML_TRICKS).rstrip("\n").replace("\n", "\n" + " " * indent)
        lines.insert(spot, " " * indent + trick)
        return Input(index, "\n".join(lines).encode("utf-8", "surrogatepass"), f"{name} + yaml trick")
    if kind < 0.35:
        for _ in range(rng.choice([1, 1, 2, 3])):
            how.append(_schema_mutation(rng, data, schema))
    else:
        for _ in range(rng.choice([1, 1, 1, 2, 3, 5])):
            data = _mutate_data(rng, data)
        how.append("mutated")
    try:
        text = _dump(data)
    except (yaml.YAMLError, ValueError, OverflowError):
        text = _dump(examples[0][1])
    if rng.random() < 0.25:
        text = _mutate_text(rng, text)
        how.append("text")
    raw = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.03:
        spot = rng.randrange(len(raw) + 1)
        raw = raw[:spot] + bytes([rng.choice([0xff, 0xc3, 0x80, 0xfe, 0x00])]) + raw[spot:]
        how.append("bytes")
    hostile_output = rng.random() < 0.05
    return Input(index, raw, " ".join(how) + (" + hostile output" if hostile_output else ""), hostile_output)


# -- the folder each input runs in -----------------------------------------------------------------
def _prepare_folder(case: Input, jail: Path) -> Path:
    """jail/{victim.txt, work/{plan.yaml, out-*}}: the commands run in work/; nothing but out-* may change."""
    jail.mkdir()
    (jail / "victim.txt").write_text("do not touch\n")
    work = jail / "work"
    work.mkdir()
    (work / "victim.txt").write_text("do not touch\n")
    (work / PLAN).write_bytes(case.data)
    if case.hostile_output:
        outside = jail / "outside"
        outside.mkdir()
        (outside / "main.tf").write_text("# not archplan's\n")
        for command, folder in OUTPUTS.items():
            out = work / folder
            out.mkdir()
            names = ["../victim.txt", "../../victim.txt", str(jail / "victim.txt"), "link/main.tf",
                     "terraform/../../victim.txt"]
            (out / ".archplan-manifest.json").write_text(json.dumps(
                {"files": {n: {"sha256": "0" * 64, "target": "terraform"} for n in names}}))
            (out / "link").symlink_to(outside, target_is_directory=True)
            (out / "terraform").symlink_to(outside, target_is_directory=True)
            (out / "index.html").symlink_to(jail / "victim.txt")
            (out / "architecture.md").symlink_to(jail / "victim.txt")
    return work


def snapshot(root: Path, skip: tuple[Path, ...]) -> dict[str, tuple]:
    """Every entry under root (links not followed) with type, size, mtime and content hash, except the
    subtrees in `skip` (the output folders)."""
    import hashlib

    entries = {}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = [d for d in dirnames if here / d not in skip]
        for name in dirnames + filenames:
            path = here / name
            info = path.lstat()
            if os.path.islink(path):
                entries[str(path.relative_to(root))] = ("link", os.readlink(path))
            elif path.is_file():
                entries[str(path.relative_to(root))] = ("file", info.st_size, info.st_mtime_ns,
                                                        hashlib.sha256(path.read_bytes()).hexdigest())
            else:
                entries[str(path.relative_to(root))] = ("other", info.st_mode)
    return entries


def _changes(before: dict, after: dict) -> list[str]:
    changed = [f"{name} {'removed' if name not in after else 'changed'}" for name in before
               if after.get(name) != before[name]]
    return changed + [f"{name} created" for name in after if name not in before]


# -- judging ----------------------------------------------------------------------------------------
def judge(command: str, result: Result, plan_lines: int, hostile_output: bool = False) -> str | None:
    """Why this run breaks the promise, or None."""
    if result.killed == "cpu":
        return f"still running after {result.cpu_seconds:.0f} s of CPU"
    if result.killed == "wall":
        return f"blocked: no answer after {result.wall_seconds:.0f} s"
    if result.code < 0:
        return f"killed by signal {-result.code}"
    if result.cpu_seconds > SECONDS_PER_INPUT:
        return f"took {result.cpu_seconds:.1f} s of CPU"
    if result.max_rss_bytes > MEMORY_BYTES:
        return f"used {result.max_rss_bytes / 2**20:.0f} MB"
    if "Traceback" in result.stderr or "internal error" in result.stderr:
        return "traceback or internal error"
    if result.code == 0:
        # A valid plan may carry warnings (what GCP allows but is implausible): each its own located line.
        printed = [line for line in result.stderr.splitlines() if line.strip()]
        if command == "check" or all(WARNED.match(line) and len(line) <= MAX_LINE for line in printed):
            return None
        return "exit 0 with an error printed"
    if result.code == 1 and command == "check" and not result.stderr and result.stdout:
        return None  # a failed gate: the report says why
    lines = result.stderr.splitlines()
    if hostile_output and result.code in (1, 2) and len(lines) == 1 and len(lines[0]) <= MAX_LINE and \
            not LOCATED.match(lines[0]):
        return None  # the output folder refused (a usage error, exit 2): not about the plan, no line to name
    if result.code != 1:
        return f"exit {result.code}"
    if not 1 <= len(lines) <= MAX_ERROR_LINES:
        return f"{len(lines)} lines on stderr"
    numbers = []
    for number, text in enumerate(lines, 1):
        which = "" if len(lines) == 1 else f" (line {number} on stderr)"
        if len(text) > MAX_LINE:
            return f"a {len(text)}-character line{which}"
        match = LOCATED.match(text)
        if not match or match.group("file") != PLAN:
            return f"the error names no file and line{which}"
        if not 1 <= int(match.group("line")) <= plan_lines + 1:
            return f"line {match.group('line')} is not in the file ({plan_lines} lines){which}"
        numbers.append(int(match.group("line")))
    if numbers != sorted(numbers):
        return f"errors not in order of line: {numbers}"
    return None


def judge_input(case: Input, results: dict[str, Result]) -> list[tuple[str, str, str]]:
    """(command, reason, detail) for every broken promise of one input's five runs."""
    plan_lines = case.data.count(b"\n") + 1
    found = []
    for command in COMMANDS:
        result = results[command]
        reason = judge(command, result, plan_lines, case.hostile_output)
        if reason:
            found.append((command, reason, (result.stderr or result.stdout)[-300:]))
    if results["validate"].code == 0 and not found and not case.hostile_output:
        for command in ("cost", "generate", "doc"):
            if results[command].code != 0:
                found.append((command, f"validate passed, {command} exit {results[command].code}",
                               results[command].stderr[-300:]))
    return found


def _argv(command: str) -> list[str]:
    return [command, PLAN] + (["-o", OUTPUTS[command]] if command in OUTPUTS else [])


# -- the run ----------------------------------------------------------------------------------------
def warm_server(server: ForkServer, scratch: Path) -> None:
    """Import what every command loads, from runs over two examples (one that simulates a day in doc)."""
    argvs = []
    for example in ("drivopay.yaml", "ecommerce-chatbot.yaml"):
        folder = scratch / f"warm-{example}"
        folder.mkdir()
        shutil.copy(ROOT / "examples" / example, folder / PLAN)
        argvs += [(folder, _argv(command)) for command in COMMANDS]
    for folder, argv in argvs:
        server.prepare([argv], folder)


def load_examples() -> list[tuple[str, object]]:
    return [(path.name, yaml.safe_load(path.read_text(encoding="utf-8"))) for path in EXAMPLES]


def load_schema() -> Schema:
    from archplan.spec.schema import plan_schema

    return Schema(plan_schema())


@dataclass
class _Pending:
    case: Input
    jail: Path
    work: Path
    before: dict
    results: dict = field(default_factory=dict)


def fuzz(count: int, seed: int, seconds: float | None = None, jobs: int | None = None, only: list[int] | None = None,
         log=None, keep: Path | None = None, server: ForkServer | None = None,
         start: int = 0) -> tuple[int, list[Failure]]:
    """Run inputs `start`..`count`-1 of `seed` (or just the indexes in `only`); returns (inputs done, failures).
    Each input depends only on (seed, index), so a run stopped at index K resumes with start=K."""
    examples, schema = load_examples(), load_schema()
    scratch = Path(tempfile.mkdtemp(prefix="archplan-fuzz-"))
    own_server = server is None
    if own_server:
        server = ForkServer(cpu_limit=CPU_LIMIT)
        warm_server(server, scratch)
    jobs = jobs or max(1, len(os.sched_getaffinity(0)))
    indexes = deque(only if only is not None else range(start, count))
    total = len(indexes)
    deadline = time.monotonic() + seconds if seconds else None
    failures: list[Failure] = []
    tasks: deque = deque()  # (pending, command)
    by_pid: dict[int, tuple[_Pending, str]] = {}
    done = 0
    started = last_report = time.monotonic()
    escape_before = Path(ESCAPE_PATH).exists()
    stats: dict[str, list] = {}
    try:
        while True:
            while len(by_pid) < jobs:
                if not tasks:
                    if not indexes or (deadline and time.monotonic() > deadline):
                        break
                    index = indexes.popleft()
                    case = make_input(seed, index, examples, schema)
                    jail = scratch / f"input-{index}"
                    work = _prepare_folder(case, jail)
                    pending = _Pending(case, jail, work, snapshot(jail, tuple(work / o for o in OUTPUTS.values())))
                    tasks.extend((pending, command) for command in COMMANDS)
                pending, command = tasks.popleft()
                pid = server.start(_argv(command), pending.work)
                by_pid[pid] = (pending, command)
            if not by_pid:
                break
            result = server.wait_any()
            pending, command = by_pid.pop(result.pid)
            pending.results[command] = result
            stat = stats.setdefault(command, [0, 0.0, 0.0, 0])
            stat[0] += 1
            stat[1] += result.cpu_seconds
            stat[2] = max(stat[2], result.cpu_seconds)
            stat[3] = max(stat[3], result.max_rss_bytes)
            if len(pending.results) < len(COMMANDS):
                continue
            case = pending.case
            found = judge_input(case, pending.results)
            after = snapshot(pending.jail, tuple(pending.work / o for o in OUTPUTS.values()))
            changed = _changes(pending.before, after)
            if changed:
                found.append(("generate/doc", "changed files outside the -o folders", "; ".join(changed)[:300]))
            if not escape_before and Path(ESCAPE_PATH).exists():
                found.append(("generate/doc", f"wrote {ESCAPE_PATH}", ""))
            for command_, reason, detail in found:
                failures.append(Failure(case.index, command_, reason, detail, case.how))
            if found:
                kept = ""
                if keep is not None:
                    keep.mkdir(parents=True, exist_ok=True)
                    kept_path = keep / f"seed-{seed}-input-{case.index}.yaml"
                    kept_path.write_bytes(case.data)
                    kept = f" [kept as {kept_path}]"
                if log:
                    for command_, reason, detail in found:
                        log(f"FAIL seed {seed} input {case.index} ({case.how}) {command_}: {reason}: "
                            f"{' '.join(detail.split())[:200]}{kept}\n  replay: python -m tests.fuzz.fuzzer "
                            f"--seed {seed} --only {case.index}")
            shutil.rmtree(pending.jail, ignore_errors=True)
            done += 1
            now = time.monotonic()
            if log and now - last_report > 30:
                last_report = now
                rate = done / (now - started)
                log(f"{done}/{total} inputs, {rate:.2f}/s, {len(failures)} failures, "
                    f"about {(total - done) / rate / 60:.0f} min to go")
    finally:
        if own_server:
            server.close()
        shutil.rmtree(scratch, ignore_errors=True)
    if log:
        for command, (runs, cpu, most, rss) in stats.items():
            log(f"  {command}: {runs} runs, {cpu:.0f} s CPU ({cpu / max(runs, 1):.3f} s each, at most {most:.2f} s), "
                f"peak {rss / 2**20:.0f} MB")
    return done, failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", type=int, default=0,
                        help="first input index (resume a run that stopped; inputs depend only on seed and index)")
    parser.add_argument("--jobs", type=int, default=None, help="commands run at once (default: the cores)")
    parser.add_argument("--seconds", type=float, default=None, help="stop starting inputs after this long")
    parser.add_argument("--only", type=int, action="append", help="run just this input (repeatable)")
    parser.add_argument("--keep", type=Path, default=Path(tempfile.gettempdir()) / "archplan-fuzz-failures",
                        help="folder for the inputs that fail")
    args = parser.parse_args()
    started = time.monotonic()
    done, failures = fuzz(args.count, args.seed, args.seconds, args.jobs, args.only,
                          log=lambda line: print(line, flush=True), keep=args.keep, start=args.start)
    took = time.monotonic() - started
    print(f"{done} inputs, seed {args.seed}, {took / 60:.1f} min ({done / took:.2f} inputs/s): "
          f"{len(failures)} failures in {len({f.index for f in failures})} inputs")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
