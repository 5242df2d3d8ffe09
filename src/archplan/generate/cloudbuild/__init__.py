"""Cloud Build pipelines, one per workload (cloudbuild/<workload>.yaml).

Cloud Run: test, build, push to Artifact Registry, deploy a revision with no traffic under the tag
`rc`, smoke-test it, send it a canary share, check again, cut over (a service whose ingress refuses Cloud
Build's requests: deploy, which waits for the startup probe, then cut over). Cloud Functions: test, upload the
source, deploy, smoke-test. GKE: test, build, push, roll out by digest through the cluster's DNS endpoint (new
pods take traffic only once ready), smoke-test from inside the cluster, then tag the image `released` (the tag
its manifest names). Each file's first comment says how to roll back.
"""
from __future__ import annotations

import json

from archplan.generate.context import Context, Workload, slug
from archplan.generate.kubernetes import RELEASED_TAG, cluster_location, deployment_file, get_credentials
from archplan.generate.yamldump import dump

TARGET = "cloudbuild"
ORDER = 4
FOLDER = "cloudbuild"
DOCKER = "gcr.io/cloud-builders/docker"
GCLOUD = "gcr.io/google.com/cloudsdktool/cloud-sdk:slim"
KUBECTL = "gcr.io/cloud-builders/kubectl"
# The smoke-test pod's image (it has curl): Google's, which private nodes pull through Private Google Access
# with no Cloud NAT in the plan; Docker Hub, where curlimages/curl was, is out of their reach.
SMOKE_IMAGE = GCLOUD
# A first pull of it, or an Autopilot node for it, can take longer than kubectl run's 1 minute default.
SMOKE_POD_TIMEOUT = "5m"


def smoke_overrides(url: str) -> str:
    """The smoke-test pod: the namespace enforces the restricted Pod Security level, so it runs as non-root."""
    container = {"name": "smoke-$SHORT_SHA", "image": SMOKE_IMAGE,
                 "command": ["curl", "--fail", "--silent", "--show-error", "--retry", "5", "--max-time", "10", url],
                 "securityContext": {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}}
    spec = {"securityContext": {"runAsNonRoot": True, "runAsUser": 10001, "seccompProfile": {"type": "RuntimeDefault"}},
            "containers": [container]}
    return json.dumps({"spec": spec}, separators=(",", ":"))


CANARY_PERCENT = "10"
CANARY_SECONDS = "300"


def options(ctx: Context, private_pool: bool = False) -> dict:
    """Build options; the machine type of the plan's cloud_build component when it is not the default, or
    the private pool (whose workers have that machine type) for a private GKE cluster's pipeline."""
    from archplan.components.cloud_build import BUILD_MACHINE_TYPES

    result: dict = {"logging": "CLOUD_LOGGING_ONLY", "dynamicSubstitutions": True}
    if private_pool and ctx.private_build_pool:
        result["pool"] = {"name": f"projects/{ctx.project_id}/locations/{ctx.region}/workerPools/"
                                  f"{ctx.private_build_pool}"}
        return result
    for component in ctx.of_kind("cloud_build")[:1]:
        if BUILD_MACHINE_TYPES[component.spec.machine_type]:
            result["machineType"] = BUILD_MACHINE_TYPES[component.spec.machine_type]
    return result


def needed(ctx: Context) -> bool:
    return bool(ctx.pipeline_workloads)


def source_dir(ctx: Context, workload: Workload) -> str:
    return "." if len(ctx.workloads) == 1 else slug(workload.name)


SOURCE_ROOT = "<source root>"  # what `gcloud builds submit` uploads: the build's /workspace


def uploaded_paths(ctx: Context, workload: Workload) -> list[tuple[str, str]]:
    """(path, what is there) for each path the pipeline reads from the folder it is submitted with (its
    /workspace): the app's source at _SOURCE_DIR and, for GKE, the Deployment's manifest at _MANIFEST."""
    found = [(source_dir(ctx, workload) + "/", "its source, with a Dockerfile whose test stage runs its tests")]
    if workload.kind == "gke":
        found.append((deployment_file(workload), "its manifest from this output, which it applies"))
    return found


def common(ctx: Context, workload: Workload) -> dict:
    return {
        "_REGION": workload.component.region,
        "_IMAGE": ctx.image_repository(workload),
        "_SOURCE_DIR": source_dir(ctx, workload),
        "_SMOKE_PATH": workload.fields.health_check_path or "/",
    }


def build_steps() -> list[dict]:
    return [
        {"id": "test", "name": DOCKER,
         "args": ["build", "--target", "test", "--tag", "test-image", "$_SOURCE_DIR"]},
        {"id": "build", "name": DOCKER,
         "args": ["build", "--tag", "$_IMAGE:$SHORT_SHA", "--tag", "$_IMAGE:latest", "$_SOURCE_DIR"]},
        {"id": "push", "name": DOCKER, "args": ["push", "--all-tags", "$_IMAGE"]},
    ]


TAG = "rc"  # the new revision's traffic tag (release candidate), its URL rc---<service URL>
# gcloud run deploy refuses a traffic tag and service name over 46 characters together: "Combined traffic tag and
# service name cannot exceed 46 characters" (gcloud's error, quoted in the public issue
# github.com/PolicyEngine/policyengine-api/issues/3729); they form the tag URL's DNS label.
TAG_AND_SERVICE_MAX = 46
SMOKE_CLOUD_RUN = f"""URL=$(gcloud run services describe $_SERVICE --region $_REGION --format='value(status.url)')
CANDIDATE="https://{TAG}---$${{URL#https://}}"
TOKEN=$(gcloud auth print-identity-token --audiences="$$URL")
curl --fail --silent --show-error --retry 5 --retry-connrefused --max-time 10 \\
  -H "Authorization: Bearer $$TOKEN" "$$CANDIDATE$_SMOKE_PATH"
"""


def cloud_run(ctx: Context, workload: Workload) -> tuple[str, dict]:
    service = ctx.name(workload.name)
    tested = workload.fields.ingress == "all"  # else Cloud Build cannot call it (below)
    if tested and len(service) + len(TAG) > TAG_AND_SERVICE_MAX:
        raise ctx.error(workload.component, (), f"service {service!r} and its pipeline's traffic tag {TAG!r} are "
                        f"{len(service) + len(TAG)} characters, over Cloud Run's {TAG_AND_SERVICE_MAX}: shorten this "
                        "component's or the project's name (or --prefix)")
    region = workload.component.region
    previous = (f"# Rollback: gcloud run services update-traffic {service} --region {region} --to-revisions PREVIOUS=100\n"
                f"#   (gcloud run revisions list --service {service} --region {region} names PREVIOUS).")
    deploy = {"id": "deploy-no-traffic", "name": GCLOUD, "entrypoint": "gcloud",
              "args": ["run", "deploy", "$_SERVICE", "--image", "$_IMAGE:$SHORT_SHA", "--region", "$_REGION",
                       "--no-traffic", *(["--tag", TAG] if tested else [])]}
    cut_over = {"id": "cut-over", "name": GCLOUD, "entrypoint": "gcloud",
                "args": ["run", "services", "update-traffic", "$_SERVICE", "--region", "$_REGION", "--to-latest"]}
    if not tested:
        # Cloud Build's default pool calls from outside the VPC, which ingress internal (and internal-and-cloud-
        # load-balancing, for a run.app URL) refuses (https://docs.cloud.google.com/run/docs/securing/ingress): no
        # request can test the new revision from here. gcloud run deploy waits until it is ready, which is its
        # startup probe passing (health_check_path), so that is the check before the cut-over.
        ctx.warnings.append(f"{workload.name}: ingress {workload.fields.ingress} refuses Cloud Build's requests, so "
                            f"cloudbuild/{slug(workload.key)}.yaml has no smoke test or canary: the new revision "
                            "takes all traffic once its startup probe passes")
        rollback = (previous + " The deploy\n#   stops before any traffic moves if the new revision never becomes "
                    "ready (its startup probe).\n#   Ingress " + workload.fields.ingress + " refuses Cloud Build's "
                    "requests: no smoke test or canary from here.\n")
        return rollback, {"substitutions": {**common(ctx, workload), "_SERVICE": service},
                          "options": options(ctx), "steps": build_steps() + [deploy, cut_over],
                          "images": ["$_IMAGE:$SHORT_SHA"]}
    rollback = (previous + " A failed\n"
                "#   smoke test stops the build before any traffic moves; a failed canary check stops it with\n"
                "#   $_CANARY_PERCENT% on the new revision, which the rollback above takes back.\n")
    document = {
        "substitutions": {**common(ctx, workload), "_SERVICE": service, "_CANARY_PERCENT": CANARY_PERCENT,
                          "_CANARY_SECONDS": CANARY_SECONDS},
        "options": options(ctx),
        "steps": build_steps() + [
            deploy,
            {"id": "smoke-test", "name": GCLOUD, "entrypoint": "bash", "args": ["-c", SMOKE_CLOUD_RUN]},
            {"id": "canary", "name": GCLOUD, "entrypoint": "gcloud",
             "args": ["run", "services", "update-traffic", "$_SERVICE", "--region", "$_REGION",
                      "--to-tags", f"{TAG}=$_CANARY_PERCENT"]},
            {"id": "canary-check", "name": GCLOUD, "entrypoint": "bash",
             "args": ["-c", "sleep $_CANARY_SECONDS\n" + SMOKE_CLOUD_RUN]},
            cut_over,
        ],
        "images": ["$_IMAGE:$SHORT_SHA"],
    }
    return rollback, document


# The deploy names no trigger: gcloud keeps an existing function's trigger then ("If you don't specify a trigger
# when deploying an update to an existing function it will keep its current trigger", gcloud functions deploy
# --help), where --trigger-topic would replace Terraform's with one on the default compute account and no retry.
TRIGGER_KEPT = ("# Terraform makes the function and what starts it: deploy-function names no trigger flag, so\n"
                "#   gcloud keeps the trigger as Terraform made it (an event trigger's account and retry policy).\n")


def cloud_functions(ctx: Context, workload: Workload) -> tuple[str, dict]:
    spec = workload.fields
    function = ctx.name(workload.name)
    bucket = ctx.bucket_name("function-sources")
    rollback = ("# Rollback: functions have no traffic split; redeploy the previous source, which the versioned\n"
                f"#   bucket keeps: gcloud storage ls --all-versions gs://{bucket}/{workload.name}/source.zip, then\n"
                "#   deploy-function below with --source set to that version.\n"
                + TRIGGER_KEPT)
    steps = [
        {"id": "test", "name": DOCKER,
         "args": ["build", "--target", "test", "--tag", "test-image", "$_SOURCE_DIR"]},
        {"id": "package", "name": GCLOUD, "entrypoint": "bash",
         "args": ["-c", "apt-get -qq update >/dev/null && apt-get -qq install -y zip >/dev/null\n"
                        "cd $_SOURCE_DIR && zip -qr /workspace/source.zip . -x '.git/*'\n"
                        "gcloud storage cp /workspace/source.zip gs://$_SOURCE_BUCKET/$_FUNCTION_SOURCE\n"]},
        {"id": "deploy-function", "name": GCLOUD, "entrypoint": "gcloud",
         "args": ["functions", "deploy", "$_FUNCTION", "--gen2", "--region", "$_REGION", "--runtime",
                  spec.runtime, "--entry-point", spec.entry_point,
                  "--source", "gs://$_SOURCE_BUCKET/$_FUNCTION_SOURCE",
                  # the account the generated Terraform builds the function as, with the roles a build needs
                  "--build-service-account",
                  f"projects/{ctx.project_id}/serviceAccounts/{ctx.function_build_service_account}"]},
    ]
    if spec.trigger == "http":
        steps.append({"id": "smoke-test", "name": GCLOUD, "entrypoint": "bash", "args": ["-c", (
            "URL=$(gcloud functions describe $_FUNCTION --gen2 --region $_REGION --format='value(url)')\n"
            "curl --fail --silent --show-error --retry 5 --max-time 30 \\\n"
            "  -H \"Authorization: Bearer $(gcloud auth print-identity-token --audiences=\"$$URL\")\" "
            "\"$$URL$_SMOKE_PATH\"\n")]})
    document = {
        "substitutions": {**{k: v for k, v in common(ctx, workload).items() if k != "_IMAGE"},
                          "_FUNCTION": function, "_SOURCE_BUCKET": bucket,
                          "_FUNCTION_SOURCE": f"{workload.name}/source.zip"},
        "options": options(ctx),
        "steps": steps,
    }
    return rollback, document


# The app container's image in its Deployment manifest, pinned to the digest just pushed: one apply, one new
# revision (an apply of the manifest's tag and then `kubectl set image` made two, and `kubectl rollout undo`
# went back to the first, the manifest's tag, not to the previous release).
PIN_IMAGE = "sed \"/- name: app$$/,/image:/ s|image: .*|image: $_IMAGE@$$DIGEST|\" $_MANIFEST"


def gke(ctx: Context, workload: Workload) -> tuple[str, dict]:
    cluster = workload.component
    namespace = ctx.namespace(cluster)
    manifest = deployment_file(workload)
    rollback = (f"# Rollback: kubectl rollout undo deployment/{workload.name} -n {namespace}. A rollout whose new "
                "pods\n"
                "#   never get ready stops the build; the old pods keep serving (maxUnavailable 0).\n"
                "# Canary: GKE splits traffic by pod count, not by percentage; run a second Deployment with the\n"
                "#   same app label and one replica to send it about 1/(replicas+1) of the requests.\n")
    port = workload.fields.port  # the Service listens on the plan's port
    credentials = get_credentials("$_CLUSTER", "$_LOCATION")
    document = {
        "substitutions": {**common(ctx, workload), "_CLUSTER": ctx.name(cluster),
                          "_LOCATION": cluster_location(cluster),
                          "_NAMESPACE": namespace, "_MANIFEST": manifest},
        "options": options(ctx, private_pool=cluster.spec.private_nodes),
        "steps": build_steps() + [
            # The cluster's DNS endpoint (IAM-authenticated): reachable from the private pool's workers although
            # the nodes and IP endpoint are private (VPC peering is not transitive, so not the private IP).
            {"id": "deploy", "name": KUBECTL, "entrypoint": "bash", "args": ["-c", (
                credentials + "\n"
                "DIGEST=$(gcloud artifacts docker images describe $_IMAGE:$SHORT_SHA "
                "--format='value(image_summary.digest)')\n"
                f"{PIN_IMAGE} | kubectl apply -f -\n"
                f"kubectl -n $_NAMESPACE rollout status deployment/{workload.name} --timeout=10m\n")]},
            {"id": "smoke-test", "name": KUBECTL, "entrypoint": "bash", "args": ["-c", (
                credentials + "\n"
                "kubectl -n $_NAMESPACE run smoke-$SHORT_SHA --rm -i --restart=Never "
                f"--pod-running-timeout={SMOKE_POD_TIMEOUT} --image=" + SMOKE_IMAGE
                + " \\\n  --overrides='" + smoke_overrides(f"http://{workload.name}:{port}$_SMOKE_PATH") + "'\n")]},
            # The manifest's image (a hand `kubectl apply`) is the last release that rolled out and passed.
            {"id": "release", "name": GCLOUD, "entrypoint": "gcloud",
             "args": ["artifacts", "docker", "tags", "add", "$_IMAGE:$SHORT_SHA", f"$_IMAGE:{RELEASED_TAG}"]},
        ],
        "images": ["$_IMAGE:$SHORT_SHA"],
    }
    return rollback, document


PIPELINES = {"cloud_run": cloud_run, "cloud_functions": cloud_functions, "gke": gke}


def used_substitutions_only(document: dict) -> dict:
    """gcloud builds submit rejects a substitution no step uses: keep only those the steps and images name."""
    import re

    text = json.dumps({k: v for k, v in document.items() if k != "substitutions"})
    used = set(re.findall(r"\$\{?(_[A-Z0-9_]+)", text))
    document["substitutions"] = {k: v for k, v in document["substitutions"].items() if k in used}
    return document


def pipeline(ctx: Context, workload: Workload) -> tuple[str, dict]:
    """The workload's (rollback comment, pipeline document), built once per generate run: the files and the
    README both read it (building it again would also repeat its warnings)."""
    built = ctx.__dict__.setdefault("_pipelines", {})
    if workload.key not in built:
        built[workload.key] = PIPELINES[workload.kind](ctx, workload)
    return built[workload.key]


def submit_substitutions(ctx: Context, workload: Workload) -> str:
    """What `gcloud builds submit` of the workload's pipeline needs on its command line: SHORT_SHA where the
    pipeline tags the image with it (a trigger fills it in, a build submitted by hand has none)."""
    _rollback, document = pipeline(ctx, workload)
    return " --substitutions=SHORT_SHA=$(git rev-parse --short HEAD)" if "$SHORT_SHA" in json.dumps(document) else ""


def pipeline_file(workload: Workload) -> str:
    return f"{FOLDER}/{slug(workload.key)}.yaml"


def render(ctx: Context, header: str) -> dict[str, str]:
    files = {}
    for workload in ctx.pipeline_workloads:
        rollback, document = pipeline(ctx, workload)
        document = {"serviceAccount": f"projects/{ctx.project_id}/serviceAccounts/{ctx.build_service_account}",
                    **used_substitutions_only(document)}
        path = pipeline_file(workload)
        trigger = (f"# Trigger: gcloud builds triggers create github --name {ctx.prefix}-{slug(workload.key)} "
                   f"--build-config {path} ... (or run: gcloud builds submit --config "
                   f"{path}{submit_substitutions(ctx, workload)} {SOURCE_ROOT})\n"
                   "# Source: the folder it is submitted with (a trigger: its repository's root) holds "
                   + "; ".join(f"{place} ({what})" for place, what in uploaded_paths(ctx, workload)) + ".\n")
        files[path] = header + rollback + trigger + dump(document)
    return files
