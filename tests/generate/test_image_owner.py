"""One owner per image. A Cloud Run service whose plan pins `image` is deployed by Terraform, which pins it with
no ignore_changes; a Cloud Build pipeline deploying <service>:$SHORT_SHA was generated and documented as well,
so the next terraform apply rolled that deploy back. Now a pinned image has no pipeline (no file, no trigger,
no deploy grant, no README step; the README says why), and a service without one is deployed by its pipeline
alone: Terraform ignores the image it runs."""
from archplan.pricing.cloud_build import pipelines
from archplan.plan import resolve
from archplan.spec.load import load_spec
from tests.generate.conftest import generate_text, load_hcl

PLAN = """project: {name: shop, region: us-central1}
traffic: {daily_active_users: 100, requests_per_user_per_day: 10}
components:
  api: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 50, image: "nginx:1.27"}
  web: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 50, allow_unauthenticated: true}
  builds: {kind: cloud_build, builds_per_month: 10, minutes_per_build: 5,
    repository: {owner: acme, name: shop, branch: main}}
"""


def test_a_pinned_image_is_terraform_s_alone_and_a_built_one_the_pipeline_s(tmp_path):
    out = generate_text(tmp_path, PLAN)
    assert sorted(p.name for p in (out / "cloudbuild").iterdir()) == ["web.yaml"]
    services = {name: body for item in load_hcl(out / "terraform" / "cloud_run.tf").get("resource", [])
                for name, body in item.get("google_cloud_run_v2_service", {}).items()}
    (api_container,) = services["api"]["template"][0]["containers"]
    assert api_container["image"] == "nginx:1.27" and "lifecycle" not in services["api"]
    (lifecycle,) = services["web"]["lifecycle"]
    assert "template[0].containers[0].image" in str(lifecycle["ignore_changes"])
    builds = (out / "terraform" / "cloudbuild.tf").read_text()
    assert "cloudbuild/web.yaml" in builds and "cloudbuild/api.yaml" not in builds
    iam = (out / "terraform" / "iam.tf").read_text()
    assert "cloud_build_acts_as_web" in iam and "cloud_build_acts_as_api" not in iam
    readme = (out / "README.md").read_text()
    assert "--config=cloudbuild/web.yaml" in readme and "--config=cloudbuild/api.yaml" not in readme
    assert ("api runs the image the plan pins (`nginx:1.27`): Terraform deploys it, and no Cloud Build pipeline "
            "builds or deploys it.") in readme


def test_the_build_minutes_are_split_between_the_pipelines_generate_writes(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN)
    assert pipelines(resolve(load_spec(plan)).components) == (0, 1)


DIGEST = "sha256:" + "0123456789abcdef" * 4
GKE_PLAN = f"""project: {{name: shop, region: us-central1}}
traffic: {{daily_active_users: 100, requests_per_user_per_day: 10}}
components:
  apps:
    kind: gke
    mode: autopilot
    deployments:
      - {{name: tagged, replicas: 1, cpu: 500m, memory: 512Mi, image: "us-docker.pkg.dev/acme/apps/tagged:1.4"}}
      - {{name: digest, replicas: 1, cpu: 500m, memory: 512Mi, image: "us-docker.pkg.dev/acme/apps/digest@{DIGEST}"}}
      - {{name: built, replicas: 1, cpu: 500m, memory: 512Mi}}
"""


def test_a_deployment_manifest_says_who_deploys_its_image(tmp_path):
    """A Deployment whose plan pins the image has no pipeline, yet its manifest said a pipeline applied it and
    skipped checkov's CKV_K8S_43 because "the Cloud Build pipeline pins each image by digest". Now a tag the plan
    pins is skipped for what is true of it, a digest it pins needs no skip, and the header says who applies it."""
    import yaml

    out = generate_text(tmp_path, GKE_PLAN)
    assert sorted(p.name for p in (out / "cloudbuild").iterdir()) == ["apps-built.yaml"]
    found = {}
    for name in ("tagged", "digest", "built"):
        text = (out / "kubernetes" / "apps" / f"{name}.yaml").read_text()
        (deployment,) = [d for d in yaml.safe_load_all(text) if d["kind"] == "Deployment"]
        found[name] = (text.splitlines()[3], deployment["metadata"].get("annotations", {}))
    assert found["built"] == ("# Kubernetes 1.33; cloudbuild/apps-built.yaml applies it with the image it built (by "
                              "hand, kubectl apply -f runs the last release, tagged released)",
                              {"checkov.io/skip1": "CKV_K8S_43=the Cloud Build pipeline pins each image by digest "
                                                   "when it deploys"})
    assert found["tagged"] == ("# Kubernetes 1.33; the plan pins its image, so no pipeline deploys it: apply with "
                               "kubectl apply -f kubernetes/apps/tagged.yaml",
                               {"checkov.io/skip1": "CKV_K8S_43=the plan pins this image by tag, and no pipeline "
                                                    "deploys it (give its sha256 digest in the plan)"})
    assert found["digest"] == ("# Kubernetes 1.33; the plan pins its image, so no pipeline deploys it: apply with "
                               "kubectl apply -f kubernetes/apps/digest.yaml", {})
    readme = (out / "README.md").read_text()
    assert all(f"kubectl apply -f kubernetes/apps/{name}.yaml" in readme for name in ("tagged", "digest"))
