"""What `generate` creates beside the plan's components and no cost line prices (the database password and
Redis AUTH secrets, the functions' source bucket) is listed in the cost report with why, and the list matches
the generated Terraform."""
import subprocess
import sys

import yaml

from archplan import catalog
from archplan.analysis.cost import cost_report
from archplan.plan import resolve
from archplan.spec.load import load_spec

PLAN = {
    "project": {"name": "shop", "region": "us-central1"},
    "components": {
        "db": {"kind": "cloud_sql", "engine": "postgres", "tier": "db-custom-1-3840", "storage_gb": 10},
        "cache": {"kind": "memorystore_redis", "tier": "basic", "capacity_gb": 1, "auth_enabled": True},
        "resize": {"kind": "cloud_functions", "cpu": 1, "memory": "512Mi", "invocations_per_month": 1000,
                   "duration_ms": 200, "depends_on": ["db", "cache", "link"]},
        "link": {"kind": "vpc_connector", "depends_on": ["cache"]},  # the function's path to the cache
        "thumbs": {"kind": "cloud_functions", "cpu": 1, "memory": "512Mi", "invocations_per_month": 1000,
                   "duration_ms": 200},
    },
}


def test_listed_with_why_and_matching_the_generated_terraform(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(PLAN, sort_keys=False))
    report = cost_report(resolve(load_spec(path, None, catalog.supported_regions())))
    listed = [a for a in report.assumptions if a.startswith("created by generate, not priced: ")]
    price = catalog.service("secret_manager").price("active_version", "global").usd
    assert listed == [
        "created by generate, not priced: db's application user's password, kept in Secret Manager (1 secret, 1 "
        f"active version: ${price.normalize():f}/version-month at list price, "
        "https://cloud.google.com/secret-manager/pricing): a secret_manager component of the plan may list the "
        "same secret, and it would be counted twice",
        "created by generate, not priced: cache's AUTH string, kept in Secret Manager (1 secret, 1 active version: "
        f"${price.normalize():f}/version-month at list price, https://cloud.google.com/secret-manager/pricing): a "
        "secret_manager component of the plan may list the same secret, and it would be counted twice",
        "created by generate, not priced: the bucket Cloud Build uploads the functions' source archives to "
        "(function-sources: Standard storage in the region, the last 10 versions of each archive kept): the "
        "archives' size is not in the plan",  # once, for both functions
    ]
    assert not any(i.service == "Secret Manager" for i in report.line_items)  # no secret_manager component
    out = tmp_path / "out"
    generated = subprocess.run([sys.executable, "-m", "archplan", "generate", str(path), "--target", "terraform",
                                "-o", str(out)], capture_output=True, text=True)
    assert generated.returncode == 0, generated.stderr
    terraform = "".join(f.read_text() for f in sorted((out / "terraform").glob("*.tf")))
    assert terraform.count('resource "google_secret_manager_secret" ') == 2  # the two listed secrets
    assert terraform.count('resource "google_storage_bucket" "function_sources"') == 1
