"""A 2nd-gen function is built by an account of the plan's own with the roles Google lists for a function's
build (https://cloud.google.com/functions/docs/securing/build-custom-sa): in projects created since mid-2024
the default build account has no role, so a function with no build_config.service_account failed its first
build (found by a review)."""
import yaml

from tests.generate.conftest import generate_text
from tests.generate.test_apply_order import configuration
from tests.generate.test_least_privilege import actual_grants
from tests.generate.test_provider_schema import folder_violations

PLAN = """\
project: {name: shop, region: europe-west1}
components:
  resize: {kind: cloud_functions, cpu: 1, memory: 256Mi, duration_ms: 200, invocations_per_month: 1000}
  notify: {kind: cloud_functions, runtime: nodejs22, entry_point: notify, cpu: 1, memory: 256Mi, duration_ms: 200,
           invocations_per_month: 1000}
"""


def test_functions_build_as_an_account_with_the_build_roles(tmp_path):
    out = generate_text(tmp_path, PLAN)
    blocks, _, _ = configuration(out / "terraform")
    assert blocks["google_service_account.functions_build"]["account_id"] == '"shop-functions-build"'
    grants = {("roles/logging.logWriter", "project"), ("roles/artifactregistry.writer", "project"),
              ("roles/storage.objectViewer", "project")}
    assert actual_grants(blocks, "functions_build") == grants
    for name in ("resize", "notify"):
        function = blocks[f"google_cloudfunctions2_function.{name}"]
        # the id, projects/<project>/serviceAccounts/<email>: the form build_config.service_account takes
        assert function["build_config"][0]["service_account"] == "${google_service_account.functions_build.id}"
        for grant in ("logging_logwriter", "artifactregistry_writer", "storage_objectviewer"):
            assert f"${{google_project_iam_member.functions_build_{grant}}}" in function["depends_on"], (name, grant)
    # the pipelines build with the same account, which their own account may act as
    acts_as = blocks["google_service_account_iam_member.cloud_build_acts_as_functions_build"]
    assert acts_as["service_account_id"] == "${google_service_account.functions_build.name}"
    assert acts_as["member"] == '"serviceAccount:${google_service_account.cloud_build.email}"'
    for name in ("resize", "notify"):
        pipeline = yaml.safe_load((out / "cloudbuild" / f"{name}.yaml").read_text())
        deploy = next(step for step in pipeline["steps"] if step["id"] == "deploy-function")["args"]
        flag = deploy.index("--build-service-account")
        assert deploy[flag + 1] == "projects/shop/serviceAccounts/shop-functions-build@shop.iam.gserviceaccount.com"
    assert not folder_violations(out / "terraform")


def test_a_plan_without_functions_has_no_function_build_account(tmp_path):
    out = generate_text(tmp_path, "project: {name: shop, region: europe-west1}\ncomponents:\n  api: {kind: cloud_run, "
                                  "cpu: 1, memory: 512Mi, request_duration_ms: 50, requests_per_month: 1000}\n")
    blocks, _, _ = configuration(out / "terraform")
    assert not [address for address in blocks if "functions_build" in address]
