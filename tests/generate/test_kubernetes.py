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


GPU_CLUSTER = """\
project: {{name: ml, region: europe-west4}}
traffic: {{requests_per_month: 10000000, peak_to_average: 3}}
components:
  serving:
    kind: gke
    mode: standard
    location_type: regional
    node_pools:
      - {{name: cpu, machine_type: n2-standard-8, nodes: 3}}
      - {{name: gpu, machine_type: g2-standard-8, nodes: 3, max_nodes: 6}}
    deployments:
      - {{name: api, replicas: 3, cpu: 1, memory: 2Gi}}
      - {{name: model, replicas: 3, max_replicas: {max_replicas}, cpu: 6, memory: 24Gi{model}}}
"""


def test_a_gpu_deployment_runs_on_its_gpu_pool_and_requests_its_gpu(tmp_path):
    """A model server on a g2 (NVIDIA L4) pool: its pods select the pool, tolerate the taint GKE puts on GPU
    nodes in a cluster with CPU pools, and request nvidia.com/gpu (found by a trial: the pods had no way to
    reach the GPU pool, which was billed all month with nothing on it). The manifests validate."""
    from tests.generate.conftest import generate

    plan = tmp_path / "ml.yaml"
    plan.write_text(GPU_CLUSTER.format(max_replicas=6, model=", node_pool: gpu, gpus: 1"))
    code, out, err = generate(plan, tmp_path / "out")
    assert code == 0, err
    assert "has GPUs but no deployment" not in out + err
    docs = {d["metadata"]["name"]: d for d in yaml.safe_load_all((tmp_path / "out" / "kubernetes" / "serving" /
                                                                   "model.yaml").read_text()) if d["kind"] == "Deployment"}
    pod = docs["model"]["spec"]["template"]["spec"]
    assert pod["nodeSelector"] == {"cloud.google.com/gke-nodepool": "gpu"}
    assert pod["tolerations"] == [{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}]
    resources = pod["containers"][0]["resources"]
    assert resources["limits"]["nvidia.com/gpu"] == resources["requests"]["nvidia.com/gpu"] == "1"
    kubernetes_validate.validate(docs["model"], f"{KUBERNETES_VERSION}.0", strict=True)
    api = next(d for d in yaml.safe_load_all((tmp_path / "out" / "kubernetes" / "serving" / "api.yaml").read_text())
               if d["kind"] == "Deployment")["spec"]["template"]["spec"]
    assert "nodeSelector" not in api and "tolerations" not in api
    assert "nvidia.com/gpu" not in api["containers"][0]["resources"]["limits"]
    # without node_pool the GPU pool is left idle: generate says so
    plan.write_text(GPU_CLUSTER.format(max_replicas=6, model=""))
    code, out, err = generate(plan, tmp_path / "idle")
    assert code == 0 and "node pool gpu (g2-standard-8) has GPUs but no deployment names it as node_pool" in out + err


def test_gpu_requests_are_checked_against_the_pool(tmp_path):
    """A g2-standard-8 has one L4: 2 a pod cannot be placed; no GPU pool named: said; 7 pods x 1 GPU at max
    replicas against 6 nodes x 1 GPU is CAP-050, 6 pods fit."""
    from tests.check.conftest import checked

    plan = tmp_path / "ml.yaml"
    for model, message in ((", node_pool: gpu, gpus: 2", "requests 2 GPU(s) a pod, but a g2-standard-8 node of pool "
                                                        "gpu has 1"),
                           (", gpus: 1", "set its node_pool to a pool whose machine type has GPUs (gpu)"),
                           (", node_pool: tpu", "node_pool 'tpu' is not one of the cluster's node pools (cpu, gpu)")):
        plan.write_text(GPU_CLUSTER.format(max_replicas=6, model=model))
        result = subprocess_run("validate", plan)
        assert result.returncode == 1 and message in result.stderr and len(result.stderr.splitlines()) == 1
    for max_replicas, fails in ((7, True), (6, False)):
        document = yaml.safe_load(GPU_CLUSTER.format(max_replicas=max_replicas, model=", node_pool: gpu, gpus: 1"))
        report = checked(tmp_path, document["components"], traffic=document["traffic"],
                         project={"region": "europe-west4"})
        gpu = [f for f in report.findings if f.id == "CAP-050" and "GPU" in f.title]
        assert bool(gpu) == fails, gpu
        if fails:
            assert "pods on node pool gpu request 7 GPUs at max replicas; gpu at its maximum size offers 6 GPUs " \
                   "(g2-standard-8: 1 a node)." in gpu[0].detail


def subprocess_run(*args):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "archplan", *map(str, args)], capture_output=True, text=True)


def test_an_env_value_reaches_the_container_as_written(tmp_path):
    """Kubernetes expands $(NAME) in env values and reads $$ as $ (found by review: a value the plan wrote as
    "cost $$5 and $(GOOGLE_CLOUD_PROJECT)" reached the container as "cost $5 and <project id>")."""
    from tests.generate.conftest import generate

    plan = tmp_path / "env.yaml"
    plan.write_text(GPU_CLUSTER.format(max_replicas=6, model="").replace(
        "cpu: 1, memory: 2Gi}", "cpu: 1, memory: 2Gi, env: {PRICE: 'cost $$5 and $(GOOGLE_CLOUD_PROJECT)'}}"))
    code, _, err = generate(plan, tmp_path / "out")
    assert code == 0, err
    api = next(d for d in yaml.safe_load_all((tmp_path / "out" / "kubernetes" / "serving" / "api.yaml").read_text())
               if d["kind"] == "Deployment")
    env = {e["name"]: e["value"] for e in api["spec"]["template"]["spec"]["containers"][0]["env"] if "value" in e}
    assert env["PRICE"] == "cost $$$$5 and $$(GOOGLE_CLOUD_PROJECT)"
    # Kubernetes' own rule, applied to what was written, gives back the plan's value
    assert re.sub(r"\$\$", "$", env["PRICE"]) == "cost $$5 and $(GOOGLE_CLOUD_PROJECT)"
    assert env["GOOGLE_CLOUD_PROJECT"] == "ml"  # values without a $ are as they were
    kubernetes_validate.validate(api, f"{KUBERNETES_VERSION}.0", strict=True)
