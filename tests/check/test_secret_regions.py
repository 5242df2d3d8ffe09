"""REL-011 (secrets replicated where they are read) and Secret Manager's replication_regions: the finding's
arithmetic, the billed locations, residency, bad input and the Terraform replicas."""
import pytest

from tests.check.conftest import ids

RUN = {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 100, "requests_per_month": 1000}
SECRETS = {"kind": "secret_manager", "secrets": ["key", "token"], "access_ops_per_month": 10}


def _plan(replicas, delhi_reads_by="env"):
    delhi = {**RUN, "region": "asia-south2"}
    if delhi_reads_by == "env":
        delhi["env"] = {"TOKEN": {"secret": "token"}}
    else:
        delhi["depends_on"] = ["secrets"]
    return {"api": {**RUN, "env": {"KEY": {"secret": "key"}}}, "api-delhi": delhi,
            "worker": {**RUN, "region": "asia-southeast1"},  # reads no secret: not counted
            "secrets": {**SECRETS, **({"replication_regions": replicas} if replicas is not None else {})}}


@pytest.mark.parametrize("reads_by", ["env", "depends_on"])
def test_one_replica_region_and_a_reader_elsewhere(check, reads_by):
    (finding,) = ids(check(_plan(["asia-south1"], reads_by)), "REL-011")
    assert finding.component == "secrets" and finding.line is not None
    assert "reader regions {asia-south1, asia-south2} - replica regions {asia-south1} = {asia-south2}" \
        in finding.detail
    assert "api-delhi in asia-south2" in finding.detail and "worker" not in finding.detail
    assert "if asia-south1 is lost, no replica is left" in finding.detail


def test_two_replica_regions_still_missing_a_reader_region(check):
    (finding,) = ids(check(_plan(["asia-south1", "asia-southeast1"])), "REL-011")
    assert "= {asia-south2}" in finding.detail and "read across regions" in finding.detail


def test_covered_or_automatic_is_quiet(check):
    assert not ids(check(_plan(["asia-south2", "asia-south1"])), "REL-011")
    assert not ids(check(_plan(None)), "REL-011")


def test_each_replica_region_is_a_billed_location(tmp_path):
    import yaml

    from archplan import catalog
    from archplan.plan import resolve
    from archplan.spec.load import load_spec

    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump({"project": {"name": "t", "region": "asia-south1"},
                                    "components": {"secrets": {**SECRETS, "versions_per_secret": 2,
                                                               "replication_regions": ["asia-south1", "asia-south2",
                                                                                       "asia-southeast1"]}}}))
    plan = resolve(load_spec(path, None, catalog.supported_regions()))
    (component,) = plan.components
    # 2 secrets x 2 versions x 3 locations = 12 active versions
    assert component.usage["active_versions"] == 12


def test_residency_flags_a_replica_abroad(check):
    found = ids(check(_plan(["asia-south1", "asia-southeast1"]), {"data_residency": "India"}), "SEC-008")
    assert any("keeps secret replicas in asia-southeast1 (Singapore)" in f.detail for f in found)


@pytest.mark.parametrize("extra, words", [
    ({"replication_regions": ["asia-south9"]}, "replication_regions[0]: unknown or unsupported region"),
    ({"replication_regions": ["asia-south1", "asia-south1"]}, "are the same name"),
    ({"replication_regions": ["asia-south1"], "replication_locations": 2}, "does not match the 1 replication_regions"),
])
def test_bad_replication_regions_are_one_line(tmp_path, capsys, extra, words):
    import yaml

    from archplan.cli import main

    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump({"project": {"name": "t", "region": "asia-south1"},
                                    "components": {"secrets": {**SECRETS, **extra}}}))
    assert main(["check", str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and words in err and f"{path}:" in err, err


def test_terraform_places_the_listed_secrets_replicas(tmp_path):
    import yaml

    from tests.generate.conftest import generate
    from tests.generate.test_terraform import resources

    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump({"project": {"name": "t", "region": "asia-south1"}, "components": {
        "api": {**RUN, "env": {"KEY": {"secret": "key"}}},
        "secrets": {**SECRETS, "replication_regions": ["asia-south1", "asia-south2"]}}}))
    code, _, err = generate(path, tmp_path / "out", "--target", "terraform")
    assert code == 0, err
    found = resources(tmp_path, "out")
    replicas = found["google_secret_manager_secret.secret_key"]["replication"][0]["user_managed"][0]["replicas"]
    assert [r["location"] for r in replicas] == ["var.region", "asia-south2"]
