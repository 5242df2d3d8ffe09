"""No value a plan marks secret ({value: ..., secret: true}) appears in any generated file."""
from pathlib import Path

import yaml

from tests.conftest import EXAMPLES
from tests.generate.conftest import generate, load_hcl

SECRET_PLAN = Path(__file__).with_name("secret_plan.yaml")


def secret_literals(node) -> list[str]:
    """Every value the document marks `secret: true`."""
    found = []
    if isinstance(node, dict):
        if node.get("secret") is True and "value" in node:
            found.append(str(node["value"]))
        for value in node.values():
            found += secret_literals(value)
    elif isinstance(node, list):
        for value in node:
            found += secret_literals(value)
    return found


def assert_not_written(folder: Path, values: list[str]) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            for value in values:
                assert value not in text, f"{path} contains a secret value"


def test_no_secret_literal_of_the_test_plan_is_written(tmp_path):
    values = secret_literals(yaml.safe_load(SECRET_PLAN.read_text()))
    assert len(values) == 3
    code, _, err = generate(SECRET_PLAN, tmp_path / "out")
    assert code == 0, err
    assert_not_written(tmp_path / "out", values)


def test_a_secret_literal_becomes_a_sensitive_variable_and_a_secret(tmp_path):
    generate(SECRET_PLAN, tmp_path / "out")
    variables = {name: body for item in load_hcl(tmp_path / "out/terraform/variables.tf")["variable"]
                 for name, body in item.items()}
    assert variables["secret_api_payment_key"]["sensitive"] is True
    assert "default" not in variables["secret_api_payment_key"]
    run = (tmp_path / "out/terraform/cloud_run.tf").read_text()
    assert "google_secret_manager_secret.literal_api_payment_key.secret_id" in run
    assert "google_secret_manager_secret.secret_jwt_signing_key.secret_id" in run
    manifest = (tmp_path / "out/kubernetes/cluster/web.yaml").read_text()
    # GKE pods read it as a file the Secret Manager add-on mounts; no Kubernetes Secret is involved.
    assert "secretKeyRef" not in manifest and "SecretProviderClass" in manifest
    assert "secrets/secret-test-web-session-key/versions/latest" in manifest
    assert "secrets-store-gke.csi.k8s.io" in manifest
    gke = (tmp_path / "out/terraform/gke.tf").read_text()
    assert "secret_manager_config" in gke or "workload_identity_config" not in gke
    service = (tmp_path / "out/cloudrun/api.yaml").read_text()
    assert "name: secret-test-jwt-signing-key" in service  # plan-named secrets are prefixed per environment


def test_examples_secret_literals_never_appear(generated):
    values = [v for path in EXAMPLES.glob("*.yaml") for v in secret_literals(yaml.safe_load(path.read_text()))]
    assert_not_written(generated, values)


def test_every_secret_id_is_written_once(generated):
    # found in review: a plan listing db-password beside Cloud SQL `db` got two google_secret_manager_secret
    # resources with the same secret_id (${var.prefix}-db-password): the generated password's and the plan's
    for secrets_tf in generated.rglob("terraform/secrets.tf"):
        ids = [line.split("=", 1)[1].strip() for line in secrets_tf.read_text().splitlines()
               if line.strip().startswith("secret_id")]
        assert len(ids) == len(set(ids)), f"{secrets_tf}: a secret id twice"


def test_a_listed_database_password_is_the_generated_one(generated):
    # ecommerce-chatbot lists db-password for its database db: one secret, valued by Terraform, no variable
    secrets_tf = (generated / "ecommerce-chatbot/terraform/secrets.tf").read_text()
    assert secrets_tf.count('"${var.prefix}-db-password"') == 1 and "the plan's secret db-password" in secrets_tf
    assert 'variable "secret_db_password"' not in (generated / "ecommerce-chatbot/terraform/variables.tf").read_text()
    run = (generated / "ecommerce-chatbot/terraform/cloud_run.tf").read_text()
    assert "secret_db_password" not in run and "google_secret_manager_secret.db_password.secret_id" in run
