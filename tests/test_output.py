"""Issue 14: nothing written or deleted outside -o, no link followed out, no odd file replaced, and the output
switching whole (with recovery from a run killed part-way)."""
import json
import os
import subprocess
import sys

import pytest

from archplan import output
from archplan.cli import main
from archplan.errors import UsageError
from tests.conftest import EXAMPLES

STARTER = str(EXAMPLES / "starter.yaml")


def generate(out) -> int:
    return main(["generate", STARTER, "-o", str(out)])


def test_a_crafted_manifest_cannot_delete_outside(tmp_path, capsys):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    out = tmp_path / "out"
    assert generate(out) == 0
    manifest = json.loads((out / ".archplan-manifest.json").read_text())
    for path in ("../victim.txt", str(victim), "terraform/../../victim.txt"):
        crafted = dict(manifest, files={**manifest["files"], path: {"target": "terraform", "sha256": "0"}})
        (out / ".archplan-manifest.json").write_text(json.dumps(crafted))
        assert generate(out) == 2
        assert "outside the folder" in capsys.readouterr().err
        assert victim.read_text() == "keep"


def test_a_symlinked_subfolder_is_not_followed_out(tmp_path, capsys):
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "terraform").symlink_to(outside, target_is_directory=True)
    assert generate(out) == 2
    assert "symbolic link" in capsys.readouterr().err
    assert list(outside.iterdir()) == [] and (out / "terraform").is_symlink()


@pytest.mark.parametrize("command", ["cost", "diagram", "generate", "doc"])
def test_o_onto_a_symlink_fifo_or_device_is_refused(tmp_path, command, capsys):
    real = tmp_path / "real"
    real.write_text("keep")
    link = tmp_path / "link.dot"
    link.symlink_to(real)
    fifo = tmp_path / "fifo.dot"
    os.mkfifo(fifo)
    for target in (link, fifo, "/dev/null"):
        assert main([command, STARTER, "-o", str(target)]) == 2, target
        assert "archplan:" in capsys.readouterr().err
    assert real.read_text() == "keep" and link.is_symlink() and fifo.exists() and not fifo.is_file()


def test_cost_to_a_full_disk_is_one_line():
    result = subprocess.run([sys.executable, "-m", "archplan", "cost", STARTER], stdout=open("/dev/full", "w"),
                            stderr=subprocess.PIPE, text=True)
    assert result.returncode == 1
    assert result.stderr == "error: cannot write to standard output: No space left on device\n"


def test_leftover_staging_is_discarded_and_the_run_goes_on(tmp_path):
    out = tmp_path / "out"
    assert generate(out) == 0
    staging = tmp_path / ".out.archplan-staging"
    staging.mkdir()
    (staging / "half.tf").write_text("partial")
    (out / ".archplan-staging-old1234").mkdir()  # what versions before the folder switch left
    assert generate(out) == 0
    assert not staging.exists() and not (out / ".archplan-staging-old1234").exists()
    (out / "terraform/main.tf").write_text("# changed by hand\n")
    assert generate(out) == 0 and not staging.exists()
    assert not (out / ".archplan-staging-old1234").exists()


def test_a_run_killed_between_the_renames_is_finished_by_the_next(tmp_path):
    out = tmp_path / "out"
    assert generate(out) == 0
    expected = sorted(p.relative_to(out) for p in out.rglob("*"))
    # Killed after moving the old folder away, before moving the new one in:
    os.rename(out, tmp_path / ".out.archplan-old")
    ready = tmp_path / ".out.archplan-ready"
    os.rename(tmp_path / ".out.archplan-old", ready)
    (tmp_path / ".out.archplan-old").mkdir()
    (tmp_path / ".out.archplan-old/stale.tf").write_text("old")
    output.recover(out)
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == expected
    assert not ready.exists() and not (tmp_path / ".out.archplan-old").exists()


def test_a_run_killed_before_the_switch_keeps_the_old_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.txt").write_text("old")
    ready = tmp_path / ".out.archplan-ready"
    ready.mkdir()
    (ready / "a.txt").write_text("new")
    output.recover(out)
    assert (out / "a.txt").read_text() == "old" and not ready.exists()


def test_the_folder_switches_whole_and_keeps_other_files(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine").mkdir()
    (out / "mine/notes.txt").write_text("mine")
    (out / "old.txt").write_text("archplan's")
    inode = (out / "mine/notes.txt").stat().st_ino
    output.replace_folder(out, {"new/a.txt": b"a"}, keep=lambda path: path != "old.txt")
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*")) == ["mine", "mine/notes.txt", "new",
                                                                      "new/a.txt"]
    assert (out / "mine/notes.txt").stat().st_ino == inode  # carried over, not rewritten


@pytest.mark.parametrize("path", ["../x", "/etc/passwd", "a/../../x", "a//b", "./a", "a\\b", ""])
def test_paths_that_leave_the_folder(path):
    with pytest.raises(UsageError):
        output.relative_inside(path, "test")


def test_write_file_replaces_only_regular_files(tmp_path):
    target = tmp_path / "cost.json"
    output.write_file(target, b"1")
    output.write_file(target, b"2")
    assert target.read_bytes() == b"2" and list(tmp_path.iterdir()) == [target]
    with pytest.raises(UsageError, match="folder"):
        output.write_file(tmp_path, b"x")


@pytest.mark.parametrize("command", [["cost", STARTER], ["check", STARTER], ["schema"], ["diagram", STARTER],
                                     ["init", "--template", "web-app"]])
def test_o_into_a_missing_folder_creates_it_as_generate_and_doc_do(tmp_path, command):
    """`cost -o reports/2024/cost.json` said `no folder` and exited 2, where generate and doc create theirs."""
    target = tmp_path / "reports" / "2024" / ("plan.dot" if command[0] == "diagram" else "out.yaml")
    assert main([*command, "-o", str(target)]) in (0, 1)  # check: 1 is a finding, not the write
    assert target.is_file() and target.stat().st_size > 0


def test_a_failed_write_removes_the_folders_it_created(tmp_path):
    with pytest.raises(UsageError, match="nothing was written"):
        with output.parent_folder(tmp_path / "a" / "b" / "out.json"):
            assert (tmp_path / "a" / "b").is_dir()
            raise UsageError("nothing was written")
    assert list(tmp_path.iterdir()) == []


def test_o_under_a_file_is_one_line(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["cost", STARTER, "-o", str(blocker / "out.json")]) == 2
    assert capsys.readouterr().err == f"archplan: cannot write {blocker / 'out.json'}: Not a directory\n"
    assert blocker.read_text() == "x"
