"""A GKE Deployment's first deploy and every one after (found by review): each pipeline applied a manifest
with spec.replicas next to a HorizontalPodAutoscaler, resetting the scaled count on every deploy; the
manifest's image tag `:initial` was never pushed, so the README's first `kubectl apply` pulled nothing; and
the pipeline applied that tag and then `kubectl set image`, two revisions a deploy, so `kubectl rollout undo`
went back to `:initial`, not to the previous release."""
import json
import os
import re
import subprocess

import yaml

from tests.generate.conftest import generate_text

PLAN = """project: {name: shop, region: europe-west4}
traffic: {daily_active_users: 1000, requests_per_user_per_day: 10, avg_request_kib: 1, avg_response_kib: 10}
components:
  lb: {kind: load_balancer, domains: [shop.example.com], depends_on: [apps]}
  db: {kind: cloud_sql, engine: postgres, tier: db-custom-1-3840, storage_gb: 10}
  apps:
    kind: gke
    mode: autopilot
    depends_on: [{name: db, protocol: Postgres}]
    deployments:
      - {name: web, replicas: 2, max_replicas: 6, cpu: 500m, memory: 512Mi, public: true, env: {app: x}}
      - {name: worker, replicas: 1, cpu: 250m, memory: 256Mi}
"""
REPOSITORY = "europe-west4-docker.pkg.dev/shop/shop"
DIGEST = "sha256:" + "0" * 64


def _deployment(path) -> dict:
    return next(d for d in yaml.safe_load_all(path.read_text()) if d["kind"] == "Deployment")


def test_an_autoscaled_deployment_leaves_its_replicas_to_the_autoscaler(tmp_path):
    out = generate_text(tmp_path, PLAN)
    web = _deployment(out / "kubernetes" / "apps" / "web.yaml")
    assert "replicas" not in web["spec"]
    scaler = next(d for d in yaml.safe_load_all((out / "kubernetes" / "apps" / "web.yaml").read_text())
                  if d["kind"] == "HorizontalPodAutoscaler")
    assert (scaler["spec"]["minReplicas"], scaler["spec"]["maxReplicas"]) == (2, 6)
    worker = out / "kubernetes" / "apps" / "worker.yaml"
    assert _deployment(worker)["spec"]["replicas"] == 1  # no autoscaler: the plan's count stays
    assert "HorizontalPodAutoscaler" not in worker.read_text()


def _run_deploy_pin(out, pipeline: dict) -> list[dict]:
    """The deploy step's image pin, as Cloud Build substitutes it and bash runs it: the documents it applies."""
    script = next(step for step in pipeline["steps"] if step["id"] == "deploy")["args"][-1]
    line = next(line for line in script.splitlines() if "kubectl apply" in line).split(" | kubectl apply")[0]
    for name, value in pipeline["substitutions"].items():
        line = line.replace(f"${name}", value)
    line = line.replace("$$", "$")
    applied = subprocess.run(["bash", "-c", line], cwd=out, capture_output=True, text=True, check=True,
                             env={**os.environ, "DIGEST": DIGEST}).stdout
    return list(yaml.safe_load_all(applied))


def test_each_deploy_applies_its_manifest_once_with_the_image_it_built(tmp_path):
    out = generate_text(tmp_path, PLAN)
    pipeline = yaml.safe_load((out / "cloudbuild" / "apps-web.yaml").read_text())
    steps = [step["id"] for step in pipeline["steps"]]
    assert steps == ["test", "build", "push", "deploy", "smoke-test", "release"]
    assert "set image" not in (out / "cloudbuild" / "apps-web.yaml").read_text()
    manifest = out / pipeline["substitutions"]["_MANIFEST"]
    written = list(yaml.safe_load_all(manifest.read_text()))
    applied = _run_deploy_pin(out, pipeline)
    pod = next(d for d in applied if d["kind"] == "Deployment")["spec"]["template"]["spec"]
    assert pod["containers"][0]["image"] == f"{REPOSITORY}/web@{DIGEST}"
    assert pod["initContainers"][0]["image"].startswith("gcr.io/cloud-sql-connectors/")  # the sidecar keeps its own
    for document in written:  # the rest as written
        if document["kind"] == "Deployment":
            document["spec"]["template"]["spec"]["containers"][0]["image"] = f"{REPOSITORY}/web@{DIGEST}"
    assert applied == written
    # the manifest names the tag the pipeline moves once the release rolled out and passed its smoke test
    assert _deployment(manifest)["spec"]["template"]["spec"]["containers"][0]["image"] == f"{REPOSITORY}/web:released"
    release = pipeline["steps"][-1]
    assert release["args"] == ["artifacts", "docker", "tags", "add", "$_IMAGE:$SHORT_SHA", "$_IMAGE:released"]
    assert pipeline["substitutions"]["_IMAGE"] == f"{REPOSITORY}/web"


def test_the_readme_deploys_a_cluster_through_its_pipelines(tmp_path):
    out = generate_text(tmp_path, PLAN)
    readme = (out / "README.md").read_text()
    commands = re.search(r"## Apply order.*?```sh\n(.*?)```", readme, re.S).group(1).splitlines()
    kubectl = [line for line in commands if line.startswith("kubectl")]
    assert kubectl == ["kubectl apply -f kubernetes/apps/00-namespace.yaml",
                       "kubectl apply -f kubernetes/apps/ingress.yaml"]
    builds = [i for i, line in enumerate(commands) if line.startswith("gcloud builds submit")]
    assert commands.index(kubectl[0]) < min(builds) and commands.index(kubectl[1]) > max(builds)
    for line in kubectl:
        assert (out / line.split()[-1]).is_file()


GOOGLE_REGISTRIES = re.compile(r"^(gcr\.io|[a-z0-9-]+\.gcr\.io|[a-z0-9-]+-docker\.pkg\.dev)/")


def test_private_nodes_without_nat_pull_every_image_the_output_runs_on_them(tmp_path):
    """p9 of the review (Autopilot, private nodes, no cloud_nat): the nodes reach Google's registries through
    Private Google Access and nothing else, and every pipeline's smoke test ran curlimages/curl from Docker Hub,
    so no deploy passed it."""
    private = PLAN.replace("    mode: autopilot\n", "    mode: autopilot\n    private_nodes: true\n")
    out = generate_text(tmp_path, private)
    assert "cloud_nat" not in PLAN and "router_nat" not in "".join(
        p.read_text() for p in (out / "terraform").glob("*.tf"))
    images = []
    for path in (out / "kubernetes").rglob("*.yaml"):
        for document in yaml.safe_load_all(path.read_text()):
            if document["kind"] == "Deployment":
                pod = document["spec"]["template"]["spec"]
                images += [c["image"] for c in pod["containers"] + pod.get("initContainers", [])]
    for path in (out / "cloudbuild").glob("*.yaml"):
        script = next(s for s in yaml.safe_load(path.read_text())["steps"] if s["id"] == "smoke-test")["args"][-1]
        run = re.search(r"kubectl -n \S+ run .*? --image=(\S+)", script)
        assert "--pod-running-timeout=5m" in script  # a first pull, or a new Autopilot node, outlasts the 1m default
        overrides = json.loads(re.search(r"--overrides='(.*)'", script).group(1))
        images += [run.group(1), *(c["image"] for c in overrides["spec"]["containers"])]
    assert len(images) > 4
    assert [image for image in images if not GOOGLE_REGISTRIES.match(image)] == []



SUBMITTED_PLAN = """project: {name: shop, region: us-central1}
traffic: {daily_active_users: 100, requests_per_user_per_day: 10}
components:
  web: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 100}
  hook: {kind: cloud_functions, runtime: python312, entry_point: main, cpu: 1, memory: 256Mi, duration_ms: 100}
  apps:
    kind: gke
    mode: autopilot
    deployments: [{name: api, replicas: 2, cpu: 500m, memory: 512Mi}]
"""


def test_the_readme_says_what_each_submitted_source_holds(tmp_path):
    """A GKE pipeline builds _SOURCE_DIR and applies _MANIFEST, both read from what `gcloud builds submit`
    uploads, so that must hold the app's folder and the generated kubernetes/ folder: the README said
    `<source of api>`, which reads as the app's folder alone. Now it says, for every pipeline (Cloud Run's and
    functions' too), each path the pipeline reads there, and so does the pipeline's own header."""
    out = generate_text(tmp_path, SUBMITTED_PLAN)
    readme = (out / "README.md").read_text()
    assert "<source of" not in readme
    for name, workload in (("web", "web"), ("hook", "hook"), ("apps-api", "api")):
        text = (out / "cloudbuild" / f"{name}.yaml").read_text()
        substitutions = yaml.safe_load(text)["substitutions"]
        read = [substitutions["_SOURCE_DIR"] + "/"] + ([substitutions["_MANIFEST"]] if name == "apps-api" else [])
        assert read[0] == f"{workload}/"
        assert f"gcloud builds submit --config=cloudbuild/{name}.yaml --project=shop" in readme
        listed = next(line for line in readme.splitlines() if line.startswith(f"- for {workload}: "))
        assert re.findall(r"`([^`]+)` \(", listed) == read
        header = next(line for line in text.splitlines() if line.startswith("# Source: "))
        assert re.findall(r"(\S+) \(", header.split(" holds ", 1)[1]) == read
    assert (out / "kubernetes" / "apps" / "api.yaml").is_file()
