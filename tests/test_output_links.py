"""simulate --pictures and scale --chart never write through a symbolic link: a linked folder or a linked
file among the pictures is refused before anything is written."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLAN = str(ROOT / "examples" / "anwesha.yaml")


def _run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "archplan", *args], capture_output=True, text=True, cwd=cwd)


def _refused(result):
    assert result.returncode != 0 and "symbolic link" in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_simulate_pictures_refuse_a_linked_folder(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    os.symlink("elsewhere", tmp_path / "pics")
    _refused(_run("simulate", PLAN, "--days", "0.5", "--seeds", "1", "--pictures", "pics", cwd=tmp_path))
    assert not list((tmp_path / "elsewhere").iterdir())


def test_simulate_pictures_refuse_a_linked_file_and_write_none(tmp_path):
    (tmp_path / "pics").mkdir()
    (tmp_path / "outside.txt").write_text("keep\n")
    os.symlink("../outside.txt", tmp_path / "pics" / "simulate-rejections.svg")
    _refused(_run("simulate", PLAN, "--days", "0.5", "--seeds", "1", "--pictures", "pics", cwd=tmp_path))
    assert [p.name for p in (tmp_path / "pics").iterdir()] == ["simulate-rejections.svg"]
    assert (tmp_path / "outside.txt").read_text() == "keep\n"


def test_scale_chart_refuses_a_linked_folder_or_file(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    os.symlink("elsewhere", tmp_path / "charts")
    _refused(_run("scale", PLAN, "--chart", "charts/growth.svg", cwd=tmp_path))
    (tmp_path / "outside.txt").write_text("keep\n")
    os.symlink("outside.txt", tmp_path / "growth.svg")
    _refused(_run("scale", PLAN, "--chart", "growth.svg", cwd=tmp_path))
    assert not list((tmp_path / "elsewhere").iterdir()) and (tmp_path / "outside.txt").read_text() == "keep\n"
