"""Kubernetes manifests validate against the Kubernetes JSON schemas (kubernetes-validate, strict) for the
version they state; GKE's own resources (BackendConfig, FrontendConfig, ManagedCertificate) are checked
against the fields GKE documents for them."""
import re
from pathlib import Path

import jsonschema
import kubernetes_validate
import yaml

from archplan.generate.kubernetes import KUBERNETES_VERSION

GKE_SCHEMAS = {
    # The Secrets Store CSI driver's CRD (kubernetes-sigs/secrets-store-csi-driver, apis/v1): the GKE
    # Secret Manager add-on's provider is "gke" and its one parameter, "secrets", a YAML list.
    ("secrets-store.csi.x-k8s.io/v1", "SecretProviderClass"): {
        "type": "object", "required": ["spec"],
        "properties": {"spec": {"type": "object", "required": ["provider", "parameters"], "additionalProperties": False,
                                "properties": {"provider": {"const": "gke"}, "parameters": {
                                    "type": "object", "required": ["secrets"], "additionalProperties": False,
                                    "properties": {"secrets": {"type": "string"}}},
                                    "secretObjects": {"type": "array"}}}}},
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


def test_every_reference_in_the_manifests_exists(generated):
    """ServiceAccounts, SecretProviderClasses (and the Secret Manager secrets they name), files, ports,
    Services and scale targets that pods, Services, Ingresses and autoscalers reference are in the output
    (or in the add-on the Terraform enables); no pod references a Kubernetes Secret or ConfigMap nobody makes."""
    from tests.generate.test_api_rules import defaults, resolve
    from tests.generate.test_apply_order import configuration

    checked = 0
    for example_dir in sorted(p for p in generated.iterdir() if (p / "kubernetes").exists()):
        blocks, _, _ = configuration(example_dir / "terraform")
        values = defaults(example_dir / "terraform")
        secret_ids = {resolve(b["secret_id"], values) for a, b in blocks.items()
                      if a.startswith("google_secret_manager_secret.")}
        accounts = {f"{resolve(b['account_id'], values)}@{values['project_id']}.iam.gserviceaccount.com"
                    for a, b in blocks.items() if a.startswith("google_service_account.")}
        add_on = any(b.get("secret_manager_config") for a, b in blocks.items()
                     if a.startswith("google_container_cluster."))
        docs = [d for path in sorted((example_dir / "kubernetes").rglob("*.yaml"))
                for d in yaml.safe_load_all(path.read_text())]
        by_kind = {}
        for d in docs:
            by_kind.setdefault(d["kind"], {})[(d["metadata"].get("namespace"), d["metadata"]["name"])] = d
        for (namespace, name), deployment in by_kind.get("Deployment", {}).items():
            pod = deployment["spec"]["template"]["spec"]
            account = by_kind["ServiceAccount"].get((namespace, pod["serviceAccountName"]))
            assert account is not None, f"{name}: no ServiceAccount {pod['serviceAccountName']}"
            annotation = (account["metadata"].get("annotations") or {}).get("iam.gke.io/gcp-service-account")
            assert annotation is None or annotation in accounts, f"{name}: {annotation} is not created"
            provided = {}
            for volume in pod.get("volumes", []):
                if "csi" in volume:
                    assert add_on and volume["csi"]["driver"] == "secrets-store-gke.csi.k8s.io"
                    spc = by_kind["SecretProviderClass"][(namespace, volume["csi"]["volumeAttributes"]["secretProviderClass"])]
                    for entry in yaml.safe_load(spc["spec"]["parameters"]["secrets"]):
                        secret_id = entry["resourceName"].split("/secrets/")[1].split("/")[0]
                        assert secret_id in secret_ids, f"{name}: Secret Manager secret {secret_id} is not created"
                        provided[entry["path"]] = volume["name"]
            for container in pod["containers"] + pod.get("initContainers", []):
                ports = {p["name"] for p in container.get("ports", [])}
                mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts", [])}
                for env in container.get("env", []):
                    assert "valueFrom" not in env or "fieldRef" in env["valueFrom"], f"{name}: {env['name']}"
                    if env["name"].endswith("_FILE"):
                        folder, file_name = env["value"].rsplit("/", 1)
                        assert mounts.get(folder) and provided.get(file_name) == mounts[folder], \
                            f"{name}: {env['name']} points at a file nothing mounts"
                    checked += 1
                for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                    port = (container.get(probe, {}).get("httpGet") or container.get(probe, {}).get("tcpSocket")
                            or {}).get("port")
                    assert port is None or isinstance(port, int) or port in ports, f"{name}: probe port {port}"
        for (namespace, name), service in by_kind.get("Service", {}).items():
            deployment = by_kind["Deployment"][(namespace, service["spec"]["selector"]["app.kubernetes.io/name"])]
            app = deployment["spec"]["template"]["spec"]["containers"][0]
            container_ports = {p["name"]: p["containerPort"] for p in app["ports"]}
            for port in service["spec"]["ports"]:
                assert port["targetPort"] in container_ports
                assert port["port"] == container_ports[port["targetPort"]], f"{name}: Service port is not the plan's"
        for (namespace, name), ingress in by_kind.get("Ingress", {}).items():
            backends = [ingress["spec"]["defaultBackend"]] + [
                p["backend"] for rule in ingress["spec"].get("rules", []) for p in rule["http"]["paths"]]
            for backend in backends:
                service = by_kind["Service"][(namespace, backend["service"]["name"])]
                assert backend["service"]["port"]["name"] in {p["name"] for p in service["spec"]["ports"]}
        for kind in ("HorizontalPodAutoscaler",):
            for (namespace, name), scaler in by_kind.get(kind, {}).items():
                assert (namespace, scaler["spec"]["scaleTargetRef"]["name"]) in by_kind["Deployment"]
    assert checked > 20


def test_services_listen_on_the_ports_the_plan_states(generated):
    import yaml as _yaml

    plan = _yaml.safe_load((Path(__file__).resolve().parents[2] / "examples" / "drivopay.yaml").read_text())
    stated = {d["name"]: d.get("port", 8080) for d in plan["components"]["gke"]["deployments"]}
    for path in (generated / "drivopay" / "kubernetes").rglob("*.yaml"):
        for document in _yaml.safe_load_all(path.read_text()):
            if document["kind"] == "Service":
                assert document["spec"]["ports"][0]["port"] == stated[document["metadata"]["name"]]
