"""The GKE Ingress can be served on its first apply: ingress-gce refuses an Ingress with plain HTTP turned off
and no certificate ("both HTTP and HTTPS are disabled"), which a load balancer without domains (or public
deployments with no load balancer) got. Without a domain it serves plain HTTP, and says so."""
import kubernetes_validate
import yaml

from archplan.generate.kubernetes import KUBERNETES_VERSION
from tests.generate.conftest import PLAN_NAMES, generate

PLAN = """project: {{name: shop, region: europe-west4}}
traffic: {{daily_active_users: 1000, requests_per_user_per_day: 10, avg_request_kib: 1, avg_response_kib: 10}}
components:
{lb}  cluster:
    kind: gke
    mode: autopilot
    deployments:
      - {{name: web, replicas: 2, cpu: 500m, memory: 512Mi, public: true, health_check_path: /healthz}}
      - {{name: admin, replicas: 1, cpu: 250m, memory: 256Mi, public: true}}
"""
LB = "  lb: {{kind: load_balancer{domains}, depends_on: [cluster]}}\n"


def _ingress(tmp_path, lb: str) -> tuple[dict[str, dict], str, str]:
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN.format(lb=lb))
    code, out, err = generate(plan, tmp_path / "out")
    assert code == 0, err
    text = (tmp_path / "out" / "kubernetes" / "cluster" / "ingress.yaml").read_text()
    documents = {d["kind"]: d for d in yaml.safe_load_all(text)}
    for document in documents.values():
        if document["kind"] == "Ingress":
            kubernetes_validate.validate(document, f"{KUBERNETES_VERSION}.0", strict=True)
    return documents, out, (tmp_path / "out" / "terraform" / "load_balancer.tf").read_text() \
        if (tmp_path / "out" / "terraform" / "load_balancer.tf").exists() else ""


def servable(ingress: dict) -> bool:
    """ingress-gce builds the load balancer when it serves HTTP, or HTTPS with a certificate."""
    annotations = ingress["metadata"].get("annotations", {})
    https = "networking.gke.io/managed-certificates" in annotations or ingress["spec"].get("tls") \
        or "ingress.gcp.kubernetes.io/pre-shared-cert" in annotations
    return bool(https) or annotations.get("kubernetes.io/ingress.allow-http") != "false"


def test_a_load_balancer_without_domains_serves_plain_http_and_says_so(tmp_path):
    documents, out, terraform = _ingress(tmp_path, LB.format(domains=""))
    ingress = documents["Ingress"]
    annotations = ingress["metadata"]["annotations"]
    assert servable(ingress)
    assert "kubernetes.io/ingress.allow-http" not in annotations and "ManagedCertificate" not in documents
    # no TLS policy nor HTTPS redirect to apply, so no FrontendConfig (Terraform makes no TLS policy either)
    assert "FrontendConfig" not in documents and "networking.gke.io/v1beta1.FrontendConfig" not in annotations
    assert "google_compute_ssl_policy" not in terraform
    assert annotations["kubernetes.io/ingress.global-static-ip-name"] == "shop-lb-ip"
    # the second public deployment keeps its path with no host to match
    assert ingress["spec"]["rules"] == [{"http": {"paths": [
        {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"name": "http"}}}},
        {"path": "/admin", "pathType": "Prefix", "backend": {"service": {"name": "admin", "port": {"name": "http"}}}},
    ]}}]
    assert ("warning: cluster: load balancer lb names no domains, so its Ingress serves plain HTTP on the lb_ip "
            "output's address: traffic is unencrypted until the plan lists domains (then it serves HTTPS only, "
            "with a Google-managed certificate)") in out.splitlines()
    assert "traffic is unencrypted until the plan lists domains" in (tmp_path / "out" / "README.md").read_text()


def test_public_deployments_without_a_load_balancer_serve_plain_http(tmp_path):
    documents, out, _ = _ingress(tmp_path, "")
    assert servable(documents["Ingress"]) and "ManagedCertificate" not in documents
    assert "warning: cluster: no load balancer names its domains, so its Ingress serves plain HTTP on an " \
           "ephemeral address" in out


def test_a_load_balancer_with_domains_serves_https_only(tmp_path):
    documents, out, terraform = _ingress(tmp_path, LB.format(domains=", domains: [shop.example.com]"))
    annotations = documents["Ingress"]["metadata"]["annotations"]
    assert annotations["kubernetes.io/ingress.allow-http"] == "false"
    assert annotations["networking.gke.io/managed-certificates"] == documents["ManagedCertificate"]["metadata"]["name"]
    assert documents["ManagedCertificate"]["spec"]["domains"] == ["shop.example.com"]
    assert documents["FrontendConfig"]["spec"] == {"sslPolicy": "shop-lb-tls"}
    assert 'resource "google_compute_ssl_policy" "lb"' in terraform
    assert [rule["host"] for rule in documents["Ingress"]["spec"]["rules"]] == ["shop.example.com"]
    assert "plain HTTP" not in out


def test_every_generated_ingress_can_be_served(generated):
    seen = 0
    for name in PLAN_NAMES:
        for path in (generated / name / "kubernetes").glob("*/ingress.yaml"):
            for document in yaml.safe_load_all(path.read_text()):
                if document["kind"] == "Ingress":
                    assert servable(document), path
                    seen += 1
    assert seen
