"""google_sql_database_instance -> cloud_sql: engine and version, edition, tier, disk, HA, backups, private IP,
flags, databases; instances with master_instance_name are counted as the primary's read replicas."""
from __future__ import annotations

import re

from archplan.components.cloud_sql import DATABASE_NAME
from archplan.importers.google._base import (MapContext, Mapped, enabled, invalid, label_name, literal_region,
                                             number, owned)
from archplan.importers.google.secret_manager import password_secrets
from archplan.importers.resources import TfResource

RESOURCE_TYPES = ("google_sql_database_instance",)
# What Terraform does not hold for this kind: field -> (the placeholder written, or None for "left out";
# what the figure is). The report lists them; the round-trip test removes them from the original plan.
USAGE = {"data_gb": (None, "data stored (storage_gb, the disk, is read)"), "backups.storage_gb": (None, "backup storage"), "commitment": (None, "committed-use discounts are bought outside Terraform")}
SUPPORTING = ("google_sql_database", "google_sql_user", "google_sql_ssl_cert", "random_password")
ENGINES = {"POSTGRES": "postgres", "MYSQL": "mysql"}


def _engine(version: str | None) -> tuple[str | None, str | None]:
    match = re.fullmatch(r"(POSTGRES|MYSQL)_(\d+)(?:_(\d+))?", version or "")
    if not match:
        return None, None
    major = match.group(2) + (f".{match.group(3)}" if match.group(3) else "")
    return ENGINES[match.group(1)], major


def _masters(resources: list[TfResource], ctx: MapContext) -> dict[str, TfResource]:
    """Replica address -> the instance it replicates: the one its master_instance_name names (a reference,
    else the name), else the one instance it refers to at all. References through a module's inputs reach every
    resource of the module: a replica of a replica (a cross-region one's own replica) refers to both."""
    by_base = {r.base_address: r for r in resources}
    found = {}
    for replica in resources:
        if replica.values.get("master_instance_name") is None:
            continue
        named = replica.values.get("master_instance_name")
        candidates = [by_base[a] for a in sorted(replica.refs("master_instance_name")) if a in by_base] or \
            [r for r in resources if isinstance(named, str) and r.values.get("name") == named] or \
            [by_base[a] for a in sorted(replica.references) if a in by_base]
        # the nearest: one whose own master is among the others (pg2's replica: pg2, not pg1)
        nearest = [c for c in candidates if c is not replica and not any(
            c.base_address in other.references for other in candidates if other is not c)]
        master = (nearest or [c for c in candidates if c is not replica] or [None])[0]
        if master is not None:
            found[replica.address] = master
    return found


def _primary_and_region(replica: TfResource, masters: dict[str, TfResource], ctx: MapContext) -> tuple:
    """(the primary at the top of the replica's chain, its region: its own, else its master's, noted)."""
    region, node, seen = literal_region(replica.values.get("region")), replica, {replica.address}
    while node.address in masters and masters[node.address].address not in seen:
        node = masters[node.address]
        seen.add(node.address)
        if region is None and literal_region(node.values.get("region")):
            region = literal_region(node.values.get("region"))
            ctx.notes.append(f"{replica.address}: region not known before apply: read as the region of the "
                             f"instance it replicates, {region}")
    return node, region


def components(resources: list[TfResource], ctx: MapContext) -> list[Mapped]:
    # A replica names its primary in master_instance_name (often a reference, so unknown before apply).
    primaries = [r for r in resources if r.values.get("master_instance_name") is None]
    replicas = [r for r in resources if r not in primaries]
    masters = _masters(resources, ctx)
    chains = {r.address: _primary_and_region(r, masters, ctx) for r in replicas}
    for replica in replicas:
        if chains[replica.address][0] not in primaries:
            ctx.notes.append(f"{replica.address}: a replica of an instance that is not in this Terraform: left out")
    found = []
    for instance in primaries:
        engine, version = _engine(instance.get("database_version"))
        if engine is None and instance.get("database_version") is None:
            ctx.notes.append(f"{instance.address}: database_version is not known before apply, so neither is the "
                             "engine: left out (add it by hand)")
            continue
        if engine is None:
            ctx.notes.append(f"{instance.address}: database_version {instance.get('database_version')!r} is not "
                             "PostgreSQL or MySQL (SQL Server is not priced by archplan): left out")
            continue
        settings = ("settings",)
        fields: dict = {"engine": engine}
        if version:
            fields["version"] = version
        edition = instance.get(*settings, "edition")
        if edition == "ENTERPRISE_PLUS":
            fields["edition"] = "enterprise_plus"
        tier = instance.get(*settings, "tier")
        if tier is None:
            ctx.notes.append(f"{instance.address}: settings.tier is not known: left out")
            continue
        if not isinstance(tier, str) or not tier.strip():
            raise invalid(instance, ("settings", "tier"), f"{tier!r} is not a machine tier (db-custom-2-7680...)")
        fields["tier"] = tier
        # Cloud SQL's disks hold 10 GB (its default) to 64 TB.
        fields["storage_gb"] = number(instance, ctx, *settings, "disk_size", default=10, minimum=10, maximum=65536,
                                      assumed="read as 10 GB, Cloud SQL's default")
        if instance.get(*settings, "disk_type") == "PD_HDD":
            fields["storage_type"] = "hdd"
        fields["ha"] = instance.get(*settings, "availability_type") == "REGIONAL"
        mine = [r for r in replicas if chains[r.address][0] is instance]
        # A replica in another region than its primary is a cross-region (disaster recovery) replica.
        home = literal_region(instance.values.get("region")) or ctx.region
        local = [r for r in mine if (chains[r.address][1] or home) == home]
        if local:
            fields["read_replicas"] = len(local)
            replica_tier = local[0].get("settings", "tier")
            if replica_tier and replica_tier != tier:
                fields["replica_tier"] = replica_tier
        remote = [r for r in mine if r not in local]
        if remote:
            fields["cross_region_replicas"] = [cross_region_replica(r, tier, chains[r.address][1]) for r in remote]
            # replication_cluster.failover_dr_replica_name is "project:instance" (or the bare instance name).
            designated = instance.get("replication_cluster", "failover_dr_replica_name")
            if isinstance(designated, str) and designated:
                for replica, mapped in zip(remote, fields["cross_region_replicas"]):
                    if replica.values.get("name") == designated.rsplit(":", 1)[-1]:
                        mapped["dr_replica"] = True
        backup = instance.blocks("settings", "backup_configuration")
        if backup and enabled(backup[0].get("enabled"), False):
            at = ("settings", "backup_configuration")
            pitr = enabled(backup[0].get("point_in_time_recovery_enabled")) or \
                enabled(backup[0].get("binary_log_enabled"))
            # Cloud SQL keeps 1 to 365 backups (7 by default) and 1 to 35 days of transaction logs.
            backups = {"retained_backups": number(instance, ctx, *at, "backup_retention_settings", "retained_backups",
                                                  default=7, minimum=1, maximum=365,
                                                  assumed="read as 7, Cloud SQL's default"), "pitr": pitr}
            days = number(instance, ctx, *at, "transaction_log_retention_days", minimum=1, maximum=35)
            if days is not None:
                backups["log_retention_days"] = days
            fields["backups"] = backups
        else:
            fields["backups"] = {"enabled": False}
        fields["private_ip"] = instance.get(*settings, "ip_configuration", "ipv4_enabled") is False
        flags = [b.get("name") for b in instance.blocks("settings", "database_flags")]
        if "max_connections" in flags:
            connections = number(instance, ctx, "settings", "database_flags", flags.index("max_connections"), "value",
                                 minimum=1, assumed="left at the tier's default")
            if connections is not None:
                fields["max_connections"] = connections
        databases = [r.get("name") for r in ctx.referrers(instance, "google_sql_database")
                     if isinstance(r.get("name"), str)]
        # Cloud SQL takes names a plan does not (tf-mysql-ha): those are said, not written.
        other = [name for name in databases if not re.fullmatch(DATABASE_NAME, name)]
        if other:
            ctx.notes.append(f"{instance.address}: database {', '.join(other)}: a plan's database names are letters, "
                             "digits and _: left out of databases (no price depends on them)")
            databases = [name for name in databases if name not in other]
        if databases:
            fields["databases"] = databases
        protection = instance.values.get("deletion_protection")
        if protection is False:
            fields["deletion_protection"] = False
        supporting = ctx.referrers(instance, "google_sql_database", "google_sql_user", "google_sql_ssl_cert")
        passwords = [p for user in supporting for p in ctx.referenced(user, "random_password")]
        users = [r for r in supporting if r.type == "google_sql_user"]
        found.append(Mapped(label_name(instance), "cloud_sql", fields,
                            owned(instance, *mine, *supporting, *passwords) | password_secrets(ctx, users),
                            instance))
    return found


def cross_region_replica(replica: TfResource, primary_tier: str, region: str | None = None) -> dict:
    found: dict = {"region": region or literal_region(replica.values.get("region"))}
    tier = replica.get("settings", "tier")
    if tier and tier != primary_tier:
        found["tier"] = tier
    if replica.get("settings", "availability_type") == "REGIONAL":
        found["ha"] = True
    return found


def protocol(mapped: Mapped) -> str:
    return {"postgres": "Postgres", "mysql": "MySQL"}[mapped.fields["engine"]]
