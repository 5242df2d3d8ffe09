"""README.md at the top of the output: what a user runs, in order, to bring the stack up with one
`terraform apply`; what they supply by hand (each with its command); what is created; what it costs (the
`cost` total); and how to roll a release back. Read from the plan, its cost report and the Terraform
configuration built in memory; it computes no figure of its own."""
from __future__ import annotations

from archplan.generate.context import Context, ident, slug
from archplan.generate.terraform.compute_engine import metadata_links, serving_port

TARGET = "readme"
ORDER = 9
NOTHING_NAMED = "—"


def needed(ctx: Context) -> bool:
    return True


def code(text: str) -> str:
    """Inline code: a backtick in the value gets a longer fence."""
    from archplan.render.markdown_text import code as inline

    return inline(text)


def _dns_step(ctx: Context) -> str | None:
    """What DNS needs by hand: the public zones' name servers at the registrar, or else the domains' A records
    at their load balancer's IP; nothing when the plan names no domain and has no public zone."""

    served = [(lb, ctx.lb_domains(lb)) for lb in ctx.of_kind("load_balancer") if ctx.lb_domains(lb)]
    zones = [zone for zone in ctx.of_kind("cloud_dns") if zone.spec.visibility == "public"]
    certificate = "; each managed certificate becomes active once its domains resolve" if served else ""
    if zones:
        outputs = ", ".join(code(f"{ident(zone.name)}_name_servers") for zone in zones)
        return f"set the name servers of the {outputs} output at your registrar{certificate}"
    if served:
        records = "; ".join(f"point the A records of {', '.join(code(d) for d in domains)} at the "
                            f"{code(ident(lb.name) + '_ip')} output" for lb, domains in served)
        return records + certificate
    return None


def render(ctx: Context, header: str) -> dict[str, str]:
    from archplan.analysis.cost import cost_report
    from archplan.generate import cloudbuild, kubernetes, terraform
    from archplan.render.numbers import money

    tf = terraform.build(ctx)
    report = cost_report(ctx.plan)
    project, region, prefix = ctx.project_id, ctx.region, ctx.prefix
    state_bucket = f"{project}-tfstate"
    lines = [header.rstrip("\n"), "", f"Stack {code(prefix)} of {code(ctx.source_name)} in project {code(project)}, " +
             (f"region {code(region)}." if not ctx.multi_region else
              f"regions {', '.join(code(r) for r in ctx.regions)} ({code(region)} the default)."), ""]

    lines += ["## By hand, once", "",
              "1. A project with billing linked, and credentials: `gcloud auth application-default login`.",
              f"2. The state bucket (versioned, private): `gcloud storage buckets create gs://{state_bucket} "
              f"--project={project} --location={region} --uniform-bucket-level-access "
              f"--public-access-prevention` and `gcloud storage buckets update gs://{state_bucket} --versioning`."]
    supplied = [(name, block.body["description"]) for name, block in sorted(tf.variables.items())
                if block.body.get("sensitive")]
    step = 3
    if supplied:
        lines.append(f"{step}. The values only you know (sensitive variables, sent through write-only arguments, "
                     "never stored in the state); give them on every plan and apply:")
        lines += [f"   - `export TF_VAR_{name}=...`: {description}" for name, description in supplied]
        step += 1
    required = [(name, block.body["description"]) for name, block in sorted(tf.variables.items())
                if "default" not in block.body and not block.body.get("sensitive")]
    if required or "billing_account" in tf.variables:
        lines.append(f"{step}. Settings without a default, in `terraform/terraform.tfvars`:")
        lines += [f"   - `{name}`: {description}" for name, description in required]
        if "billing_account" in tf.variables:
            lines.append("   - `billing_account` (optional): the billing account for the budget; without it no "
                         "budget is created.")
        step += 1
    for secret, version in tf.user_supplied:
        lines.append(f"{step}. Secret version {version} of {code(secret)} is pinned by the plan: add it with "
                     f"`gcloud secrets versions add <secret id> --data-file=-` until version {version} exists.")
        step += 1
    dns = _dns_step(ctx)
    if dns:
        lines.append(f"{step}. After the apply: {dns}.")
        step += 1
    keyed = [(api, "the gateway's API", "_managed_service") for api in ctx.of_kind("api_gateway")] + \
        [(api, "its Endpoints service", "_service_name") for api in ctx.of_kind("cloud_endpoints")]
    for api, restricted_to, service_output in keyed:
        if api.spec.api_key_required:
            # https://cloud.google.com/sdk/gcloud/reference/services/api-keys/get-key-string
            lines.append(f"{step}. After the apply, give {api.name}'s callers its API key (the apply creates "
                         f"it, restricted to {restricted_to}, and puts its string in no output): "
                         f"`gcloud services api-keys get-key-string {ctx.name(api)} --project={project}`; they "
                         "send it as `?key=...`. More keys: `gcloud services api-keys create "
                         f"--api-target=service=SERVICE`, SERVICE being the "
                         f"{code(ident(api.name) + service_output)} output.")
            step += 1
    for vm in ctx.of_kind("compute_engine"):
        if vm.name in ctx.backend_names:
            lines.append(f"{step}. Your application on the VMs of {vm.name} ({code(prefix + '-' + slug(vm.name) + '-1')} "
                         f"to -{vm.spec.count}), on port {serving_port(ctx, vm)}: a placeholder answers there until "
                         "then, so the load balancer's backend is healthy from the first apply. As you deploy yours, "
                         "stop it on each VM: `sudo systemctl disable --now archplan-placeholder` (it is not "
                         "started again).")
            step += 1
        given = metadata_links(ctx, vm)
        if given:
            secret = next((key for key, link in given if link.secret is not None), None)
            read = "curl -s -H 'Metadata-Flavor: Google' http://metadata.google.internal/computeMetadata/v1/instance/attributes/"
            lines.append(f"{step}. Your application on the VMs of {vm.name} reads what its depends_on give it from the "
                         f"instance metadata ({', '.join(code(key) for key, _ in given)}): `{read}KEY`"
                         + (f"; a `*_SECRET` key holds a secret's id, which the VMs' account may read: `gcloud "
                            f"secrets versions access latest --secret=\"$({read}{secret})\"`" if secret else "")
                         + ".")
            step += 1
    lines.append("")

    lines += ["## Apply order (one apply)", "", "```sh", "cd terraform",
              f"terraform init -backend-config=bucket={state_bucket} -backend-config=prefix={prefix}",
              "terraform apply  # APIs first: every resource depends on google_project_service.enabled",
              "cd .."]
    # A cluster's namespace first; its Deployments come with their pipelines, which push the images they
    # name (a Deployment whose image the plan pins has no pipeline: applied here); its Ingress once they serve
    # (its load balancer's health checks find them ready).
    clusters = [cluster for cluster in ctx.of_kind("gke") if cluster.spec.deployments]

    def credentials(cluster) -> str:
        return kubernetes.get_credentials(ctx.name(cluster), kubernetes.cluster_location(cluster),
                                          f"--project={project}")

    for cluster in clusters:
        lines += [credentials(cluster), f"kubectl apply -f {kubernetes.namespace_file(cluster)}"]
        lines += [f"kubectl apply -f {kubernetes.deployment_file(w)}" for w in ctx.workloads
                  if w.component is cluster and w not in ctx.pipeline_workloads]
    for workload in ctx.pipeline_workloads:
        lines.append(f"gcloud builds submit --config={cloudbuild.pipeline_file(workload)} --project={project}"
                     f"{cloudbuild.submit_substitutions(ctx, workload)} {cloudbuild.SOURCE_ROOT}")
    for cluster in clusters:
        if ctx.public_deployments(cluster):
            if len(clusters) > 1:  # kubectl's context is the last cluster's
                lines.append(credentials(cluster))
            lines.append(f"kubectl apply -f {kubernetes.ingress_file(cluster)}")
    lines += ["```", ""]
    if ctx.pipeline_workloads:
        # The pipelines read paths inside what is uploaded, and a GKE one also this output's manifest there.
        lines += [f"{code(cloudbuild.SOURCE_ROOT)} is the folder each `gcloud builds submit` uploads, which its "
                  "pipeline builds in; it must hold:", ""]
        lines += [f"- for {w.name}: " + "; ".join(f"{code(path)} ({what})" for path, what in
                                                  cloudbuild.uploaded_paths(ctx, w)) for w in ctx.pipeline_workloads]
        lines += ["", "This folder can be it once each app's source is in it at that path. A trigger reads the "
                      "same paths from the root of its repository.", ""]
    pinned = [w for w in ctx.workloads if w not in ctx.pipeline_workloads]
    if pinned:
        owner = {"cloud_run": "Terraform deploys it", "gke": "its manifest in kubernetes/ deploys it"}
        lines += [" ".join(f"{w.name} runs the image the plan pins ({code(w.fields.image)}): "
                           f"{owner[w.kind]}, and no Cloud Build pipeline builds or deploys it."
                           for w in pinned) +
                  " To release another, change its `image` in the plan, run `archplan generate` and apply again "
                  "(a pipeline's deploy would be rolled back by the next apply).", ""]
    if clusters:
        lines += [f"Each GKE pipeline applies its Deployment's manifest with the image it built, and tags that "
                  f"image {code(kubernetes.RELEASED_TAG)} once it is rolled out and smoke-tested: the tag the "
                  "manifests name, so `kubectl apply -f` of a cluster's folder by hand runs the last release "
                  "(before the first build it has no image to pull).", ""]
    if ctx.private_build_pool:
        lines += [f"The GKE pipelines run in the private pool {code(ctx.private_build_pool)} (created by the apply); "
                  "whoever runs `gcloud builds submit` for them needs `roles/cloudbuild.workerPoolUser` on the "
                  f"project: `gcloud projects add-iam-policy-binding {project} --member=user:<you> "
                  "--role=roles/cloudbuild.workerPoolUser`. Triggers in the project need nothing more.", ""]
    lines += lock_notes(tf)

    lines += ["## What is created", "", "| component | kind | name |", "| --- | --- | --- |"]
    lines += [f"| {c.name} | {c.kind} | {', '.join(code(name) for name in created_names(ctx, c)) or NOTHING_NAMED} |"
              for c in ctx.plan.components]
    if any(not created_names(ctx, c) for c in ctx.plan.components):
        lines += ["", f"{NOTHING_NAMED}: nothing named of its own (an API enabled, a setting of another "
                      "component's resource, or a service outside Google Cloud)."]
    counts: dict[str, int] = {}
    for items in tf.files.values():
        for item in items:
            if getattr(item, "type", None) == "resource":
                counts[item.labels[0]] = counts.get(item.labels[0], 0) + 1
    lines += ["", f"Terraform resources: {sum(counts.values())} (" +
              ", ".join(f"{count} {name}" for name, count in sorted(counts.items())) + ").", ""]

    lines += ["## Cost", "", f"{money(report.total_usd, report.currency, report.rate)} a month: the total of "
              f"`archplan cost {ctx.source_name}`" + (f" --env {ctx.environment}" if ctx.environment else "") +
              ", which shows every line and its formula.", ""]

    if ctx.private_build_pool:
        lines += [private_pool_cost(ctx), ""]

    from archplan.generate import runbooks

    if runbooks.needed(ctx):
        lines += ["## Failure runbooks", "", "What fails over by itself, what to promote and in which order, with "
                  "the commands for this stack's names:", ""]
        lines += [f"- [{title}]({path})" for path, title in runbooks.scenario_files(ctx)] + [""]
    lines += ["## Rolling back a release", ""]
    for workload in ctx.workloads:
        name = f"{prefix}-{slug(workload.name)}"
        if workload.kind == "cloud_run":
            lines.append(f"- {workload.name}: `gcloud run services update-traffic {name} --region={workload.component.region} "
                         "--to-revisions=<previous revision>=100` (list them: `gcloud run revisions list`).")
        elif workload.kind == "cloud_functions":
            lines.append(f"- {workload.name}: redeploy the previous source: `gcloud storage ls --all-versions "
                         f"gs://<function sources bucket>/{workload.name}/source.zip`, copy that generation over the "
                         "object, rerun its Cloud Build pipeline.")
        else:
            lines.append(f"- {workload.name}: `kubectl rollout undo deployment/{slug(workload.name)} "
                         f"-n {ctx.namespace(workload.component)}`.")
    lines += ["- Infrastructure: revert the plan, run `archplan generate` and `terraform apply` again; earlier "
              "state versions stay in the versioned state bucket.", ""]
    if ctx.warnings:
        lines += ["## What the files cannot express", ""] + [f"- {w}" for w in dict.fromkeys(ctx.warnings)] + [""]
    return {"README.md": "\n".join(lines)}


def lock_notes(tf) -> list[str]:
    from archplan.generate.terraform._lock import locks

    locked = [f"{name} {entry['version']}" for name, entry in sorted(locks().items())
              if f'"registry.terraform.io/{name}"' in tf.extra_files.get(".terraform.lock.hcl", "")]
    lines = [f"`terraform/.terraform.lock.hcl` locks {', '.join(locked)}: `terraform init` installs exactly "
             "these releases and checks their hashes."]
    if tf.unlocked_providers:
        them = "it" if len(tf.unlocked_providers) == 1 else "them"
        lines.append(f"It has no entry for {', '.join(tf.unlocked_providers)}: the first `terraform init` adds "
                     f"{them} (record every platform with `terraform providers lock -platform=linux_amd64 "
                     "-platform=darwin_arm64`); commit the lock file it leaves.")
    return [" ".join(lines), ""]


def created_names(ctx, component) -> list[str]:
    """The GCP names the README lists for a component: those its Terraform kind module says it writes
    (created_names there, read from what its generate names the resources), else <prefix>-<name>."""
    from archplan.generate.terraform import kind_module

    named = getattr(kind_module(component.kind), "created_names", None)
    return named(ctx, component) if named else [ctx.name(component)]


def private_pool_cost(ctx) -> str:
    """What the private pool costs: build minutes only, priced in the cost total when the plan states them."""
    from archplan.pricing.cloud_build import pipelines

    builds = ctx.of_kind("cloud_build")
    billed = (f"The private pool {code(ctx.private_build_pool)} is billed per build minute only (nothing while "
              "idle; https://cloud.google.com/build/pricing). ")
    if not builds:
        return billed + ("The plan has no cloud_build component, so no build minutes are priced: add one with "
                         "its build minutes a month to price them.")
    private, total = pipelines(ctx.plan.components)
    return billed + (f"The cost total splits `{builds[0].name}`'s build minutes evenly between the {total} "
                     f"pipelines and prices the {private} that run in the pool at its "
                     f"{builds[0].spec.machine_type} rate; the default pool's free minutes do not apply to them.")
