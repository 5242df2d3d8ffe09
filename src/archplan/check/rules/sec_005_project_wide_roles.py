"""generate gives every workload (Cloud Run service, function, job, GKE deployment with Workload Identity) a
service account of its own and grants it, per resource, what its depends_on needs (a secret, a topic, a
bucket, a service it invokes). What service_account_roles lists is granted on the whole project on top of
that; this rule flags what widens the account beyond its edges."""
from archplan.check.rules import Rule, components_of

RULE = Rule("SEC-005", "warning", "security", "service account granted a role on the whole project",
            "Each workload runs as its own service account with per-resource grants from its depends_on; a role "
            "in service_account_roles is granted on the whole project, so a basic role gives it every permission "
            "of that role across all services (https://cloud.google.com/iam/docs/understanding-roles: basic roles "
            "are highly permissive), and a role the edges already grant per resource reaches every other one.",
            "drop the role from service_account_roles and list what the workload uses in depends_on")

BASIC = ("roles/owner", "roles/editor", "roles/viewer")
# Roles generate grants on the one resource an edge names: what kind that edge goes to, and what the role
# then reaches when it is granted on the project instead.
PER_RESOURCE = {
    "roles/secretmanager.secretAccessor": (("secret_manager",), "every secret in the project"),
    "roles/pubsub.publisher": (("pubsub",), "every topic in the project"),
    "roles/pubsub.subscriber": (("pubsub",), "every subscription in the project"),
    "roles/storage.objectViewer": (("cloud_storage",), "every bucket in the project"),
    "roles/storage.objectCreator": (("cloud_storage",), "every bucket in the project"),
    "roles/storage.objectUser": (("cloud_storage",), "every bucket in the project"),
    "roles/storage.objectAdmin": (("cloud_storage",), "every bucket in the project"),
    "roles/run.invoker": (("cloud_run", "cloud_functions", "cloud_run_job"), "every Cloud Run service, job and "
                                                                            "function in the project"),
}


def identities(plan):
    """(component, key path to its service_account_roles, who it is, its roles, its edges) per identity
    generate makes."""
    for component in components_of(plan, "cloud_run", "cloud_functions", "cloud_run_job"):
        yield (component, ("service_account_roles",), component.name, component.spec.service_account_roles,
               component.spec.depends_on)
    for cluster in components_of(plan, "gke"):
        if not (cluster.spec.workload_identity or cluster.spec.mode == "autopilot"):
            continue  # pods run as the nodes' account (SEC-009), which gets no service_account_roles
        for index, deployment in enumerate(cluster.spec.deployments):
            edges = deployment.depends_on if deployment.depends_on is not None else cluster.spec.depends_on
            yield (cluster, ("deployments", index, "service_account_roles"), f"{cluster.name}/{deployment.name}",
                   deployment.service_account_roles, edges)


def scoped_edges(plan, edges, targets) -> list[str]:
    """The dependencies generate grants access to per resource: each of those kinds (a Secret Manager component
    only when it names its secrets, so that there are secrets to grant)."""
    by_name = {c.name: c for c in plan.components}
    found = []
    for dependency in edges:
        target = by_name.get(dependency.name)
        if target is None or target.kind not in targets:
            continue
        if target.kind == "secret_manager" and not isinstance(target.spec.secrets, list):
            continue
        found.append(target.name)
    return found


def check(plan):
    out = []
    for component, key, who, roles, depends_on in identities(plan):
        for role in roles:
            if role in BASIC:
                detail = (f"{who}: service_account_roles grants the basic role {role} on the whole project, every "
                          "permission it holds across all services.")
                fix = f"drop {role}; list the services {who} uses in depends_on, or name predefined roles"
            elif role in PER_RESOURCE:
                targets, reach = PER_RESOURCE[role]
                edges = scoped_edges(plan, depends_on, targets)
                scoped = (f"; its depends_on on {', '.join(edges)} already gives it the access it needs there, "
                          "granted on those resources only" if edges else "")
                detail = f"{who}: service_account_roles grants {role} on {reach}{scoped}."
                fix = (f"drop {role} from service_account_roles" + ("" if edges else
                       f" and add what {who} uses ({' or '.join(targets)}) to depends_on"))
            else:
                continue
            out.append(RULE.finding(plan, detail, component.name, key, fix=fix))
    return out
