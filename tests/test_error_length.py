"""A huge command-line value is shown clipped in its error line, never echoed whole (a 100,000-character
--region made a 100 KB line)."""
import subprocess
import sys
from pathlib import Path

import pytest

from archplan.errors import shortened

PLAN = str(Path(__file__).resolve().parents[1] / "examples" / "anwesha.yaml")
HUGE = "x" * 100_000


def test_quoted_values_are_clipped_and_the_rest_kept():
    line = shortened(f"no service {HUGE!r} in the catalog; valid: a, b")
    assert line.startswith("no service 'xxx") and line.endswith("...' in the catalog; valid: a, b")
    assert len(line) < 140
    assert shortened('a "short" value') == 'a "short" value'


@pytest.mark.parametrize("args", [
    ["cost", PLAN, "--region", HUGE], ["cost", PLAN, "--currency", HUGE], ["catalog", "--region", HUGE],
    ["catalog", "--service", HUGE], ["scale", PLAN, "--users", HUGE],
    ["generate", PLAN, "-o", "{out}", "--prefix", HUGE], ["generate", PLAN, "-o", "{out}", "--project-id", HUGE],
    ["generate", PLAN, "-o", "{out}", "--target", HUGE],
])
def test_a_huge_argument_makes_a_short_error_line(tmp_path, args):
    args = [arg.replace("{out}", str(tmp_path / "out")) for arg in args]
    result = subprocess.run([sys.executable, "-m", "archplan", *args], capture_output=True, text=True)
    assert result.returncode in (1, 2) and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and len(result.stderr) < 700, len(result.stderr)
