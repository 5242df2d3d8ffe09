"""A function's entry point and trigger are checked when the plan loads, so every command refuses what
generate would: an entry point that is not a name (generate writes it into a Python or Node.js placeholder
source), a Pub/Sub trigger with no trigger_component. A Java or Go function may name a class
(com.example.Handler), which generate used to refuse for every runtime."""
import subprocess
import sys

import pytest

BASE = "{kind: cloud_functions, cpu: 1, memory: 256Mi, duration_ms: 10, invocations_per_month: 10"


@pytest.mark.parametrize("fields, message", [
    ('entry_point: "x(); import os"', "entry_point 'x(); import os' is not a function name (letters, digits, _)"),
    ("runtime: nodejs20, entry_point: a.b", "entry_point 'a.b' is not a function name (letters, digits, _)"),
    ("trigger: pubsub", "trigger: pubsub needs trigger_component, the pubsub component whose messages start it"),
    ("runtime: java21, entry_point: com.example.Handler", None),
    ("runtime: go122, entry_point: HelloHTTP", None),
])
def test_function_settings_are_checked_at_load(tmp_path, fields, message):
    path = tmp_path / "plan.yaml"
    path.write_text(f"project: {{name: f, region: us-central1}}\ncomponents:\n  fn: {BASE}, {fields}}}\n")
    for command in ("validate", "cost"):
        result = subprocess.run([sys.executable, "-m", "archplan", command, str(path)], capture_output=True,
                                text=True)
        if message is None:
            assert result.returncode == 0, result.stderr
        else:
            assert result.returncode == 1 and result.stderr.splitlines() == [
                f"error: {path}:3: components.fn: {message}"], command
