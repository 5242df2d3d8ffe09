"""GKE's location_type: an Autopilot cluster is always regional (GKE creates no zonal Autopilot cluster), so it
needs no location_type and refuses zonal, where archplan required the key and wrote a zonal Autopilot cluster
that fails its first apply; a Standard cluster still says which it is."""
import re
import subprocess
import sys

import pytest

HEAD = ("project: {name: k, region: europe-west3}\n"
        "components:\n")
AUTOPILOT = "  api:\n    kind: gke\n    mode: autopilot\n%s    deployments: [{name: web, replicas: 2, cpu: 1, memory: 2Gi}]\n"
STANDARD = ("  api:\n    kind: gke\n    mode: standard\n%s"
            "    node_pools: [{name: p, machine_type: e2-standard-4, nodes: 1}]\n")


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "archplan", *args], capture_output=True, text=True)


def test_an_autopilot_cluster_is_regional_without_saying_so(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(HEAD + AUTOPILOT % "")
    result = run("cost", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert "regional autopilot cluster" in result.stdout
    result = run("generate", str(path), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    cluster = (tmp_path / "out" / "terraform" / "gke.tf").read_text()
    assert re.search(r"enable_autopilot +=  true".replace("=  ", "= "), cluster)
    assert re.search(r"\n  location +=  var.region\n".replace("=  ", "= "), cluster)


@pytest.mark.parametrize("text, line, message", [
    (AUTOPILOT % "    location_type: zonal\n", 6,
     "components.api.location_type: an autopilot cluster is always regional (GKE creates no zonal Autopilot "
     "cluster): drop location_type, or use mode: standard for a zonal cluster (got 'zonal')"),
    (STANDARD % "", 3,
     "components.api.location_type: a standard cluster needs location_type: regional (control plane and nodes in "
     "three zones) or zonal (one zone)"),
])
def test_a_location_gke_cannot_create_is_one_line(tmp_path, text, line, message):
    path = tmp_path / "plan.yaml"
    path.write_text(HEAD + text)
    result = run("validate", str(path))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"error: {path}:{line}: {message}"]
