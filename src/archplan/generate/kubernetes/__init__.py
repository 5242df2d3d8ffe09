"""Kubernetes manifests for the Deployments of GKE clusters (kubernetes/<cluster>/): a namespace with the
restricted Pod Security level and a NetworkPolicy; per Deployment its ServiceAccount (bound to its Google
service account through Workload Identity), the Deployment (requests and limits, probes, spread over zones,
non-root), a Service, a HorizontalPodAutoscaler and a PodDisruptionBudget, with a Cloud SQL Auth Proxy
sidecar where the cluster uses Cloud SQL; and the Ingress with its BackendConfig (Cloud Armor, CDN, health
check) and, where the load balancer names domains, its ManagedCertificate and FrontendConfig (TLS policy, HTTPS
redirect); without domains it serves plain HTTP, with a warning.

Written for Kubernetes KUBERNETES_VERSION (the cluster's kubernetes_version when the plan sets one); the
sidecar is a native sidecar (an init container that keeps running), which needs 1.29 or later.
"""
from __future__ import annotations

from archplan.components._workload import built_by_pipeline
from archplan.components.base import Component
from archplan.components.gke import pool_gpus, pool_of
from archplan.generate import links, units
from archplan.generate.context import DB_PORTS, Context, Workload, env_key, ident, slug, zone_letters
from archplan.generate.yamldump import dump_all

TARGET = "k8s"
ORDER = 2
FOLDER = "kubernetes"
KUBERNETES_VERSION = "1.33"
CLOUD_SQL_PROXY_IMAGE = "gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.3"
GOOGLE_LB_RANGES = ("35.191.0.0/16", "130.211.0.0/22")  # Google front ends and health checks
RUN_AS = 10001
# The tag the pipeline moves to each release once it is rolled out and smoke-tested: the image a Deployment
# manifest names, which the pipeline pins by digest when it applies it (cloudbuild/).
RELEASED_TAG = "released"


def deployment_skips(workload: Workload) -> dict[str, str]:
    """The Deployment's checkov skips, each with the reason true of it: a built image is pinned by digest by the
    pipeline that applies the manifest; an image the plan pins by tag has no pipeline (and one it pins by
    digest passes the check)."""
    if built_by_pipeline(workload.kind, workload.fields):
        return {"CKV_K8S_43": "the Cloud Build pipeline pins each image by digest when it deploys"}
    if "@sha256:" in workload.fields.image:
        return {}
    return {"CKV_K8S_43": "the plan pins this image by tag, and no pipeline deploys it (give its sha256 digest "
                          "in the plan)"}


def needed(ctx: Context) -> bool:
    return any(c.spec.deployments for c in ctx.of_kind("gke"))


def kubernetes_version(cluster: Component) -> str:
    return cluster.spec.kubernetes_version or KUBERNETES_VERSION


def cluster_location(cluster: Component) -> str:
    """Where gcloud finds the cluster: its region, or the one zone of a zonal cluster."""
    if cluster.spec.location_type == "regional":
        return cluster.region
    return f"{cluster.region}-{zone_letters(cluster.region)[0]}"


def get_credentials(name: str, location: str, *extra: str) -> str:
    """kubectl's credentials for a cluster, through its DNS endpoint: the IP endpoint admits only
    var.gke_master_authorized_networks (none by default), the DNS endpoint any IAM-authorized caller."""
    return " ".join(["gcloud container clusters get-credentials", name, f"--location={location}", *extra,
                     "--dns-endpoint"])


def folder(cluster: Component) -> str:
    return f"{FOLDER}/{slug(cluster.name)}"


def namespace_file(cluster: Component) -> str:
    return f"{folder(cluster)}/00-namespace.yaml"


def deployment_file(workload: Workload) -> str:
    return f"{folder(workload.component)}/{slug(workload.name)}.yaml"


def ingress_file(cluster: Component) -> str:
    return f"{folder(cluster)}/ingress.yaml"


def autoscaled(deployment) -> bool:
    """Has the deployment a HorizontalPodAutoscaler (room to scale above its replicas)?"""
    return bool(deployment.max_replicas and deployment.max_replicas > deployment.replicas)


def labels(ctx: Context, name: str) -> dict:
    return {"app.kubernetes.io/name": name, "app.kubernetes.io/part-of": ctx.project.name,
            "app.kubernetes.io/managed-by": "archplan"}


def metadata(ctx: Context, cluster: Component, name: str, annotations: dict | None = None) -> dict:
    meta = {"name": name, "namespace": ctx.namespace(cluster), "labels": labels(ctx, name)}
    if annotations:
        meta["annotations"] = annotations
    return meta


def skip_annotations(skips: dict[str, str]) -> dict:
    return {f"checkov.io/skip{index}": f"{check}={reason}" for index, (check, reason) in
            enumerate(skips.items(), start=1)}


def namespace(ctx: Context, cluster: Component) -> list[dict]:
    name = ctx.namespace(cluster)
    return [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": {
            "app.kubernetes.io/part-of": ctx.project.name, "app.kubernetes.io/managed-by": "archplan",
            "pod-security.kubernetes.io/enforce": "restricted",
            "pod-security.kubernetes.io/enforce-version": f"v{kubernetes_version(cluster)}"}}},
        {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
         "metadata": metadata(ctx, cluster, "allow-namespace-and-load-balancer"),
         "spec": {"podSelector": {}, "policyTypes": ["Ingress"], "ingress": [{"from": [
             {"podSelector": {}}, *({"ipBlock": {"cidr": cidr}} for cidr in GOOGLE_LB_RANGES)]}]}},
    ]


def probe(fields, kind: str) -> dict:
    if fields.health_check_path:
        check = {"httpGet": {"path": fields.health_check_path, "port": "http"}}
    else:
        check = {"tcpSocket": {"port": "http"}}
    timing = {"startupProbe": {"periodSeconds": 5, "failureThreshold": 24},
              "readinessProbe": {"periodSeconds": 10, "failureThreshold": 3},
              "livenessProbe": {"periodSeconds": 20, "failureThreshold": 3}}[kind]
    return {**check, "timeoutSeconds": 3, **timing}


def env(ctx: Context, workload: Workload) -> list[dict]:
    out = [{"name": "GOOGLE_CLOUD_PROJECT", "value": ctx.project_id}] \
        if "GOOGLE_CLOUD_PROJECT" not in workload.fields.env else []
    for link in links.linked_env(ctx, workload):
        if link.secret is not None:
            out.append(secret_env(link.name, link.secret))
        elif link.literal is not None:
            out.append({"name": link.name, "value": link.literal})
        elif link.published is not None:
            out.append(secret_env(link.name, link.published[0]))
    for name, value in ctx.plain_env(workload).items():
        out.append({"name": name, "value": value})
    for name, ref in ctx.secret_refs(workload).items():
        out.append(secret_env(name, ctx.plan_secret_id(ref.secret)))
    for name, literal in ctx.literal_secrets(workload).items():
        out.append(secret_env(name, literal.secret_id))
    own = set(workload.fields.env)
    cluster = workload.component
    for callee in workload.calls:
        target = next(d for d in cluster.spec.deployments if d.name == callee)
        key = f"{env_key(callee)}_URL"
        if key not in own:
            out.append({"name": key, "value": f"http://{callee}.{ctx.namespace(cluster)}.svc.cluster.local:{target.port}"})
    if workload.fields.workers_per_instance > 1 and "WEB_CONCURRENCY" not in own:
        out.append({"name": "WEB_CONCURRENCY", "value": str(workload.fields.workers_per_instance)})
    # Kubernetes expands $(NAME) in an env value and reads $$ as $: written $$, each $ reaches the container as
    # the plan wrote it (https://kubernetes.io/docs/tasks/inject-data-application/define-interdependent-environment-variables/)
    return [{**item, "value": item["value"].replace("$", "$$")} if "$" in item["value"] else item for item in out]


SECRETS_MOUNT = "/var/secrets"
SECRETS_CSI_DRIVER = "secrets-store-gke.csi.k8s.io"  # the GKE Secret Manager add-on's CSI driver


def secret_env(name: str, secret_id: str) -> dict:
    """A secret reaches the pod as a file the GKE Secret Manager add-on mounts (no Kubernetes Secret, no value
    in any manifest); <NAME>_FILE gives the application its path."""
    return {"name": f"{name}_FILE", "value": f"{SECRETS_MOUNT}/{name}", "_secret": secret_id}


def secret_files(env_list: list[dict]) -> tuple[list[dict], dict[str, str]]:
    """The env list without the markers, and {file name: secret id} to mount."""
    files = {}
    clean = []
    for item in env_list:
        if "_secret" in item:
            files[item["name"].removesuffix("_FILE")] = item.pop("_secret")
        clean.append(item)
    return clean, files


def secret_provider_class(ctx: Context, cluster: Component, name: str, files: dict[str, str]) -> dict:
    secrets = "".join(f'- resourceName: "projects/{ctx.project_id}/secrets/{secret_id}/versions/latest"\n'
                      f'  path: "{file_name}"\n' for file_name, secret_id in sorted(files.items()))
    return {"apiVersion": "secrets-store.csi.x-k8s.io/v1", "kind": "SecretProviderClass",
            "metadata": metadata(ctx, cluster, name),
            "spec": {"provider": "gke", "parameters": {"secrets": secrets}}}


def container_security() -> dict:
    return {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True, "runAsNonRoot": True,
            "runAsUser": RUN_AS, "runAsGroup": RUN_AS, "capabilities": {"drop": ["ALL"]},
            "seccompProfile": {"type": "RuntimeDefault"}}


def proxy_sidecar(ctx: Context, workload: Workload) -> dict:
    sql = ctx.linked(workload, "cloud_sql")
    args = ["--structured-logs", "--health-check", "--http-address=0.0.0.0", "--http-port=9090"]
    if any(s.spec.private_ip for s in sql):
        args.append("--private-ip")
    for index, instance in enumerate(sql):
        port = DB_PORTS[instance.spec.engine] + index
        args.append(f"{ctx.sql_connection_name(instance)}?port={port}")
    return {
        "name": "cloud-sql-proxy",
        "image": CLOUD_SQL_PROXY_IMAGE,
        "imagePullPolicy": "Always",
        "restartPolicy": "Always",  # a native sidecar: starts before the app, stops after it
        "args": args,
        "ports": [{"name": "proxy-health", "containerPort": 9090}],
        "startupProbe": {"httpGet": {"path": "/startup", "port": "proxy-health"}, "periodSeconds": 1,
                         "timeoutSeconds": 5, "failureThreshold": 20},
        "livenessProbe": {"httpGet": {"path": "/liveness", "port": "proxy-health"}, "periodSeconds": 10,
                          "timeoutSeconds": 5, "failureThreshold": 3},
        "readinessProbe": {"httpGet": {"path": "/readiness", "port": "proxy-health"}, "periodSeconds": 10,
                           "timeoutSeconds": 5, "failureThreshold": 3},
        "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "100m", "memory": "128Mi"}},
        "securityContext": container_security(),
    }


def affinity(ctx: Context, cluster: Component, deployment) -> dict:
    selector = {"matchLabels": {"app.kubernetes.io/name": deployment.name}}
    if deployment.zone_anti_affinity:
        return {"topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone",
                                               "whenUnsatisfiable": "DoNotSchedule", "labelSelector": selector}]}
    return {"affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{
        "weight": 100, "podAffinityTerm": {"topologyKey": "topology.kubernetes.io/zone", "labelSelector": selector}}]}}}


def deployment_documents(ctx: Context, cluster: Component, workload: Workload, public: bool) -> list[dict]:
    spec = cluster.spec
    deployment = workload.fields
    name = deployment.name
    ksa = slug(name)
    requests = {"cpu": units.cpu(deployment.cpu), "memory": units.memory(deployment.memory)}
    limits = {"cpu": units.cpu(deployment.cpu_limit or deployment.cpu),
              "memory": units.memory(deployment.memory_limit or deployment.memory)}
    env_list, files = secret_files(env(ctx, workload))
    if deployment.concurrency is not None:
        ctx.warnings.append(f"{name}: concurrency {deployment.concurrency} (requests one pod serves at once) is not "
                            "set by the manifests: Kubernetes does not cap requests per pod, so the app server "
                            "must; the HorizontalPodAutoscaler scales on CPU")
    container = {
        "name": "app",
        "image": deployment.image or f"{ctx.image_repository(workload)}:{RELEASED_TAG}",
        "imagePullPolicy": "Always",
        "ports": [{"name": "http", "containerPort": deployment.port}],
        "env": env_list,
        "resources": {"requests": requests, "limits": limits},
        "startupProbe": probe(deployment, "startupProbe"),
        "readinessProbe": probe(deployment, "readinessProbe"),
        "livenessProbe": probe(deployment, "livenessProbe"),
        "securityContext": container_security(),
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
    }
    pod_spec: dict = {
        "serviceAccountName": ksa,
        "automountServiceAccountToken": False,
        "securityContext": {"runAsNonRoot": True, "runAsUser": RUN_AS, "runAsGroup": RUN_AS, "fsGroup": RUN_AS,
                            "seccompProfile": {"type": "RuntimeDefault"}},
        "terminationGracePeriodSeconds": 60,
    }
    if spec.location_type == "regional":
        pod_spec.update(affinity(ctx, cluster, deployment))
    pool = pool_of(spec, deployment)
    if pool is not None:
        pod_spec["nodeSelector"] = {"cloud.google.com/gke-nodepool": pool.name}
        if pool_gpus(pool):
            # GKE taints GPU nodes (nvidia.com/gpu=present:NoSchedule) in a cluster with non-GPU pools.
            pod_spec["tolerations"] = [{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}]
    if deployment.gpus:
        requests["nvidia.com/gpu"] = limits["nvidia.com/gpu"] = str(deployment.gpus)
    if ctx.uses_cloud_sql_proxy(workload):
        pod_spec["initContainers"] = [proxy_sidecar(ctx, workload)]
    pod_spec["containers"] = [container]
    pod_spec["volumes"] = [{"name": "tmp", "emptyDir": {}}]
    if files:
        container["volumeMounts"].append({"name": "secrets", "mountPath": SECRETS_MOUNT, "readOnly": True})
        pod_spec["volumes"].append({"name": "secrets", "csi": {"driver": SECRETS_CSI_DRIVER, "readOnly": True,
                                                               "volumeAttributes": {"secretProviderClass": name}}})
    account_annotations = {}
    if spec.workload_identity or spec.mode == "autopilot":
        account_annotations["iam.gke.io/gcp-service-account"] = ctx.service_account_email(workload.key)
    documents = [secret_provider_class(ctx, cluster, name, files)] if files else []
    documents += [
        {"apiVersion": "v1", "kind": "ServiceAccount",
         "metadata": metadata(ctx, cluster, ksa, account_annotations or None),
         "automountServiceAccountToken": False},
        {"apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": metadata(ctx, cluster, name, skip_annotations(deployment_skips(workload))),
         "spec": {
             # An autoscaled Deployment leaves replicas to its HorizontalPodAutoscaler: a replica count in what
             # every deploy applies would reset the scaled one (kubernetes.io: Horizontal Pod Autoscaling).
             **({} if autoscaled(deployment) else {"replicas": deployment.replicas}),
             "revisionHistoryLimit": 5,
             "selector": {"matchLabels": {"app.kubernetes.io/name": name}},
             "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 0}},
             "template": {"metadata": {"labels": labels(ctx, name)}, "spec": pod_spec},
         }},
    ]
    service_annotations = {"cloud.google.com/neg": '{"ingress": true}'}
    if public:
        service_annotations["cloud.google.com/backend-config"] = f'{{"default": "{slug(name)}"}}'
    documents.append({"apiVersion": "v1", "kind": "Service",
                      "metadata": metadata(ctx, cluster, name, service_annotations),
                      "spec": {"type": "ClusterIP", "selector": {"app.kubernetes.io/name": name},
                               "ports": [{"name": "http", "port": deployment.port, "targetPort": "http",
                                          "protocol": "TCP"}]}})
    if autoscaled(deployment):
        if deployment.gpus:
            ctx.warnings.append(f"{name}: requests {deployment.gpus} GPU(s) a pod, but its HorizontalPodAutoscaler "
                                f"scales on CPU ({deployment.target_cpu_utilization_percent}%), which a GPU-bound "
                                "server can leave low while requests queue: scale it on the server's queue or the "
                                "GPU duty cycle instead (a custom or external metric; the manifests install no "
                                "metrics adapter for one)")
        documents.append({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                          "metadata": metadata(ctx, cluster, name),
                          "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
                                   "minReplicas": max(1, deployment.replicas),
                                   "maxReplicas": deployment.max_replicas,
                                   "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {
                                       "type": "Utilization",
                                       "averageUtilization": deployment.target_cpu_utilization_percent}}}]}})
    budget = {"minAvailable": deployment.pdb_min_available} if deployment.pdb_min_available is not None \
        else {"maxUnavailable": 1}
    documents.append({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
                      "metadata": metadata(ctx, cluster, name),
                      "spec": {**budget, "selector": {"matchLabels": {"app.kubernetes.io/name": name}}}})
    return documents


def ingress_documents(ctx: Context, cluster: Component, public: list) -> list[dict]:
    lb = ctx.cluster_load_balancer(cluster)
    name = ctx.prefix
    armor = ctx.armor_for(lb) if lb else None
    cdn = ctx.cdn_for(lb) if lb else None
    domains = ctx.lb_domains(lb) if lb else []
    documents = []
    for deployment in public:
        backend: dict = {"timeoutSec": 30, "connectionDraining": {"drainingTimeoutSec": 60},
                         "logging": {"enable": True, "sampleRate": 1.0},
                         "healthCheck": {"type": "HTTP", "requestPath": deployment.health_check_path or "/",
                                         "port": deployment.port, "checkIntervalSec": 10}}
        if armor is not None:
            backend["securityPolicy"] = {"name": f"{ctx.prefix}-{slug(armor.name)}"}
        if cdn is not None:
            backend["cdn"] = {"enabled": True, "cachePolicy": {"includeHost": True, "includeProtocol": True,
                                                                "includeQueryString": True}}
        documents.append({"apiVersion": "cloud.google.com/v1", "kind": "BackendConfig",
                          "metadata": metadata(ctx, cluster, slug(deployment.name)), "spec": backend})
    annotations = {"kubernetes.io/ingress.class": "gce"}
    if domains:
        documents += https_documents(ctx, cluster, lb, domains)
        annotations["networking.gke.io/v1beta1.FrontendConfig"] = name
    else:
        plain_http_warning(ctx, cluster, lb)
    if lb is not None:
        annotations["kubernetes.io/ingress.global-static-ip-name"] = f"{ctx.prefix}-{slug(lb.name)}-ip"
    if domains:
        annotations["networking.gke.io/managed-certificates"] = name
        if lb.spec.forwarding_rules < 2:  # a second forwarding rule serves plain HTTP, redirected to HTTPS
            annotations["kubernetes.io/ingress.allow-http"] = "false"
    default = {"service": {"name": public[0].name, "port": {"name": "http"}}}
    paths = [{"path": "/", "pathType": "Prefix", "backend": default}]
    paths += [{"path": f"/{slug(d.name)}", "pathType": "Prefix",
               "backend": {"service": {"name": d.name, "port": {"name": "http"}}}} for d in public[1:]]
    spec: dict = {"defaultBackend": default}
    if domains:
        spec["rules"] = [{"host": domain, "http": {"paths": paths}} for domain in domains]
    elif len(paths) > 1:  # no host to match: one rule for every host
        spec["rules"] = [{"http": {"paths": paths}}]
    documents.append({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
                      "metadata": metadata(ctx, cluster, name, annotations), "spec": spec})
    return documents


def https_documents(ctx: Context, cluster: Component, lb: Component, domains: list[str]) -> list[dict]:
    """The FrontendConfig (TLS policy, and the redirect where the plan counts a second forwarding rule) and the
    ManagedCertificate of the load balancer's domains."""
    frontend: dict = {"sslPolicy": f"{ctx.prefix}-{slug(lb.name)}-tls"}
    if lb.spec.forwarding_rules >= 2:
        frontend["redirectToHttps"] = {"enabled": True}
    return [{"apiVersion": "networking.gke.io/v1beta1", "kind": "FrontendConfig",
             "metadata": metadata(ctx, cluster, ctx.prefix), "spec": frontend},
            {"apiVersion": "networking.gke.io/v1", "kind": "ManagedCertificate",
             "metadata": metadata(ctx, cluster, ctx.prefix), "spec": {"domains": domains}}]


def plain_http_warning(ctx: Context, cluster: Component, lb: Component | None) -> None:
    """ingress-gce serves HTTPS only with a certificate, which needs a domain: without one the Ingress serves
    plain HTTP (with HTTP turned off as well it refuses to build the load balancer at all)."""
    where = (f"on the {ident(lb.name)}_ip output's address" if lb is not None
             else "on an ephemeral address (kubectl get ingress shows it; no load balancer in the plan reserves one)")
    because = f"load balancer {lb.name} names no domains" if lb is not None else "no load balancer names its domains"
    ctx.warnings.append(f"{cluster.name}: {because}, so its Ingress serves plain HTTP {where}: traffic is "
                        "unencrypted until the plan lists domains (then it serves HTTPS only, with a "
                        "Google-managed certificate)")


def render(ctx: Context, header: str) -> dict[str, str]:
    from archplan.generate import cloudbuild  # which imports this module

    files = {}
    for cluster in ctx.of_kind("gke"):
        if not cluster.spec.deployments:
            continue
        version = f"# Kubernetes {kubernetes_version(cluster)}"
        by_hand = f"{version}; apply with kubectl apply -f {folder(cluster)}/\n"
        files[namespace_file(cluster)] = header + by_hand + dump_all(namespace(ctx, cluster))
        public = ctx.public_deployments(cluster)
        spec = cluster.spec
        pinned = {d.node_pool for d in spec.deployments}
        if any(not pool_gpus(p) for p in spec.node_pools):
            for pool in (p for p in spec.node_pools if pool_gpus(p) and p.name not in pinned):
                ctx.warnings.append(f"{cluster.name}: node pool {pool.name} ({pool.machine_type}) has GPUs but no "
                                    "deployment names it as node_pool: GKE taints GPU nodes, so no pod runs there")
        for workload in [w for w in ctx.workloads_of("gke") if w.component is cluster]:
            documents = deployment_documents(ctx, cluster, workload, workload.name in {d.name for d in public})
            if workload in ctx.pipeline_workloads:
                applied = (f"{version}; {cloudbuild.pipeline_file(workload)} applies it with the image it built (by "
                           f"hand, kubectl apply -f runs the last release, tagged {RELEASED_TAG})\n")
            else:
                applied = (f"{version}; the plan pins its image, so no pipeline deploys it: apply with kubectl apply "
                           f"-f {deployment_file(workload)}\n")
            files[deployment_file(workload)] = header + applied + dump_all(documents)
        if public:
            files[ingress_file(cluster)] = header + by_hand + dump_all(ingress_documents(ctx, cluster, public))
    return files
