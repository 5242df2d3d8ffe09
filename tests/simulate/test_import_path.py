"""numpy, numba and matplotlib stay off the import path of `cost` and `check`."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import contextlib, io, sys
from archplan.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    main(['cost', 'examples/event-platform.yaml'])
    main(['check', 'examples/event-platform.yaml'])
print(sorted(m for m in ('numpy', 'numba', 'matplotlib') if m in sys.modules))
"""


def test_cost_and_check_do_not_import_the_simulation_stack():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
