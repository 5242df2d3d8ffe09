"""runbooks/: one Markdown file per failure scenario (zone outage, region outage, bad deploy, data
corruption) for a plan that spans regions: what fails over by itself, what an operator promotes and in which
order, the commands with the generated names, how to verify and how to fail back.

Written only for plans with more than one region (or a turbo-replicated bucket), and only about what the plan
has. Every name comes from the generate context, every value in a command is shell-quoted, every value in
prose is Markdown code. It computes no figure: RTO and RPO are the `check` report's.
"""
from __future__ import annotations

import shlex

from archplan.components.base import Component
from archplan.generate.context import Context, cross_region_replicas, slug, zone_letters

TARGET = "runbooks"
ORDER = 8
FOLDER = "runbooks"
SCENARIOS = {"zone-outage": "Zone outage", "region-outage": "Region outage", "bad-deploy": "Bad deploy",
             "data-corruption": "Data corruption"}
CLUSTERS = ("memorystore_valkey", "memorystore_redis_cluster")
CRR_DOCS = {"memorystore_valkey": "https://cloud.google.com/memorystore/docs/valkey/create-manage-cross-region-replication",
            "memorystore_redis_cluster": "https://cloud.google.com/memorystore/docs/cluster/"
                                         "working-with-cross-region-replication"}


def needed(ctx: Context) -> bool:
    return ctx.multi_region or any(getattr(c.spec, "turbo_replication", False) for c in ctx.of_kind("cloud_storage"))


def code(text: str) -> str:
    from archplan.generate.readme import code as inline

    return inline(text)


def sh(*words: str) -> str:
    """One shell command, each word quoted when it needs it."""
    return " ".join(shlex.quote(word) for word in words)


def render(ctx: Context, header: str) -> dict[str, str]:
    top = [line.replace("# ", "<!-- ", 1) + " -->" if line.startswith("# ") else line
           for line in header.rstrip("\n").splitlines()]
    files = {}
    for key, title in SCENARIOS.items():
        body = globals()[key.replace("-", "_")](ctx)
        if body:
            files[f"{FOLDER}/{key}.md"] = "\n".join(top + ["", f"# {title}: {ctx.prefix}", "", *body, ""])
    return files


def scenario_files(ctx: Context) -> list[tuple[str, str]]:
    """(path, title) of the runbooks this plan gets, for the README's links."""
    return [(f"{FOLDER}/{key}.md", SCENARIOS[key]) for key in SCENARIOS
            if globals()[key.replace("-", "_")](ctx)]


# ----- names -----
def project(ctx: Context) -> str:
    return ctx.project_id


def sql_replicas(ctx: Context, sql: Component) -> list[tuple[str, str, object]]:
    """(GCP name, region, replica spec) of a Cloud SQL instance's cross-region replicas."""
    return [(f"{ctx.prefix}-{suffix}", replica.region, replica) for replica, _, suffix in cross_region_replicas(sql)]


def neg_name(ctx: Context, backend: Component) -> str:
    return f"{ctx.prefix}-{slug(backend.name)}-neg"


def serverless(ctx: Context) -> list[Component]:
    return [c for c in ctx.plan.components if c.kind in ("cloud_run", "cloud_functions")]


def block(*commands: str) -> list[str]:
    return ["```sh", *commands, "```"]


# ----- zone outage -----
def zone_outage(ctx: Context) -> list[str]:
    automatic, exposed, verify = [], [], []
    p = project(ctx)
    for c in ctx.plan.components:
        name, spec = ctx.name(c), c.spec
        if c.kind == "cloud_sql":
            if spec.ha:
                automatic.append(f"{code(name)} ({c.region}): the standby in a second zone takes over (REGIONAL "
                                 "availability); connections drop once and reconnect.")
            else:
                exposed.append(f"{code(name)} ({c.region}) is ZONAL: it is down until its zone returns. Restore its "
                               "latest backup into a new instance in another zone, or promote a cross-region "
                               "replica (region-outage.md) if the zone stays down.")
            verify.append(sh("gcloud", "sql", "instances", "describe", name, f"--project={p}",
                             "--format=value(state,gceZone,secondaryGceZone)"))
        elif c.kind in CLUSTERS:
            location = "--location" if c.kind == "memorystore_valkey" else "--region"
            group = ["memorystore", "instances"] if c.kind == "memorystore_valkey" else ["redis", "clusters"]
            if spec.zone_distribution == "multi_zone" and spec.replicas_per_shard > 0:
                automatic.append(f"{code(name)} ({c.region}): a replica in another zone becomes each lost primary "
                                 "node's successor.")
            else:
                exposed.append(f"{code(name)} ({c.region}) keeps its nodes in one zone or has no replicas: its data "
                               "in that zone is lost; the application must tolerate an empty cache.")
            verify.append(sh("gcloud", *group, "describe", name, f"{location}={c.region}", f"--project={p}"))
        elif c.kind == "memorystore_redis":
            if spec.tier == "standard":
                automatic.append(f"{code(name)} ({c.region}): Standard tier fails over to its replica in another zone "
                                 "(to fail over by hand, e.g. from a degraded zone: "
                                 f"{code(sh('gcloud', 'redis', 'instances', 'failover', name, f'--region={c.region}', f'--project={p}'))}).")
            else:
                exposed.append(f"{code(name)} ({c.region}) is Basic tier: one node, down (and empty) until its zone "
                               "returns.")
            verify.append(sh("gcloud", "redis", "instances", "describe", name, f"--region={c.region}",
                             f"--project={p}", "--format=value(state,currentLocationId)"))
        elif c.kind in ("cloud_run", "cloud_functions"):
            automatic.append(f"{code(name)} ({c.region}): serverless, spread over the region's zones by Google.")
        elif c.kind == "gke":
            if spec.location_type == "regional":
                automatic.append(f"{code(name)} ({c.region}): regional cluster; pods reschedule onto nodes in the "
                                 "other zones (if the node pools have room).")
            else:
                exposed.append(f"{code(name)} ({c.region}-{zone_letters(c.region)[0]}) is zonal: control plane and nodes are down with "
                               "the zone.")
        elif c.kind == "cloud_storage":
            automatic.append(f"{code(ctx.bucket_name(c))}: Cloud Storage keeps objects redundant across zones.")
    lines = ["A zone of one region fails. Nothing here needs a second region.", "",
             "## Fails over by itself", ""] + [f"- {item}" for item in automatic]
    if exposed:
        lines += ["", "## Not protected by the plan", ""] + [f"- {item}" for item in exposed]
    if verify:
        lines += ["", "## Verify", ""] + block(*verify)
    lines += ["", "## Fail back", "", "Nothing to do: zonal failovers return by themselves, or stay on the new "
              "zone (both are in the same region)."]
    return lines


# ----- region outage -----
def region_outage(ctx: Context) -> list[str]:
    if not ctx.multi_region:
        return []
    lines = ["A whole region is unavailable. The plan spans " + ", ".join(code(r) for r in ctx.regions) + ".", ""]
    designations = [sh("gcloud", "sql", "instances", "patch", ctx.name(sql), f"--failover-dr-replica-name={name}",
                       f"--project={project(ctx)}")
                    for sql in ctx.of_kind("cloud_sql") for name, _, replica in sql_replicas(ctx, sql)
                    if replica.dr_replica]
    if designations:
        lines += ["## Before an outage (once, after the first `terraform apply`)", "",
                  "Designate each database's DR replica (Cloud SQL advanced disaster recovery; Terraform leaves the "
                  "designation alone once it is set):", "", *block(*designations), ""]
    for lost in ctx.regions:
        lines += region_lost(ctx, lost)
    return lines


def region_lost(ctx: Context, lost: str) -> list[str]:
    p = project(ctx)
    survivors = [r for r in ctx.regions if r != lost]
    lines = [f"## If {lost} is lost", ""]
    steps: list[list[str]] = []
    promoted = False  # did a database or cache change roles (then failing back is a plan change)
    switchbacks: list[str] = []  # DR replicas failed over to: failing back is a switchover, no plan change
    lbs = [lb for lb in ctx.of_kind("load_balancer")
           if len({b.region for b in ctx.load_balancer_backends(lb) if b.kind in ("cloud_run", "cloud_functions")}) > 1]
    for lb in lbs:
        backends = [b for b in ctx.load_balancer_backends(lb) if b.kind in ("cloud_run", "cloud_functions")]
        primary = min(backends, key=lambda b: b.region != ctx.region)
        service = f"{ctx.prefix}-{slug(primary.name)}-backend"
        if lb.spec.failover == "active-passive" and lost == primary.region:
            commands = []
            for backend in backends:
                if backend.region in survivors:
                    commands.append(sh("gcloud", "compute", "backend-services", "add-backend", service, "--global",
                                       f"--network-endpoint-group={neg_name(ctx, backend)}",
                                       f"--network-endpoint-group-region={backend.region}", f"--project={p}"))
            commands.append(sh("gcloud", "compute", "backend-services", "remove-backend", service, "--global",
                               f"--network-endpoint-group={neg_name(ctx, primary)}",
                               f"--network-endpoint-group-region={primary.region}", f"--project={p}"))
            steps.append([f"Traffic (manual, active-passive): move load balancer {code(ctx.name(lb))} to the "
                          "surviving region's backend, then drop the lost one:", *block(*commands)])
        elif lb.spec.failover == "active-passive":
            steps.append([f"Traffic: nothing to do; load balancer {code(ctx.name(lb))} serves from "
                          f"{primary.region}, the passive regions are not serving."])
        else:
            steps.append([f"Traffic (automatic): load balancer {code(ctx.name(lb))} sends every client to the "
                          f"nearest healthy region; outlier detection ejects {lost}'s backend of {code(service)} "
                          "after 5 consecutive errors."])
    for sql in ctx.of_kind("cloud_sql"):
        replicas = sql_replicas(ctx, sql)
        if sql.region == lost and replicas:
            target = next(((n, r, s) for n, r, s in replicas if r in survivors), None)
            if target is None:
                continue
            name, region, replica = target
            patch = ["gcloud", "sql", "instances", "patch", name, f"--project={p}", "--backup-start-time=21:00"]
            if sql.spec.backups.pitr:
                patch.append("--enable-point-in-time-recovery" if sql.spec.engine == "postgres" else "--enable-bin-log")
            if sql.spec.ha and not replica.ha:
                patch.append("--availability-type=REGIONAL")
            if replica.dr_replica:
                # Replica failover keeps the pair: the old primary rejoins as the promoted one's replica.
                switchbacks.append(sh("gcloud", "sql", "instances", "switchover", ctx.name(sql), f"--project={p}"))
                steps.append([f"Database {code(sql.name)}: fail over to its DR replica {code(name)} in {region} "
                              "(advanced disaster recovery: it takes writes; when "
                              f"{lost} returns, {code(ctx.name(sql))} rejoins as its replica):",
                              *block(sh("gcloud", "sql", "instances", "promote-replica", name, "--failover",
                                        f"--project={p}", "--quiet"))])
            else:
                promoted = True
                who = ("your automation runs this (promotion: automatic in the plan; archplan writes no "
                       "automation)" if replica.promotion == "automatic" else "an operator runs this")
                steps.append([f"Database {code(sql.name)}: promote its replica {code(name)} in {region} ({who}; "
                              "it stops replicating and takes writes; the lost primary "
                              f"{code(ctx.name(sql))} must not take writes again):",
                              *block(sh("gcloud", "sql", "instances", "promote-replica", name, f"--project={p}", "--quiet"),
                                     sh(*patch))])
            rewire = sql_rewire(ctx, sql, f"{p}:{region}:{name}", survivors)
            if rewire:
                steps.append([f"Point the surviving services at {code(name)} (its connection name "
                              f"{code(f'{p}:{region}:{name}')}):", *block(*rewire)])
        elif sql.region != lost and any(r == lost for _, r, _ in replicas):
            lost_names = ", ".join(code(n) for n, r, _ in replicas if r == lost)
            steps.append([f"Database {code(sql.name)}: its primary in {sql.region} keeps serving; the replica "
                          f"{lost_names} in {lost} is down (no action; it catches up when the region returns)."])
        elif sql.region == lost:
            steps.append([f"Database {code(sql.name)} ({code(ctx.name(sql))}) has no replica outside {lost}: it is down "
                          "until the region returns, or restore a backup into another region:",
                          *block(sh("gcloud", "sql", "backups", "list", f"--instance={ctx.name(sql)}", f"--project={p}"))])
    for cache in ctx.of_kind(*CLUSTERS):
        secondaries = [(f"{ctx.prefix}-{suffix}", replica.region) for replica, _, suffix in cross_region_replicas(cache)]
        if cache.region == lost:
            target = next(((n, r) for n, r in secondaries if r in survivors), None)
            if target is None:
                steps.append([f"Cache {code(cache.name)} ({code(ctx.name(cache))}) has no secondary outside {lost}: the "
                              "services start with an empty cache once they are pointed at a new one."])
                continue
            name, region = target
            promoted = True
            if cache.kind == "memorystore_redis_cluster":
                # gcloud redis clusters detach runs on the secondary (the lost primary need not answer); switchover
                # (also on the secondary) keeps the others as its secondaries when both regions answer.
                steps.append([f"Cache {code(cache.name)}: detach its secondary {code(name)} in {region} so it takes "
                              "writes as an independent cluster (with both regions up, e.g. in a drill, "
                              f"{code(sh('gcloud', 'redis', 'clusters', 'switchover', name, f'--region={region}', f'--project={p}'))} "
                              f"instead makes it the primary and keeps {code(ctx.name(cache))} as its secondary; "
                              f"steps: {CRR_DOCS[cache.kind]}):",
                              *block(sh("gcloud", "redis", "clusters", "detach", name, f"--region={region}",
                                        f"--project={p}"))])
                steps.append([f"Point the surviving services at {code(name)}'s discovery endpoint:",
                              *block(*cache_rewire(ctx, cache, region, survivors))])
            else:  # the gcloud reference lists no detach or switchover under `gcloud memorystore instances`
                steps.append([f"Cache {code(cache.name)}: detach (or switch over to) its secondary {code(name)} in {region} so "
                              f"it takes writes (console: Memorystore, {code(ctx.name(cache))}, Secondary instances; "
                              f"steps: {CRR_DOCS[cache.kind]}). Then point the surviving services at its discovery "
                              "endpoint:", *block(*cache_rewire(ctx, cache, region, survivors))])
        elif any(r == lost for _, r in secondaries):
            steps.append([f"Cache {code(cache.name)}: its primary in {cache.region} keeps serving; the secondary in {lost} "
                          "is down (no action)."])
    for cache in ctx.of_kind("memorystore_redis"):
        if cache.region != lost:
            continue
        users = [w for w in ctx.workloads if cache in w.dependencies and w.component.region in survivors]
        if not users:
            continue
        steps.append(redis_rebuild(ctx, cache, lost, users))
        promoted = True
    for bucket in ctx.of_kind("cloud_storage"):
        if bucket.spec.location_type != "region":
            turbo = " with turbo replication (objects reach the second region within 15 minutes)" \
                if bucket.spec.turbo_replication else ""
            steps.append([f"Bucket {code(ctx.bucket_name(bucket))} is {bucket.spec.location_type} "
                          f"({bucket.spec.placement}){turbo}: it keeps serving from the other region by itself."])
        elif (bucket.spec.location or ctx.region) == lost:
            steps.append([f"Bucket {code(ctx.bucket_name(bucket))} is in {lost} only: its objects are unavailable "
                          "until the region returns."])
    for workload in serverless(ctx):
        if workload.region == lost and not lbs:
            steps.append([f"{code(workload.name)} ({code(ctx.name(workload))}) runs only in {lost} and no load balancer "
                          "spreads it: it is down until the region returns."])
    if not steps:
        steps.append([f"Nothing of the plan runs in {lost} alone."])
    for number, step in enumerate(steps, 1):
        lines.append(f"{number}. {step[0]}")
        lines += [f"   {line}" if line else "" for line in step[1:]]
    lines += ["", "Verify:", ""]
    checks = [sh("gcloud", "sql", "instances", "describe", n, f"--project={p}", "--format=value(state,instanceType)")
              for sql in ctx.of_kind("cloud_sql") if sql.region == lost
              for n, r, _ in sql_replicas(ctx, sql) if r in survivors][:1]
    for lb in lbs:
        for domain in lb.spec.domains[:1]:
            checks.append(sh("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}\\n", f"https://{domain}/"))
    checks.append(sh("gcloud", "run", "services", "list", f"--project={p}"))
    lines += block(*checks)
    if switchbacks:
        lines += ["", f"Fail back the databases that failed over to their DR replica (when {lost} returns and the old "
                  "primary shows as a replica again): a switchover reverses the roles with no data loss and puts "
                  "the plan's primary back, so the Terraform files match again; then `terraform apply` points the "
                  "services back at it:", "", *block(*switchbacks)]
    if not promoted:
        lines += ["", f"Fail back (when {lost} returns): nothing {'else ' if switchbacks else ''}was promoted. Its "
                  "replicas and secondaries resume replicating by themselves; its services rejoin the load balancer "
                  "once they answer again.", ""]
        return lines
    lines += ["", f"Fail back (when {lost} returns): the old primaries are stale; never write to them again. Make "
              "the promoted copies the plan's primaries (set their regions in the plan, list the old region under "
              "cross_region_replicas), run `archplan generate`, move the Terraform state of the promoted "
              "instances to the primaries' addresses (`terraform state mv`), and apply: Terraform creates fresh "
              f"replicas in {lost}. Until then, do not run `terraform apply` from the old files: they would point "
              "the services back at the lost primaries.", ""]
    return lines


# What the services read of a Memorystore for Redis instance (generate/links.py), by the instance's Terraform
# attribute: the shell variable a runbook reads it into and its gcloud `describe` field.
REDIS_READS = {"host": ("HOST", "host"), "port": ("PORT", "port"),
               "server_ca_certs[0].cert": ("CA", "serverCaCerts[0].cert")}


def redis_rebuild(ctx: Context, cache: Component, lost: str, users: list) -> list[str]:
    """The step for a single-region Memorystore for Redis in the lost region (it has no cross-region replica):
    create it where its first surviving user runs, then give the surviving Cloud Run services its host, port,
    CA and AUTH string, which are the new instance's own."""
    from archplan.generate import links
    from archplan.generate.context import ident

    p = project(ctx)
    spec = cache.spec
    region = users[0].component.region
    name = f"{ctx.name(cache)}-{region}"
    create = ["gcloud", "redis", "instances", "create", name, f"--region={region}", f"--size={int(spec.capacity_gb)}",
              f"--tier={spec.tier}", f"--redis-version=redis_{ctx.redis_version(cache).replace('.', '_')}",
              f"--network=projects/{p}/global/networks/{ctx.prefix}-vpc", "--connect-mode=private-service-access"]
    if spec.auth_enabled:
        create.append("--enable-auth")
    if spec.transit_encryption:
        create.append("--transit-encryption-mode=server-authentication")
    wanted, updates = {}, []
    for workload in (w for w in users if w.kind == "cloud_run"):
        names = {}
        for link in links.linked_env(ctx, workload):
            reference = str(link.terraform).replace("tostring(", "").rstrip(")")
            for attribute, (shell, field) in REDIS_READS.items():
                if link.name not in workload.fields.env \
                        and reference == f"google_redis_instance.{ident(cache.name)}.{attribute}":
                    names[link.name] = shell
                    wanted[shell] = field
        if names:
            updates.append(sh("gcloud", "run", "services", "update", ctx.name(workload.component),
                              f"--region={workload.component.region}", f"--project={p}")
                           + " --update-env-vars=" + ",".join(f'{env}="${shell}"' for env, shell in names.items()))
    reads = [f"{shell}=$(" + sh("gcloud", "redis", "instances", "describe", name, f"--region={region}", f"--project={p}",
                                f"--format=value({field})") + ")" for shell, field in wanted.items()]
    if spec.auth_enabled:  # the new instance has an AUTH string of its own: the services read it from the secret
        reads.append(sh("gcloud", "redis", "instances", "get-auth-string", name, f"--region={region}", f"--project={p}",
                        "--format=value(authString)") + " | "
                     + sh("gcloud", "secrets", "versions", "add", f"{ctx.name(cache)}-auth", "--data-file=-",
                          f"--project={p}"))
    lost_data = ("its RDB snapshots are in the lost region: it starts empty" if spec.rdb_snapshot_period
                 else "a cache: it starts empty and refills from the source of truth")
    gke = "" if all(w.kind == "cloud_run" for w in users) else " (GKE workloads: set REDIS_HOST in their manifests)"
    return [f"Cache {code(cache.name)} ({code(ctx.name(cache))}) is in {lost} only (Memorystore for Redis has no "
            f"cross-region replica): create one in {region} ({lost_data}) and point the surviving services at it"
            f"{gke}:", *block(sh(*create, f"--project={p}"), *reads, *updates)]


def cache_output(cache: Component, region: str) -> str:
    for replica, address, _ in cross_region_replicas(cache):
        if replica.region == region:
            return f"{address}_discovery_address"
    return ""


def cache_rewire(ctx: Context, cache: Component, region: str, survivors: list[str]) -> list[str]:
    """Shell lines that read the secondary's discovery endpoint and give it to the surviving Cloud Run
    services that use the cache."""
    from archplan.generate import links

    lines = ["HOST=$(" + sh("terraform", "-chdir=terraform", "output", "-raw", cache_output(cache, region)) + ")"]
    for workload in ctx.workloads:
        if workload.kind != "cloud_run" or workload.component.region not in survivors \
                or cache not in workload.dependencies:
            continue
        hosts = [link.name for link in links.linked_env(ctx, workload)
                 if link.literal is None and link.name.endswith("HOST") and link.name not in workload.fields.env
                 and str(link.terraform).startswith(f"{cache_resource(cache)}.")]
        if hosts:
            lines.append(sh("gcloud", "run", "services", "update", ctx.name(workload.component),
                            f"--region={workload.component.region}", f"--project={ctx.project_id}") +
                         " --update-env-vars=" + ",".join(f'{name}="$HOST"' for name in hosts))
    return lines


def cache_resource(cache: Component) -> str:
    from archplan.generate.context import ident
    from archplan.generate.terraform._memorystore_cluster import RESOURCES

    return f"{RESOURCES[cache.kind]}.{ident(cache.name)}"


def sql_rewire(ctx: Context, sql: Component, connection: str, survivors: list[str]) -> list[str]:
    """gcloud commands that move the surviving Cloud Run services to the promoted instance: their Cloud SQL
    mount and every environment variable that carried the old connection name."""
    from archplan.generate import links

    commands = []
    old = ctx.sql_connection_name(sql)
    for workload in ctx.workloads:
        if workload.kind != "cloud_run" or workload.component.region not in survivors or sql not in workload.dependencies:
            continue
        updated = [f"{link.name}={link.literal.replace(old, connection)}" for link in links.linked_env(ctx, workload)
                   if link.literal and old in link.literal and link.name not in workload.fields.env]
        command = ["gcloud", "run", "services", "update", ctx.name(workload.component),
                   f"--region={workload.component.region}", f"--project={ctx.project_id}",
                   f"--set-cloudsql-instances={connection}"]
        if updated:
            command.append("--update-env-vars=" + ",".join(updated))
        commands.append(sh(*command))
    return commands


# ----- bad deploy -----
def bad_deploy(ctx: Context) -> list[str]:
    if not ctx.workloads:
        return []
    p = project(ctx)
    lines = ["A release misbehaves. Roll it back in every region it was deployed to (each region's service is "
             "its own), then fix forward.", ""]
    for workload in ctx.workloads:
        component = workload.component
        if workload.kind == "cloud_run":
            name = ctx.name(component)
            lines += [f"## {code(workload.name)} ({component.region})", "",
                      *block(sh("gcloud", "run", "revisions", "list", f"--service={name}", f"--region={component.region}",
                                f"--project={p}"),
                             sh("gcloud", "run", "services", "update-traffic", name, f"--region={component.region}",
                                f"--project={p}", "--to-revisions=PREVIOUS_REVISION=100")),
                      "", "Replace PREVIOUS_REVISION with the last good revision from the list. Verify:", "",
                      *block(sh("gcloud", "run", "services", "describe", name, f"--region={component.region}",
                                f"--project={p}", "--format=value(status.traffic)")), ""]
        elif workload.kind == "cloud_functions":
            lines += [f"## {code(workload.name)} ({component.region})", "",
                      "Copy the previous generation of its source archive over the current one and rerun its "
                      f"pipeline ({code(f'cloudbuild/{slug(workload.key)}.yaml')}):", "",
                      *block(sh("gcloud", "storage", "ls", "--all-versions",
                                f"gs://{ctx.bucket_prefix}-function-sources/{workload.name}/source.zip")), ""]
        else:
            lines += [f"## {code(workload.name)} (GKE {code(ctx.name(component))}, {component.region})", "",
                      *block(sh("kubectl", "rollout", "undo", f"deployment/{slug(workload.name)}",
                                "-n", ctx.namespace(component)),
                             sh("kubectl", "rollout", "status", f"deployment/{slug(workload.name)}",
                                "-n", ctx.namespace(component))), ""]
    lines += ["Fail back: once the fix is released, send traffic to the latest revision again "
              "(`gcloud run services update-traffic NAME --to-latest`, per region)."]
    return lines


# ----- data corruption -----
def data_corruption(ctx: Context) -> list[str]:
    p = project(ctx)
    lines = ["Bad data was written (a faulty release, an operator's mistake). Replicas copy it within seconds: "
             "a cross-region replica or a turbo-replicated bucket is not a backup. Recover from a point in time "
             "before the damage.", ""]
    found = False
    for sql in ctx.of_kind("cloud_sql"):
        found = True
        name = ctx.name(sql)
        lines += [f"## Database {code(sql.name)} ({code(name)})", ""]
        if sql.spec.backups.pitr:
            lines += [f"Point-in-time recovery is on (logs kept {sql.spec.backups.log_retention_days} days): clone "
                      "the instance as it was just before the damage, check it, then move the services to it "
                      "(or copy the damaged rows back).", "",
                      *block(sh("gcloud", "sql", "instances", "clone", name, f"{name}-restored",
                                "--point-in-time=YYYY-MM-DDTHH:MM:SSZ", f"--project={p}"))]
        elif sql.spec.backups.enabled:
            lines += [f"No point-in-time recovery: restore the last backup before the damage (the plan keeps "
                      f"{sql.spec.backups.retained_backups}); writes after it are lost.", "",
                      *block(sh("gcloud", "sql", "backups", "list", f"--instance={name}", f"--project={p}"),
                             sh("gcloud", "sql", "backups", "restore", "BACKUP_ID", f"--restore-instance={name}",
                                f"--project={p}"))]
        else:
            lines += ["Backups are off in the plan: there is nothing to restore from."]
        if sql.spec.cross_region_replicas:
            lines += ["", "After a restore over the primary, its cross-region replicas are rebuilt: recreate them "
                          "with `terraform apply -replace` on each replica's address."]
        lines.append("")
    for bucket in ctx.of_kind("cloud_storage"):
        found = True
        name = ctx.bucket_name(bucket)
        lines += [f"## Bucket {code(name)}", ""]
        if bucket.spec.versioning:
            lines += ["Versioning is on: list an object's generations and copy the good one over the current.", "",
                      *block(sh("gcloud", "storage", "ls", "--all-versions", f"gs://{name}/OBJECT"),
                             sh("gcloud", "storage", "cp", f"gs://{name}/OBJECT#GENERATION", f"gs://{name}/OBJECT"))]
        else:
            lines += ["Versioning is off in the plan: an overwritten object cannot be recovered; a deleted one only "
                      "within the bucket's soft-delete window:", "",
                      *block(sh("gcloud", "storage", "ls", "--soft-deleted", f"gs://{name}/OBJECT"),
                             sh("gcloud", "storage", "restore", f"gs://{name}/OBJECT#GENERATION"))]
        lines.append("")
    for cache in ctx.of_kind("memorystore_redis", *CLUSTERS):
        found = True
        lines += [f"## Cache {code(ctx.name(cache))}", "", "A cache is rebuilt, not restored: flush the damaged "
                  "keys (or the whole keyspace) and let the services refill it from the database.", ""]
    if not found:
        return []
    lines += ["Verify: query the restored copy before moving any traffic to it. Fail back: none; the restored "
              "copy becomes the data of record (update the plan if an instance name changed)."]
    return lines
