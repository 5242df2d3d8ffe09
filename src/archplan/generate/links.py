"""Environment variables a workload gets from what it depends on (the database it uses, its buckets...).

One small function per kind, in a registry: each returns `EnvLink`s holding the value both as a literal
(for the Cloud Run YAML and Kubernetes manifests) and as a Terraform expression. The plan's own `env` wins
over any of these.
"""
from __future__ import annotations

from dataclasses import dataclass

from archplan.components.base import Component
from archplan.generate.context import DB_PORTS, Context, Workload, env_key, ident, slug
from archplan.generate.hcl import Expr, Tpl


@dataclass(frozen=True)
class EnvLink:
    name: str
    literal: str | None  # None: only known once Terraform has applied (e.g. a Redis host)
    terraform: object  # an hcl value
    secret: str | None = None  # a Secret Manager secret id: the value is read from it
    secret_terraform: object = None  # the secret's Terraform reference
    # Only known after apply and not secret (a Redis host, its CA): Terraform also writes it to this Secret
    # Manager secret, so manifests written now can mount it. (secret id, Terraform name of the secret)
    published: tuple[str, str] | None = None


def _cloud_sql(ctx: Context, sql: Component, workload: Workload, prefix: str) -> list[EnvLink]:
    res = f"google_sql_database_instance.{ident(sql.name)}"
    links = [EnvLink(f"{prefix}INSTANCE_CONNECTION_NAME", ctx.sql_connection_name(sql), Expr(f"{res}.connection_name"))]
    if workload.kind == "cloud_run":
        links.append(EnvLink(f"{prefix}HOST", f"/cloudsql/{ctx.sql_connection_name(sql)}",
                             Tpl(f"/cloudsql/${{{res}.connection_name}}")))
    elif workload.kind == "gke":
        links.append(EnvLink(f"{prefix}HOST", "127.0.0.1", "127.0.0.1"))  # the Cloud SQL proxy sidecar
    # Functions connect with a Cloud SQL language connector, from the connection name.
    links += [
        EnvLink(f"{prefix}PORT", str(DB_PORTS[sql.spec.engine]), str(DB_PORTS[sql.spec.engine])),
        EnvLink(f"{prefix}NAME", ctx.database_name(sql), ctx.database_name(sql)),
        EnvLink(f"{prefix}USER", ctx.database_user(sql), ctx.database_user(sql)),
        EnvLink(f"{prefix}PASSWORD", None, None, ctx.database_password_secret(sql),
                Expr(f"google_secret_manager_secret.{ident(sql.name)}_password.secret_id")),
    ]
    return links


def _redis(ctx: Context, redis: Component, workload: Workload, prefix: str) -> list[EnvLink]:
    res = f"google_redis_instance.{ident(redis.name)}"
    name = ident(redis.name)
    links = [EnvLink(f"{prefix}HOST", None, Expr(f"{res}.host"), published=(f"{ctx.name(redis)}-host", f"{name}_host")),
             # The port is the instance's own (it differs with in-transit encryption), read like the host.
             EnvLink(f"{prefix}PORT", None, Expr(f"tostring({res}.port)"), published=(f"{ctx.name(redis)}-port", f"{name}_port"))]
    if redis.spec.transit_encryption:
        # TLS with server authentication: clients verify the instance's own CA.
        links.append(EnvLink(f"{prefix}TLS", "true", "true"))
        links.append(EnvLink(f"{prefix}CA_CERT", None, Expr(f"{res}.server_ca_certs[0].cert"),
                             published=(f"{ctx.name(redis)}-ca", f"{name}_ca")))
    if redis.spec.auth_enabled:
        links.append(EnvLink(f"{prefix}AUTH", None, None, f"{ctx.name(redis)}-auth",
                             Expr(f"google_secret_manager_secret.{ident(redis.name)}_auth.secret_id")))
    return links


def _cluster(ctx: Context, cluster: Component, workload: Workload, prefix: str) -> list[EnvLink]:
    """Valkey and Redis Cluster clients discover the shards from the discovery endpoint."""
    from archplan.generate.terraform._memorystore_cluster import discovery_address, server_ca

    address, port = discovery_address(cluster)
    links = [EnvLink(f"{prefix}HOST", None, Expr(address),
                     published=(f"{ctx.name(cluster)}-host", f"{ident(cluster.name)}_host")),
             EnvLink(f"{prefix}PORT", "6379", Expr(port)),
             EnvLink(f"{prefix}CLUSTER_MODE", "true", "true")]
    if cluster.spec.transit_encryption:
        # TLS with server authentication: clients verify the instance's own (Google-managed) CA.
        links += [EnvLink(f"{prefix}TLS", "true", "true"),
                  EnvLink(f"{prefix}CA_CERT", None, Expr(server_ca(cluster)),
                          published=(f"{ctx.name(cluster)}-ca", f"{ident(cluster.name)}_ca"))]
    return links


def _alloydb(ctx: Context, db: Component, workload: Workload, prefix: str) -> list[EnvLink]:
    """The primary instance's private IP (known once Terraform has applied), PostgreSQL's port, the database
    and the cluster's application user with its generated password (read from Secret Manager, as Cloud SQL's
    is); clients connect with TLS (the instances accept nothing else)."""
    return [EnvLink(f"{prefix}HOST", None, Expr(f"google_alloydb_instance.{ident(db.name)}_primary.ip_address"),
                    published=(f"{ctx.name(db)}-host", f"{ident(db.name)}_host")),
            EnvLink(f"{prefix}PORT", "5432", "5432"),
            # PostgreSQL's own database, which every cluster has (initdb creates it:
            # https://www.postgresql.org/docs/current/app-initdb.html); the plan names none for AlloyDB, and a
            # client naming none would ask for a database named after its user
            EnvLink(f"{prefix}NAME", "postgres", "postgres"),
            EnvLink(f"{prefix}USER", ctx.database_user(db), ctx.database_user(db)),
            EnvLink(f"{prefix}PASSWORD", None, None, ctx.database_password_secret(db),
                    Expr(f"google_secret_manager_secret.{ident(db.name)}_password.secret_id"))]


def _spanner(ctx: Context, db: Component, workload: Workload, prefix: str) -> list[EnvLink]:
    """The instance and database the client libraries open; they authenticate as the workload's account
    (roles/spanner.databaseUser on the database)."""
    res = f"google_spanner_instance.{ident(db.name)}"
    return [EnvLink(f"{prefix}INSTANCE", ctx.name(db), Expr(f"{res}.name")),
            EnvLink(f"{prefix}DATABASE", db.spec.database, Expr(f"google_spanner_database.{ident(db.name)}.name"))]


def _vector_search(ctx: Context, index: Component, workload: Workload, prefix: str) -> list[EnvLink]:
    """What a Vector Search client opens: the PSC endpoint's address in the VPC (known once Terraform has applied),
    the index endpoint and the deployed index's id."""
    name = ident(index.name)
    return [EnvLink(f"{prefix}ADDRESS", None, Expr(f"google_compute_address.{name}_psc.address"),
                    published=(f"{ctx.name(index)}-address", f"{name}_address")),
            EnvLink(f"{prefix}INDEX_ENDPOINT", None, Expr(f"google_vertex_ai_index_endpoint.{name}.id"),
                    published=(f"{ctx.name(index)}-index_endpoint", f"{name}_index_endpoint")),
            EnvLink(f"{prefix}DEPLOYED_INDEX_ID", name, name)]


def _tasks(ctx: Context, queues: Component, workload: Workload, prefix: str) -> list[EnvLink]:
    """An enqueuer gets each queue's full name (<QUEUE>_QUEUE, what CreateTask takes) and the account its tasks
    are signed as (<NAME>_TASKS_SERVICE_ACCOUNT). Not the target's URL: that would read as a call of its own."""
    from archplan.generate.terraform.cloud_tasks import invoker_key, queue_names, queue_ref, task_targets

    region = queues.region
    found = [EnvLink(f"{env_key(name)}_QUEUE", f"projects/{ctx.project_id}/locations/{region}/queues/"
                     f"{ctx.prefix}-{slug(name)}", Expr(f"google_cloud_tasks_queue.{queue_ref(queues, name)}.id"))
             for name in queue_names(queues)]
    targets = task_targets(ctx, queues)
    if targets:
        key = invoker_key(queues)
        # the email written out, not the account's attribute: import would read the enqueuer as owning it
        found.append(EnvLink(f"{env_key(queues.name)}_TASKS_SERVICE_ACCOUNT", ctx.service_account_email(key),
                             Tpl(f"{ctx.service_account_id(key)}@${{var.project_id}}.iam.gserviceaccount.com")))
    return found


def _firestore(ctx: Context, database: Component, workload: Workload, prefix: str) -> list[EnvLink]:
    """A named database's id (<PREFIX>DATABASE): the client libraries open `(default)` unless told."""
    database_id = ctx.firestore_database_id(database)
    if database_id == "(default)":
        return []
    return [EnvLink(f"{prefix}DATABASE", database_id, Expr(f"google_firestore_database.{ident(database.name)}.name"))]


def _bucket(ctx: Context, bucket: Component, workload: Workload, prefix: str) -> list[EnvLink]:
    return [EnvLink(f"{env_key(bucket.name)}_BUCKET", ctx.bucket_name(bucket),
                    Expr(f"google_storage_bucket.{ident(bucket.name)}.name"))]


def _pubsub(ctx: Context, queue: Component, workload: Workload, prefix: str) -> list[EnvLink]:
    """A publisher gets each topic's name (<TOPIC>_TOPIC); a puller gets the subscription it reads
    (<TOPIC>_SUBSCRIPTION) where the topic has exactly one the workload could mean (an export subscription is
    Pub/Sub's own, not one of them)."""
    from archplan.generate.terraform.pubsub import subscription_ref, topic_ref

    access = workload.access.get(queue.name, "read-write")
    found = []
    for topic in queue.spec.topics:
        ref = topic_ref(queue, topic)
        if access in ("write", "read-write"):
            found.append(EnvLink(f"{env_key(topic)}_TOPIC", f"{ctx.prefix}-{slug(topic)}",
                                 Expr(f"google_pubsub_topic.{ref}.name")))
        if access in ("read", "read-write") and ctx.push_target(queue) is None \
                and ctx.standard_subscription_count(queue, topic) == 1:
            found.append(EnvLink(f"{env_key(topic)}_SUBSCRIPTION", f"{ctx.prefix}-{slug(topic)}-sub-1",
                                 Expr(f"google_pubsub_subscription.{subscription_ref(queue, topic, 1)}.name")))
    return found


def _job(ctx: Context, job: Component, workload: Workload, prefix: str) -> list[EnvLink]:
    """A job it starts: <NAME>_JOB, the job's full name (what RunJob takes)."""
    return [EnvLink(f"{env_key(job.name)}_JOB", f"projects/{ctx.project_id}/locations/{job.region}/jobs/{ctx.name(job)}",
                    Expr(f"google_cloud_run_v2_job.{ident(job.name)}.id"))]


def _kms(ctx: Context, keys: Component, workload: Workload, prefix: str) -> list[EnvLink]:
    """Each key of a key ring it uses (the generated IAM grants it every one): <KEY>_KMS_KEY, the key's
    resource name, which holds the prefixed key ring's name."""
    from archplan.generate.terraform.cloud_kms import key_ref

    ring = f"{ctx.prefix}-{slug(keys.spec.key_ring or keys.name)}"
    return [EnvLink(f"{env_key(key.name)}_KMS_KEY",
                    f"projects/{ctx.project_id}/locations/{keys.region}/keyRings/{ring}/cryptoKeys/{slug(key.name)}",
                    Expr(f"google_kms_crypto_key.{key_ref(keys, key)}.id")) for key in keys.spec.keys]


def _service(ctx: Context, service: Component, workload: Workload, prefix: str) -> list[EnvLink]:
    """A service it calls: <NAME>_URL, known once Terraform has applied (the run.app URL holds the project
    number); the Cloud Run YAML lists it to fill in."""
    from archplan.generate.terraform._workloads import SERVICE_URLS

    return [EnvLink(f"{env_key(service.name)}_URL", None, Expr(SERVICE_URLS[service.kind].format(ident(service.name))))]


LINKS = {"cloud_sql": (_cloud_sql, "DB_"), "memorystore_redis": (_redis, "REDIS_"),
         "memorystore_valkey": (_cluster, "VALKEY_"), "memorystore_redis_cluster": (_cluster, "REDIS_"),
         "alloydb": (_alloydb, "ALLOYDB_"), "spanner": (_spanner, "SPANNER_"),
         "vector_search": (_vector_search, "VECTOR_SEARCH_"), "cloud_storage": (_bucket, ""),
         "pubsub": (_pubsub, ""), "cloud_tasks": (_tasks, ""), "cloud_run": (_service, ""),
         "cloud_functions": (_service, ""), "cloud_kms": (_kms, ""), "firestore": (_firestore, "FIRESTORE_"),
         "cloud_run_job": (_job, "")}


def linked_env(ctx: Context, workload: Workload) -> list[EnvLink]:
    """The variables the workload's dependencies give it, minus those its own env sets."""
    found: list[EnvLink] = []
    seen_kinds: set[str] = set()
    for dependency in workload.dependencies:
        entry = LINKS.get(dependency.kind)
        if entry is None:
            continue
        function, base = entry
        # The first database is DB_*, a second one <NAME>_DB_*.
        prefix = base if dependency.kind not in seen_kinds else f"{env_key(dependency.name)}_{base}"
        seen_kinds.add(dependency.kind)
        found.extend(function(ctx, dependency, workload, prefix))
    own = set(getattr(workload.fields, "env", {}))  # a VM has no env of its own
    return [link for link in found if link.name not in own]
