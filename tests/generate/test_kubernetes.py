"""Kubernetes manifests validate against the Kubernetes JSON schemas (kubernetes-validate, strict) for the
version they state; GKE's own resources (BackendConfig, FrontendConfig, ManagedCertificate) are checked
against the fields GKE documents for them."""
import re

import jsonschema
import kubernetes_validate
import yaml

from archplan.generate.kubernetes import KUBERNETES_VERSION

GKE_SCHEMAS = {
    ("networking.gke.io/v1", "ManagedCertificate"): {
        "type": "object", "required": ["spec"],
        "properties": {"spec": {"type": "object", "required": ["domains"], "additionalProperties": False,
                                "properties": {"domains": {"type": "array", "minItems": 1, "maxItems": 100,
                                                           "items": {"type": "string"}}}}}},
    ("networking.gke.io/v1beta1", "FrontendConfig"): {
        "type": "object", "properties": {"spec": {"type": "object", "additionalProperties": False, "properties": {
            "sslPolicy": {"type": "string"},
            "redirectToHttps": {"type": "object", "properties": {"enabled": {"type": "boolean"}}}}}}},
    ("cloud.google.com/v1", "BackendConfig"): {
        "type": "object", "properties": {"spec": {"type": "object", "additionalProperties": False, "properties": {
            "timeoutSec": {"type": "integer"}, "connectionDraining": {"type": "object"},
            "logging": {"type": "object"}, "healthCheck": {"type": "object"}, "securityPolicy": {
                "type": "object", "required": ["name"]}, "cdn": {"type": "object"}, "iap": {"type": "object"}}}}},
}


def documents(generated):
    for path in sorted(generated.glob("*/kubernetes/**/*.yaml")):
        text = path.read_text()
        version = re.search(r"^# Kubernetes ([0-9.]+)", text, re.M).group(1)
        for document in yaml.safe_load_all(text):
            yield path, version, document


def test_manifests_validate_against_the_stated_kubernetes_version(generated):
    seen = set()
    for path, version, document in documents(generated):
        key = (document["apiVersion"], document["kind"])
        seen.add(document["kind"])
        if key in GKE_SCHEMAS:
            jsonschema.validate(document, GKE_SCHEMAS[key])
            continue
        kubernetes_validate.validate(document, f"{version}.0", strict=True)
    assert {"Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Ingress",
            "ManagedCertificate", "BackendConfig", "ServiceAccount", "NetworkPolicy", "Namespace"} <= seen


def test_stated_version_is_one_kubernetes_validate_knows():
    assert f"{KUBERNETES_VERSION}.0" in kubernetes_validate.utils.all_versions()


def test_deployments_are_hardened(generated):
    with_proxy = 0
    for path, _, document in documents(generated):
        if document["kind"] != "Deployment":
            continue
        pod = document["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        for container in pod["containers"] + pod.get("initContainers", []):
            assert container["resources"]["requests"] and container["resources"]["limits"]
            assert container["securityContext"]["allowPrivilegeEscalation"] is False
            assert "livenessProbe" in container and "readinessProbe" in container
        with_proxy += "cloud-sql-proxy" in [c["name"] for c in pod.get("initContainers", [])]
    assert with_proxy, "drivopay's cluster depends on Cloud SQL: its deployments run the proxy sidecar"
