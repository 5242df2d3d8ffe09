"""Hostile Terraform: expressions whose cost has no bound (a ReDoS pattern, strings doubling, huge format
widths, nested for over ranges, modules fanning out) stop with one line naming the file and line."""
import re
import subprocess
import sys

import pytest

from archplan.importers.hcl.config import read_folder
from archplan.importers.resources import ImportProblem

BUCKET = '''
resource "google_storage_bucket" "b" {{
  name     = {name}
  location = "asia-south1"
}}
'''


def _folder(tmp_path, text, name="tf"):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "main.tf").write_text(text)
    return folder


def _refused(tmp_path, text) -> str:
    folder = _folder(tmp_path, text)
    result = subprocess.run([sys.executable, "-m", "archplan", "import", "terraform", str(folder),
                             "-o", str(tmp_path / "plan.yaml")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "main.tf:" in lines[0], lines[0]
    assert not (tmp_path / "plan.yaml").exists()
    return lines[0]


def test_a_regex_with_nested_quantifiers_is_left_unknown_not_run(tmp_path):
    folder = _folder(tmp_path, BUCKET.format(name='regex("^(a+)+$", "' + "a" * 40 + '!")'))
    resources, notes = read_folder(folder)
    assert resources[0].values["name"] is None or str(resources[0].values["name"]) in ("UNKNOWN", "FAILED")
    assert any("regex() with the pattern" in note and "not evaluated" in note for note in notes)


def test_locals_doubling_a_string_stop_at_the_string_bound(tmp_path):
    text = 'locals {\n  l0 = "aaaaaaaaaa"\n' + "".join(
        f'  l{i} = "${{local.l{i - 1}}}${{local.l{i - 1}}}"\n' for i in range(1, 41)) + "}\n"
    line = _refused(tmp_path, text + BUCKET.format(name="local.l40"))
    assert "string longer than" in line and "main.tf:" in line


def test_a_huge_format_width_is_refused(tmp_path):
    line = _refused(tmp_path, BUCKET.format(name='format("%3000000000s", "x")'))
    assert "width or precision" in line and "main.tf:3" in line


def test_nested_for_over_ranges_stops_at_the_step_budget(tmp_path):
    expression = "length([for a in range(1000) : [for b in range(1000) : [for c in range(1000) : c]]])"
    line = _refused(tmp_path, BUCKET.format(name=expression))
    assert "evaluation steps" in line and "main.tf:3" in line


def test_modules_fanning_out_stop_at_the_instance_bound(tmp_path):
    for level in range(8):
        child = tmp_path / f"m{level}"
        child.mkdir()
        calls = "".join(f'module "{n}" {{ source = "../m{level + 1}" }}\n' for n in "abcde") if level < 7 else ""
        (child / "main.tf").write_text(calls + BUCKET.format(name='"bkt"'))
    with pytest.raises(ImportProblem) as problem:
        read_folder(tmp_path / "m0")
    assert "module instances" in str(problem.value) and re.search(r"main.tf:\d+: module", str(problem.value))


@pytest.mark.parametrize("expression", ['element([], 0)', 'substr("abc", 1e400, 1)', 'format("%d", 1e400)',
                                        'slice(["a"], 0, 1e400)', '["a", "b"][1e400]'])
def test_an_arithmetic_error_in_a_function_is_a_failed_value_not_a_crash(expression):
    from archplan.importers.hcl.expressions import Scope, evaluate, unknown

    assert unknown(evaluate(expression, Scope(variables={}, locals={})))


def test_an_arithmetic_error_imports_at_gcps_default(tmp_path):
    folder = _folder(tmp_path, BUCKET.format(name='slice(["a"], 0, 1e400)'))
    result = subprocess.run([sys.executable, "-m", "archplan", "import", "terraform", str(folder),
                             "-o", str(tmp_path / "plan.yaml")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "too large to compute" not in result.stderr, result.stderr


def test_tobool_reads_the_strings_true_and_false_as_terraform_does():
    from archplan.importers.hcl.expressions import FAILED, Scope, evaluate

    scope = Scope(variables={}, locals={})
    assert evaluate('tobool("false")', scope) is False
    assert evaluate('tobool("true")', scope) is True
    assert evaluate("tobool(false)", scope) is False
    assert evaluate('tobool("yes")', scope) is FAILED
    assert evaluate("tobool(1)", scope) is FAILED
