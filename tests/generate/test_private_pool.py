"""A private GKE cluster's pipelines run in a Cloud Build private pool peered with the plan's VPC; a plan
without one gets no pool. (The provider-schema and apply-order tests check the pool's block and its
dependencies on API enablement like every other resource.)"""
from pathlib import Path

import yaml

from tests.conftest import EXAMPLES
from tests.generate.conftest import generate
from tests.generate.test_apply_order import configuration

PRIVATE = "private_nodes: true"


def pipelines(folder: Path) -> dict[str, dict]:
    return {p.name: yaml.safe_load(p.read_text()) for p in sorted((folder / "cloudbuild").glob("*.yaml"))}


def test_private_cluster_pipelines_run_in_a_peered_private_pool(generated):
    folder = generated / "drivopay"
    blocks, _, _ = configuration(folder / "terraform")
    pool = blocks["google_cloudbuild_worker_pool.private"]
    assert "google_compute_network.vpc.id" in str(pool["network_config"])
    assert "google_service_networking_connection.private_services" in str(pool["depends_on"])
    assert "google_service_networking_connection.private_services" in blocks
    gke = {name: doc for name, doc in pipelines(folder).items() if name.startswith("gke-")}
    assert gke
    for name, document in gke.items():
        assert document["options"]["pool"]["name"] == \
            "projects/drivopay/locations/asia-south1/workerPools/drivopay-builds", name
        assert "machineType" not in document["options"], name  # the pool's workers set it
    readme = (folder / "README.md").read_text()
    assert "roles/cloudbuild.workerPoolUser" in readme and "is billed per build minute only" in readme


def test_the_pool_follows_prefix_and_project(tmp_path):
    code, _, err = generate(EXAMPLES / "drivopay.yaml", tmp_path, "--prefix", "dp-stage", "--project-id", "dp-stage-1")
    assert code == 0, err
    for name, document in pipelines(tmp_path).items():
        if name.startswith("gke-"):
            assert document["options"]["pool"]["name"] == \
                "projects/dp-stage-1/locations/asia-south1/workerPools/dp-stage-builds"


def test_no_pool_without_a_private_cluster(tmp_path):
    source = (EXAMPLES / "drivopay.yaml").read_text()
    assert source.count(PRIVATE) == 1
    plan = tmp_path / "plan.yaml"
    plan.write_text(source.replace(PRIVATE, "private_nodes: false"))
    code, _, err = generate(plan, tmp_path / "out")
    assert code == 0, err
    assert not any("google_cloudbuild_worker_pool" in p.read_text() for p in (tmp_path / "out" / "terraform").glob("*.tf"))
    assert all("pool" not in d["options"] for d in pipelines(tmp_path / "out").values())
    code, _, err = generate(EXAMPLES / "starter.yaml", tmp_path / "starter")
    assert code == 0, err
    assert all("pool" not in d["options"] for d in pipelines(tmp_path / "starter").values())
