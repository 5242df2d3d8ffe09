"""docker-compose.yml that starts the plan's dependencies locally, at the major versions the plan deploys:
PostgreSQL or MySQL per Cloud SQL instance, Redis per Memorystore instance, the Pub/Sub and Firestore
emulators, and fake-gcs-server for Cloud Storage. local.env holds the variables a service needs to use them
(the same names the deployed services get). Ports listen on 127.0.0.1 only."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import DB_PORTS, Context, env_key, slug
from archplan.escape import shell_value
from archplan.generate.yamldump import dump

TARGET = "compose"
ORDER = 5
FOLDER = "compose"
EMULATORS_IMAGE = "gcr.io/google.com/cloudsdktool/google-cloud-cli:emulators"
FAKE_GCS_IMAGE = "fsouza/fake-gcs-server:1.52.2"
CURL_IMAGE = "curlimages/curl:8.10.1"
LOCAL_PASSWORD = "${LOCAL_DB_PASSWORD:-local-only}"  # a local container's password, not the plan's
PUBSUB_PORT = 8085
FIRESTORE_PORT = 8086
GCS_PORT = 4443


def needed(ctx: Context) -> bool:
    return ctx.has("cloud_sql", "memorystore_redis", "pubsub", "cloud_storage", "firestore")


def database(ctx: Context, sql: Component, port: int) -> dict:
    version = ctx.sql_version(sql)
    name = ctx.database_name(sql)
    if sql.spec.engine == "postgres":
        return {
            "image": f"postgres:{version}-alpine",
            "environment": {"POSTGRES_DB": name, "POSTGRES_USER": ctx.database_user(sql),
                            "POSTGRES_PASSWORD": LOCAL_PASSWORD},
            "ports": [f"127.0.0.1:{port}:5432"],
            "volumes": [f"{slug(sql.name)}-data:/var/lib/postgresql/data"],
            "healthcheck": {"test": ["CMD-SHELL", f"pg_isready -U {ctx.database_user(sql)} -d {name}"],
                            "interval": "5s", "timeout": "5s", "retries": 10},
        }
    return {
        "image": f"mysql:{version}",
        "environment": {"MYSQL_DATABASE": name, "MYSQL_USER": ctx.database_user(sql),
                        "MYSQL_PASSWORD": LOCAL_PASSWORD, "MYSQL_RANDOM_ROOT_PASSWORD": "yes"},
        "ports": [f"127.0.0.1:{port}:3306"],
        "volumes": [f"{slug(sql.name)}-data:/var/lib/mysql"],
        "healthcheck": {"test": ["CMD-SHELL", "mysqladmin ping -h 127.0.0.1 --silent"],
                        "interval": "5s", "timeout": "5s", "retries": 20},
    }


def pubsub_setup(ctx: Context, topics: list[Component]) -> str:
    """Create the topics and subscriptions in the emulator (it starts empty; a rerun gets 409s, harmlessly). An
    export subscription is a pull one here, named as in Terraform: the emulator writes to no BigQuery or bucket."""
    base = f"http://pubsub:{PUBSUB_PORT}/v1/projects/{ctx.project_id}"
    lines = ["set -e"]
    for component in topics:
        count = ctx.subscriptions_per_topic(component)
        exported = count > 0 and ctx.export_target(component) is not None
        suffixes = [f"sub-{index}" for index in range(1, count + (0 if exported else 1))] + \
            (["export"] if exported else [])
        for topic in component.spec.topics:
            name = ctx.topic_name(topic)
            lines.append(f"curl -s -X PUT {base}/topics/{name}")
            for suffix in suffixes:
                lines.append(f"curl -s -X PUT {base}/subscriptions/{name}-{suffix} "
                             f"-H 'Content-Type: application/json' "
                             f"-d '{{\"topic\": \"projects/{ctx.project_id}/topics/{name}\"}}'")
    return "\n".join(lines) + "\n"


def render(ctx: Context, header: str) -> dict[str, str]:
    services: dict = {}
    volumes: dict = {}
    env: dict[str, str] = {"GOOGLE_CLOUD_PROJECT": ctx.project_id}
    for index, sql in enumerate(ctx.of_kind("cloud_sql")):
        port = DB_PORTS[sql.spec.engine] + index
        services[slug(sql.name)] = database(ctx, sql, port)
        volumes[f"{slug(sql.name)}-data"] = {}
        prefix = "DB_" if index == 0 else f"{env_key(sql.name)}_DB_"
        env.update({f"{prefix}HOST": "127.0.0.1", f"{prefix}PORT": str(port), f"{prefix}NAME": ctx.database_name(sql),
                    f"{prefix}USER": ctx.database_user(sql), f"{prefix}PASSWORD": "local-only"})
    for index, redis in enumerate(ctx.of_kind("memorystore_redis")):
        port = 6379 + index
        services[slug(redis.name)] = {
            "image": f"redis:{ctx.redis_version(redis)}-alpine",
            "ports": [f"127.0.0.1:{port}:6379"],
            "healthcheck": {"test": ["CMD", "redis-cli", "ping"], "interval": "5s", "timeout": "3s", "retries": 10},
        }
        prefix = "REDIS_" if index == 0 else f"{env_key(redis.name)}_REDIS_"
        env.update({f"{prefix}HOST": "127.0.0.1", f"{prefix}PORT": str(port)})
    topics = ctx.of_kind("pubsub")
    if topics:
        services["pubsub"] = {
            "image": EMULATORS_IMAGE,
            "command": ["gcloud", "beta", "emulators", "pubsub", "start", f"--host-port=0.0.0.0:{PUBSUB_PORT}",
                        f"--project={ctx.project_id}"],
            "ports": [f"127.0.0.1:{PUBSUB_PORT}:{PUBSUB_PORT}"],
            "healthcheck": {"test": ["CMD-SHELL", f"curl -sf http://localhost:{PUBSUB_PORT} || exit 1"],
                            "interval": "5s", "timeout": "3s", "retries": 20},
        }
        services["pubsub-setup"] = {
            "image": CURL_IMAGE,
            "depends_on": {"pubsub": {"condition": "service_healthy"}},
            "entrypoint": ["sh", "-c"],
            "command": [pubsub_setup(ctx, topics)],
            "restart": "no",
        }
        env["PUBSUB_EMULATOR_HOST"] = f"localhost:{PUBSUB_PORT}"
    if ctx.has("firestore"):
        services["firestore"] = {
            "image": EMULATORS_IMAGE,
            "command": ["gcloud", "emulators", "firestore", "start", f"--host-port=0.0.0.0:{FIRESTORE_PORT}",
                        f"--project={ctx.project_id}"],
            "ports": [f"127.0.0.1:{FIRESTORE_PORT}:{FIRESTORE_PORT}"],
        }
        env["FIRESTORE_EMULATOR_HOST"] = f"localhost:{FIRESTORE_PORT}"
    buckets = ctx.of_kind("cloud_storage")
    if buckets:
        services["gcs"] = {
            "image": FAKE_GCS_IMAGE,
            "command": ["-scheme", "http", "-port", str(GCS_PORT), "-public-host", f"localhost:{GCS_PORT}",
                        "-backend", "memory", "-data", "/data"],
            "ports": [f"127.0.0.1:{GCS_PORT}:{GCS_PORT}"],
            # Each folder under /data becomes a bucket of that name.
            "volumes": [f"./gcs/{ctx.bucket_name(b)}:/data/{ctx.bucket_name(b)}" for b in buckets],
        }
        env["STORAGE_EMULATOR_HOST"] = f"http://localhost:{GCS_PORT}"
        env.update({f"{env_key(b.name)}_BUCKET": ctx.bucket_name(b) for b in buckets})
    document: dict = {"name": f"{ctx.prefix}-local", "services": services}
    if volumes:
        document["volumes"] = volumes
    usage = ("# Start: docker compose -f compose/docker-compose.yml up -d; then run a service with\n"
             "# compose/local.env (e.g. set -a; . compose/local.env; set +a). Local only: the database password\n"
             "# is a throwaway (override with LOCAL_DB_PASSWORD), not the deployed one.\n")
    env_text = "".join(f"{key}={shell_value(value)}\n" for key, value in env.items())
    return {f"{FOLDER}/docker-compose.yml": header + usage + dump(document),
            f"{FOLDER}/local.env": header + env_text}
