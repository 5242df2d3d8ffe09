"""google_secret_manager_secret -> secret_manager components: the secret ids (without the name prefix the
configuration's names share, which generate adds back), their user-managed replica regions. Accesses are
usage. A secret whose value Terraform computes from another resource (a Cloud SQL user's generated password,
a CDN signing key, a Redis host) is not one the plan names: generate writes it again for the component it
serves, which owns it here (a Cloud SQL user's password by cloud_sql's mapper, others in `attach`)."""
from __future__ import annotations

from archplan.importers.google._base import MapContext, Mapped, group_name, literal_region, owned, placeholders
from archplan.importers.resources import TfResource
from archplan.naming import ident

RESOURCE_TYPES = ("google_secret_manager_secret",)
# What Terraform does not hold for this kind: field -> (the placeholder written, or None for "left out";
# what the figure is). The report lists them; the round-trip test removes them from the original plan.
USAGE = {"access_ops_per_month": (0, "secret accesses"), "rotations_per_month": (None, "rotations")}
SUPPORTING = ("google_secret_manager_secret_version",)
_VALUE_KEYS = ("secret_data", "secret_data_wo")


def password_secrets(ctx: MapContext, users: list[TfResource], keys=("password", "password_wo")) -> set[str]:
    """Base addresses of the secrets (and their versions) whose value is a random_password that sets one of
    these users' password (Cloud SQL users; an AlloyDB cluster, keys ("initial_user",))."""
    passwords = {ref for user in users for key in keys for ref in user.refs(key)
                 if "random_password" in ref.split(".")}
    found: set[str] = set()
    for version in ctx.of_type("google_secret_manager_secret_version"):
        if passwords & {ref for key in _VALUE_KEYS for ref in version.refs(key)}:
            secrets = {ref for ref in version.refs("secret") if ref.split(".")[-2] == "google_secret_manager_secret"}
            found |= secrets | ({version.base_address} if secrets else set())
    return found


def computed_secrets(ctx: MapContext) -> dict[str, set[str]]:
    """Secrets whose value Terraform computes: base address -> the references of its versions' values."""
    found: dict[str, set[str]] = {}
    for version in ctx.of_type("google_secret_manager_secret_version"):
        values = {ref for key in _VALUE_KEYS for ref in version.refs(key)}
        if values:
            for secret in version.refs("secret"):
                found.setdefault(secret, set()).update(values)
    return found


def attach(found: list[Mapped], all_mapped: list[Mapped], ctx: MapContext) -> None:
    """A computed secret (and its versions) goes to the component whose resource its value is read from,
    following references (a CDN key's secret reads the signed-URL key, which names the backend)."""
    for secret, values in computed_secrets(ctx).items():
        versions = {v.base_address for v in ctx.referrers({secret}, "google_secret_manager_secret_version")}
        if any(secret in m.owns for m in all_mapped):
            continue
        seen, frontier = set(), sorted(values)
        owner = None
        while frontier and owner is None:
            owner = next((m for ref in frontier for m in all_mapped if ref in m.owns), None)
            seen.update(frontier)
            frontier = sorted({r for ref in frontier for res in ctx.by_base.get(ref, []) for r in res.references}
                              - seen)
        if owner is None:
            _keep_as_plan_secret(secret, versions, found, all_mapped, ctx)
        else:
            owner.owns |= {secret} | versions
            ctx.notes.append(f"{secret}: its value is computed in Terraform from {owner.name}'s resources: not a "
                             f"secret of the plan (generate writes the secrets {owner.name} needs)")


def _keep_as_plan_secret(secret: str, versions: set[str], found: list[Mapped], all_mapped: list[Mapped],
                         ctx: MapContext) -> None:
    """A computed secret no imported component serves (a random value of its own) stays a secret the plan
    prices: one more in the first secret_manager component, or a component of its own."""
    resource = ctx.by_base[secret][0]
    secret_id = ctx.own_name(str(resource.get("secret_id") or resource.name))
    if found:
        target = found[0]
        listed = target.fields["secrets"]
        if isinstance(listed, list) and secret_id not in listed:
            target.fields["secrets"] = listed + [secret_id]
        else:  # a count, or an id listed already: the component counts its secrets
            target.fields["secrets"] = (len(listed) if isinstance(listed, list) else listed) + 1
        target.owns |= {secret} | versions
    else:
        names, name, number = {m.name for m in all_mapped}, "secrets", 1
        while name in names:
            number += 1
            name = f"secrets_{number}"
        target = Mapped(name, "secret_manager", {"secrets": [secret_id], "access_ops_per_month": 0},
                        {secret} | versions, resource, placeholders(USAGE))
        found.append(target)
        all_mapped.append(target)
    ctx.notes.append(f"{secret}: its value is computed in Terraform, from nothing an imported component holds: "
                     f"kept as a secret of {target.name}")


def _replicas(secret: TfResource) -> tuple[str, ...] | int:
    """A user-managed secret's replica regions (a count where a location is not a literal); () for automatic."""
    replicas = secret.blocks("replication", "user_managed", "replicas")
    regions = [literal_region(replica.get("location")) for replica in replicas]
    return tuple(regions) if all(regions) else len(replicas)


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    computed = computed_secrets(ctx)
    groups: dict[tuple, list[TfResource]] = {}
    for secret in resources:
        if secret.base_address in computed:
            continue
        module = secret.address.rsplit("google_secret_manager_secret.", 1)[0]
        # One component holds one replication: secrets kept in other regions are a component of their own.
        groups.setdefault((module, _replicas(secret)), []).append(secret)
    found = []
    for (_module, replicas), secrets in groups.items():
        ids = [ctx.own_name(str(s.get("secret_id") or s.name)) for s in secrets]
        fields: dict = {"secrets": ids if len(set(ids)) == len(ids) else len(ids)}
        if isinstance(replicas, tuple) and replicas:
            fields["replication_regions"] = list(replicas)
        elif isinstance(replicas, int) and replicas > 1:
            fields["replication_locations"] = replicas
        fields["access_ops_per_month"] = 0
        versions = ctx.referrers({s.base_address for s in secrets}, "google_secret_manager_secret_version")
        # generate labels each plan secret secret_<id>: the word is the generator's, and the component is `secrets`
        generated = all(s.name == f"secret_{ident(i)}" for s, i in zip(secrets, ids))
        name = "secrets" if generated else group_name(secrets, [i.replace("-", "_") for i in ids], "secrets")
        found.append(Mapped(name, "secret_manager", fields, owned(*secrets, *versions), secrets[0], placeholders(USAGE)))
    return found
