"""google_secret_manager_secret -> one secret_manager component per module: the secret ids, replication
locations. Accesses are usage."""
from __future__ import annotations

from archplan.importers.google._base import MapContext, Mapped, placeholders, group_name, owned
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_secret_manager_secret",)
# What Terraform does not hold for this kind: field -> (the placeholder written, or None for "left out";
# what the figure is). The report lists them; the round-trip test removes them from the original plan.
USAGE = {"access_ops_per_month": (0, "secret accesses"), "rotations_per_month": (None, "rotations")}
SUPPORTING = ("google_secret_manager_secret_version",)


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    modules: dict[str, list[TfResource]] = {}
    for secret in resources:
        modules.setdefault(secret.address.rsplit("google_secret_manager_secret.", 1)[0], []).append(secret)
    found = []
    for secrets in modules.values():
        from archplan.spec.names import normal

        # The generated Cloud SQL password secret (`<prefix>-db-password`) and a plan secret DB_PASSWORD are
        # one generated name; keep the first spelling, as a plan may not list both.
        ids = list({normal(i): i for i in reversed([str(s.get("secret_id") or s.name) for s in secrets])}.values())[::-1]
        fields: dict = {"secrets": ids if len(set(ids)) == len(ids) else len(ids)}
        replicas = [len(s.blocks("replication", "user_managed", "replicas")) for s in secrets]
        if replicas and max(replicas) > 1:
            fields["replication_locations"] = max(replicas)
        fields["access_ops_per_month"] = 0
        versions = ctx.referrers({s.base_address for s in secrets}, "google_secret_manager_secret_version")
        name = group_name(secrets, [i.replace("-", "_") for i in ids], "secrets")
        found.append(Mapped(name, "secret_manager", fields, owned(*secrets, *versions), secrets[0], placeholders(USAGE)))
    return found
