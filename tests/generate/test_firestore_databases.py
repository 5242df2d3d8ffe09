"""Firestore database ids in the generated Terraform: only a Standard edition database may be `(default)`, and a
project has one, so the plan's first Standard database is `(default)` and every other (an Enterprise one, a
second Standard one) is named <prefix>-<name> by Google's rules for named databases (lowercase letters, digits,
hyphens, 4-63 characters, a letter first; docs.cloud.google.com/firestore/native/docs/manage-databases). A
workload that uses a named database is told its id (FIRESTORE_DATABASE), as the client libraries open
`(default)` otherwise."""
import re

import hcl2

from archplan.cli import main
from tests.conftest import write_plan

API = {"kind": "cloud_run", "cpu": 1, "memory": "512Mi", "request_duration_ms": 50, "requests_per_month": 1000}
DOCS = {"kind": "firestore", "stored_gb": 1, "reads_per_month": 1, "writes_per_month": 1}
NAMED = re.compile(r"^[a-z][a-z0-9-]{2,61}[a-z0-9]$")


def generated(tmp_path, components):
    plan = write_plan(tmp_path, components)
    assert main(["generate", str(plan), "-o", str(tmp_path / "out"), "--target", "terraform"]) == 0
    folder = tmp_path / "out" / "terraform"
    with open(folder / "firestore.tf") as handle:
        databases = {name.strip('"'): body for item in hcl2.load(handle)["resource"]
                     for kind, named in item.items() if kind.strip('"') == "google_firestore_database"
                     for name, body in named.items()}
    return databases, (folder / "cloud_run.tf").read_text()


def database_id(body, prefix="t"):
    return body["name"].strip('"').replace("${var.prefix}", prefix)


def test_an_enterprise_database_is_named_and_its_users_told(tmp_path):
    databases, run = generated(tmp_path, {"api": {**API, "depends_on": ["profiles"]},
                                          "profiles": {**DOCS, "edition": "enterprise", "avg_document_kib": 2}})
    assert database_id(databases["profiles"]) == "t-profiles" and NAMED.match("t-profiles")
    assert databases["profiles"]["database_edition"].strip('"') == "ENTERPRISE"
    assert '"FIRESTORE_DATABASE"' in run and "google_firestore_database.profiles.name" in run


def test_the_first_standard_database_is_the_default_and_a_second_is_named(tmp_path):
    databases, run = generated(tmp_path, {"api": {**API, "depends_on": ["main", "audit"]},
                                          "main": DOCS, "audit": DOCS, "x": {**DOCS, "edition": "enterprise",
                                                                             "avg_document_kib": 1}})
    assert databases["main"]["name"].strip('"') == "(default)"
    assert database_id(databases["audit"]) == "t-audit"
    assert database_id(databases["x"]) == "t-x-db"  # a one-letter name: still at least 4 characters
    assert all(NAMED.match(database_id(databases[n])) for n in ("audit", "x"))
    assert '"AUDIT_FIRESTORE_DATABASE"' in run and '"FIRESTORE_DATABASE"' not in run  # (default) needs none
