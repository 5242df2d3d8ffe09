"""import -o: never over an existing file without --force, never over a file the import reads, never
through a symbolic link."""
import os
import subprocess
import sys

BUCKET = 'resource "google_storage_bucket" "b" {\n  name = "x"\n  location = "asia-south1"\n}\n'


def _import(*args):
    return subprocess.run([sys.executable, "-m", "archplan", "import", *args], capture_output=True, text=True)


def _folder(tmp_path):
    folder = tmp_path / "tf"
    folder.mkdir()
    (folder / "main.tf").write_text(BUCKET)
    return folder


def test_an_existing_output_needs_force(tmp_path):
    folder, out = _folder(tmp_path), tmp_path / "plan.yaml"
    out.write_text("mine\n")
    result = _import("terraform", str(folder), "-o", str(out))
    assert result.returncode != 0 and "--force" in result.stderr and out.read_text() == "mine\n"
    assert len(result.stderr.strip().splitlines()) == 1
    assert _import("terraform", str(folder), "-o", str(out), "--force").returncode == 0
    assert "components:" in out.read_text()


def test_the_output_is_never_an_input_even_with_force(tmp_path):
    folder = _folder(tmp_path)
    for target in (folder / "main.tf", folder / ".." / "tf" / "main.tf"):
        result = _import("terraform", str(folder), "-o", str(target), "--force")
        assert result.returncode != 0 and "which this import reads" in result.stderr, result.stderr
    assert (folder / "main.tf").read_text() == BUCKET
    plan = tmp_path / "plan.json"
    plan.write_text("{}")
    result = _import("terraform-plan", str(plan), "-o", str(plan), "--force")
    assert result.returncode != 0 and plan.read_text() == "{}"


def test_a_symbolic_link_output_is_refused(tmp_path):
    folder = _folder(tmp_path)
    victim = tmp_path / "victim.yaml"
    victim.write_text("keep\n")
    link = tmp_path / "plan.yaml"
    os.symlink(victim, link)
    result = _import("terraform", str(folder), "-o", str(link), "--force")
    assert result.returncode != 0 and "symbolic link" in result.stderr
    assert os.path.islink(link) and victim.read_text() == "keep\n"
