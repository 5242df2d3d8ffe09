"""checkov over every example's Terraform and Kubernetes output, offline, from its own virtualenv (the
Makefile builds .venv-checkov and passes its path in ARCHPLAN_CHECKOV). Offline checkov reports no
severities, so every failed check counts: each is fixed in the generator or skipped in the generated code
with a reason."""
import json
import os
import subprocess
from collections import Counter
from pathlib import Path

import pytest

CHECKOV = os.environ.get("ARCHPLAN_CHECKOV", "")


def run_checkov(folder: Path) -> list[dict]:
    result = subprocess.run([CHECKOV, "-d", str(folder), "--framework", "terraform", "kubernetes", "-o", "json",
                             "--skip-download"], capture_output=True, text=True,
                            env={**os.environ, "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true"}, timeout=600)
    reports = json.loads(result.stdout)
    return reports if isinstance(reports, list) else [reports]


def counts_by_example(reports: list[dict]) -> dict[str, Counter]:
    counts: dict[str, Counter] = {}
    for report in reports:
        for status in ("passed_checks", "failed_checks", "skipped_checks"):
            for check in report["results"][status]:
                example = check["file_path"].strip("/").split("/")[0]
                counts.setdefault(example, Counter())[status.split("_")[0]] += 1
    return counts


@pytest.mark.skipif(not CHECKOV or not Path(CHECKOV).exists(),
                    reason="ARCHPLAN_CHECKOV is not set (make test sets it after building .venv-checkov)")
def test_checkov_finds_no_failed_check(generated):
    reports = run_checkov(generated)
    assert {r["check_type"] for r in reports} == {"terraform", "kubernetes"}
    failed = [c for r in reports for c in r["results"]["failed_checks"]]
    severe = [c for c in failed if (c.get("severity") or "").upper() in ("HIGH", "CRITICAL")]
    assert not severe, [(c["check_id"], c["file_path"], c["resource"]) for c in severe]
    assert not failed, [(c["check_id"], c["file_path"], c["resource"]) for c in failed]
    skipped = [c for r in reports for c in r["results"]["skipped_checks"]]
    assert all(c.get("check_result", {}).get("suppress_comment") for c in skipped), "every skip gives a reason"
    counts = counts_by_example(reports)
    print("\n".join(f"{name}: {c['passed']} passed, {c['failed']} failed, {c['skipped']} skipped"
                    for name, c in sorted(counts.items())))
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for name, count in sorted(counts.items()):
        row = f"| {name} | {count['passed']:,} | {count['failed']} | {count['skipped']} |"
        assert row in readme, f"README's checkov table is out of date; expected the row {row}"


def skipped_pairs(reports: list[dict]) -> set[tuple[str, str, str]]:
    return {(c["check_id"], c["file_path"], c["resource"]) for r in reports for c in r["results"]["skipped_checks"]}


@pytest.mark.skipif(not CHECKOV or not Path(CHECKOV).exists(),
                    reason="ARCHPLAN_CHECKOV is not set (make test sets it after building .venv-checkov)")
def test_every_skip_is_needed(generated, tmp_path):
    """Remove every skip comment and annotation: each check that was skipped must then fail on the same
    resource (a skip that hides nothing is a false reason)."""
    import re
    import shutil

    skipped = skipped_pairs(run_checkov(generated))
    assert skipped
    bare = tmp_path / "bare"
    shutil.copytree(generated, bare)
    for path in bare.rglob("*"):
        if path.suffix == ".tf":
            path.write_text(re.sub(r"(?m)^\s*#checkov:skip=.*\n", "", path.read_text()))
        elif path.suffix in (".yaml", ".yml"):
            path.write_text(re.sub(r"(?m)^\s*checkov\.io/skip\d+:.*\n", "", path.read_text()))
    bare_reports = run_checkov(bare)
    assert not skipped_pairs(bare_reports)
    failed = {(c["check_id"], c["file_path"], c["resource"]) for r in bare_reports for c in r["results"]["failed_checks"]}
    unneeded = sorted(skipped - failed)
    assert not unneeded, f"skips that hide no failure: {unneeded}"
