"""The plan with one of every kind added for production plans: every command works on it and its
Terraform parses, is `terraform fmt` clean and passes checkov."""
import contextlib
import io
import shutil
import subprocess
from pathlib import Path

import hcl2
import pytest

from archplan.cli import main
from tests.generate.conftest import generate
from tests.generate.test_checkov import CHECKOV, run_checkov

PLAN = Path(__file__).with_name("platform_plan.yaml")


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("platform")
    code, _, err = generate(PLAN, root / "platform")
    assert code == 0, err
    return root


@pytest.mark.parametrize("command", ["validate", "cost", "check"])
def test_commands_accept_the_plan(command):
    code, out, err = run(command, str(PLAN))
    assert code in (0, 1) and not err.startswith("Traceback"), err
    assert out


def test_doc_writes_the_document(tmp_path):
    code, _, err = run("doc", str(PLAN), "-o", str(tmp_path / "doc"))
    assert code == 0, err
    assert any((tmp_path / "doc").iterdir())


def test_every_tf_file_parses(generated):
    files = sorted(generated.rglob("*.tf"))
    assert files
    for path in files:
        with open(path) as handle:
            hcl2.load(handle)


@pytest.mark.skipif(shutil.which("terraform") is None, reason="no terraform binary on PATH")
def test_terraform_fmt_leaves_files_unchanged(generated):
    result = subprocess.run(["terraform", "fmt", "-check", "-recursive", str(generated / "platform" / "terraform")],
                            capture_output=True, text=True)
    assert result.returncode == 0, f"terraform fmt would change {result.stdout}"


@pytest.mark.skipif(not CHECKOV or not Path(CHECKOV).exists(), reason="ARCHPLAN_CHECKOV is not set")
def test_checkov_finds_no_failed_check(generated):
    reports = run_checkov(generated)
    failed = [c for r in reports for c in r["results"]["failed_checks"]]
    assert not failed, [(c["check_id"], c["file_path"], c["resource"]) for c in failed]
    skipped = [c for r in reports for c in r["results"]["skipped_checks"]]
    assert all(c.get("check_result", {}).get("suppress_comment") for c in skipped), "every skip gives a reason"
