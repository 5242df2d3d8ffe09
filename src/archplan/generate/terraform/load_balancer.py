"""The global external Application Load Balancer: a static IP, a Google-managed certificate, serverless NEGs
for Cloud Run services and functions, instance groups with a health check for Compute Engine VMs, backend
buckets, Cloud CDN and the Cloud Armor policy where the plan attaches them, a modern TLS policy, and an
HTTP-to-HTTPS redirect when the plan counts a second forwarding rule. For a GKE cluster the Ingress
(../kubernetes) builds the load balancer; Terraform reserves its IP and, where the plan names domains, its
TLS policy."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import ident, slug
from archplan.generate.hcl import Expr, Tpl, nested, resource
from archplan.generate.terraform import compute_engine
from archplan.generate.terraform._builder import Terraform

NEG_TARGETS = {"cloud_run": ("cloud_run", "service", "google_cloud_run_v2_service.{}.name"),
               "cloud_functions": ("cloud_function", "function", "google_cloudfunctions2_function.{}.name")}
CDN_POLICY = {"cache_mode": "CACHE_ALL_STATIC", "default_ttl": 3600, "client_ttl": 3600, "max_ttl": 86400,
              "negative_caching": True, "serve_while_stale": 86400}


def address(tf: Terraform, lb: Component) -> Expr:
    name = ident(lb.name)
    tf.add("load_balancer.tf", tf.about(lb), resource("google_compute_global_address", name, {
        "name": Tpl(f"${{var.prefix}}-{slug(lb.name)}-ip"),
        "labels": Expr("local.labels"),
    }))
    tf.output(f"{name}_ip", Expr(f"google_compute_global_address.{name}.address"),
              f"IP address of load balancer {lb.name}: point the domains' A records here.")
    return Expr(f"google_compute_global_address.{name}.address")


def ssl_policy(tf: Terraform, lb: Component) -> Expr:
    name = ident(lb.name)
    tf.add("load_balancer.tf", resource("google_compute_ssl_policy", name, {
        "name": Tpl(f"${{var.prefix}}-{slug(lb.name)}-tls"),
        "profile": "MODERN",
        "min_tls_version": "TLS_1_2",
    }))
    return Expr(f"google_compute_ssl_policy.{name}.id")


def domains_variable(tf: Terraform, lb: Component) -> Expr:
    name = f"{ident(lb.name)}_domains"
    stated = tf.ctx.lb_domains(lb)
    description = f"Hostnames load balancer {lb.name} serves (its managed certificate covers them)."
    validation = [(f"length(var.{name}) > 0", "give at least one domain for the managed certificate.")]
    if stated:
        return tf.variable(name, "list(string)", description, default=stated, validations=validation)
    return tf.variable(name, "list(string)", description + " The plan names none: set it.", validations=validation)


def cdn_targets(tf: Terraform, lb: Component, backends: list[Component]) -> set[str]:
    return _cdn_targets(tf.ctx, lb, backends)


def _cdn_targets(ctx, lb: Component, backends: list[Component]) -> set[str]:
    """Which backends get Cloud CDN: the CDN component's origin buckets, else the load balancer's buckets,
    else its serverless backends."""
    cdn = ctx.cdn_for(lb)
    if cdn is None:
        return set()
    origins = [b.name for b in ctx.cdn_origin_buckets(cdn) if b in backends]
    if origins:
        return set(origins)
    buckets = [b.name for b in backends if b.kind == "cloud_storage"]
    return set(buckets) if buckets else {b.name for b in backends}


def fronts_gke(ctx, lb: Component) -> bool:
    """A GKE Ingress builds the balancer: Terraform makes only its address (and SSL policy)."""
    return any(b.kind == "gke" for b in ctx.load_balancer_backends(lb))


def created_names(ctx, component: Component) -> list[str]:
    """The URL map's name, or the address's where the Ingress builds the rest."""
    return [f"{ctx.prefix}-{slug(component.name)}" + ("-ip" if fronts_gke(ctx, component) else "")]


def generate(tf: Terraform, component: Component) -> None:
    ctx = tf.ctx
    tf.api("compute.googleapis.com")
    backends = ctx.load_balancer_backends(component)
    name = ident(component.name)
    if fronts_gke(ctx, component):
        route_by_hand = {"compute_engine": "the VMs' instance groups (terraform/compute.tf)",
                         "cloud_storage": "the bucket with a backend bucket on a load balancer of its own",
                         "cloud_run": "the service through a serverless NEG on a load balancer of its own",
                         "cloud_functions": "the function through a serverless NEG on a load balancer of its own"}
        for other in (b for b in backends if b.kind != "gke"):
            tf.warnings.append(f"{component.name}: {other.name} ({other.kind}) is not behind the load balancer: "
                               "the GKE Ingress builds it and takes only the cluster's Services, so route to "
                               f"{route_by_hand.get(other.kind, 'it')} by hand")
        address(tf, component)
        if ctx.lb_domains(component):  # else the Ingress serves plain HTTP (../kubernetes says so)
            ssl_policy(tf, component)
        tf.add("load_balancer.tf", f"{component.name} fronts GKE: the Ingress in ../kubernetes creates its "
                                   "forwarding rule, URL map and backend services, and uses the address above.")
        return
    address(tf, component)
    policy = ssl_policy(tf, component)
    domains = domains_variable(tf, component)
    armor = ctx.armor_for(component)
    with_cdn = cdn_targets(tf, component, backends)
    services: dict[str, Expr] = {}
    groups = regional_groups(tf, component, backends)
    for backend in backends:
        backend_name = f"{name}_{ident(backend.name)}"
        if backend.kind == "cloud_storage":
            body: dict = {
                "name": Tpl(f"${{var.prefix}}-{slug(backend.name)}-backend"),
                "bucket_name": Expr(f"google_storage_bucket.{ident(backend.name)}.name"),
                "enable_cdn": backend.name in with_cdn,
            }
            if backend.name in with_cdn:
                body["cdn_policy"] = nested(CDN_POLICY)
            private_origin = backend.name in with_cdn and not backend.spec.public
            if private_origin:
                body["cdn_policy"] = nested({**CDN_POLICY, "signed_url_cache_max_age_sec": 3600})
            tf.add("load_balancer.tf", resource("google_compute_backend_bucket", backend_name, body))
            if private_origin:
                private_cdn_origin(tf, backend, backend_name)
            else:
                why = ("a backend bucket without Cloud CDN cannot sign its requests" if backend.name not in with_cdn
                       else "the plan makes the bucket public (public: true), so Cloud CDN reads it unsigned")
                tf.add("load_balancer.tf", f"The load balancer reads {backend.name}'s objects anonymously ({why}), "
                                           "so they are public.",
                       resource("google_storage_bucket_iam_member", f"{backend_name}_public", {
                           f"#checkov:skip=CKV_GCP_28:served to the internet through the load balancer's backend "
                           f"bucket ({why})": None,
                           "bucket": Expr(f"google_storage_bucket.{ident(backend.name)}.name"),
                           "role": "roles/storage.objectViewer",
                           "member": "allUsers",
                       }))
            services[backend.name] = Expr(f"google_compute_backend_bucket.{backend_name}.id")
            continue
        if backend.kind == "compute_engine":
            services[backend.name] = vm_backend_service(tf, component, backend, armor, backend.name in with_cdn)
            continue
        group = groups[backend.name]
        if backend is not group[0]:
            services[backend.name] = services[group[0].name]
            continue
        negs = [neg(tf, component, member) for member in group]
        serving = negs
        body = {
            "name": Tpl(f"${{var.prefix}}-{slug(backend.name)}-backend"),
            "load_balancing_scheme": "EXTERNAL_MANAGED",
            "protocol": "HTTPS",
            "enable_cdn": backend.name in with_cdn,
        }
        if len(group) > 1:
            regions = ", ".join(member.region for member in group)
            if component.spec.failover == "active-passive":
                serving = negs[:1]
                body[f"# Active-passive: only {group[0].name} ({group[0].region}) serves; the other regions' NEGs "
                     "exist, and failing over adds one here (see ../runbooks/region-outage.md)."] = None
            else:
                body[f"# One backend per region ({regions}): the load balancer sends each client to the nearest "
                     "region and ejects a region whose responses fail (outlier detection)."] = None
        body["backend"] = serving[0] if len(serving) == 1 else serving
        if len(group) > 1 and component.spec.failover != "active-passive":
            body["outlier_detection"] = nested({"consecutive_errors": 5,
                                                "interval": nested({"seconds": 10}),
                                                "base_ejection_time": nested({"seconds": 30})})
        body["log_config"] = nested({"enable": True, "sample_rate": 1})
        if armor is not None:
            body["security_policy"] = Expr(f"google_compute_security_policy.{ident(armor.name)}.id")
        if backend.name in with_cdn:
            body["cdn_policy"] = nested(CDN_POLICY)
        tf.add("load_balancer.tf", resource("google_compute_backend_service", backend_name, body))
        services[backend.name] = Expr(f"google_compute_backend_service.{backend_name}.id")
    default = next((b.name for b in backends if b.kind != "cloud_storage"), backends[0].name)
    url_map: dict = {"name": Tpl(f"${{var.prefix}}-{slug(component.name)}"), "default_service": services[default]}
    others = [b for b in backends if services[b.name] != services[default]
              and (b.name not in groups or groups[b.name][0] is b)]
    if others:
        url_map["# Paths are archplan's choice (the plan says which services sit behind the load balancer, not "
                "their paths): /<component>/* goes to that component."] = None
        url_map["host_rule"] = nested({"hosts": ["*"], "path_matcher": "routes"})
        url_map["path_matcher"] = nested({
            "name": "routes",
            "default_service": services[default],
            "path_rule": [nested({"paths": [f"/{slug(b.name)}/*"], "service": services[b.name]}) for b in others],
        })
    tf.add("load_balancer.tf", resource("google_compute_url_map", name, url_map))
    tf.add("load_balancer.tf", resource("google_compute_managed_ssl_certificate", name, {
        "name": Tpl(f"${{var.prefix}}-{slug(component.name)}-cert"),
        "managed": nested({"domains": domains}),
        "lifecycle": nested({"create_before_destroy": True}),
    }))
    tf.add("load_balancer.tf", resource("google_compute_target_https_proxy", name, {
        "name": Tpl(f"${{var.prefix}}-{slug(component.name)}-https"),
        "url_map": Expr(f"google_compute_url_map.{name}.id"),
        "ssl_certificates": [Expr(f"google_compute_managed_ssl_certificate.{name}.id")],
        "ssl_policy": policy,
    }))
    tf.add("load_balancer.tf", resource("google_compute_global_forwarding_rule", f"{name}_https", {
        "name": Tpl(f"${{var.prefix}}-{slug(component.name)}-https"),
        "load_balancing_scheme": "EXTERNAL_MANAGED",
        "ip_address": Expr(f"google_compute_global_address.{name}.id"),
        "port_range": "443",
        "target": Expr(f"google_compute_target_https_proxy.{name}.id"),
        "labels": Expr("local.labels"),
    }))
    if component.spec.forwarding_rules >= 2:
        tf.add("load_balancer.tf", "The plan's second forwarding rule: plain HTTP, redirected to HTTPS.",
               resource("google_compute_url_map", f"{name}_redirect", {
                   "name": Tpl(f"${{var.prefix}}-{slug(component.name)}-redirect"),
                   "default_url_redirect": nested({"https_redirect": True, "strip_query": False,
                                                   "redirect_response_code": "MOVED_PERMANENTLY_DEFAULT"}),
               }),
               resource("google_compute_target_http_proxy", f"{name}_redirect", {
                   "name": Tpl(f"${{var.prefix}}-{slug(component.name)}-http"),
                   "url_map": Expr(f"google_compute_url_map.{name}_redirect.id"),
               }),
               resource("google_compute_global_forwarding_rule", f"{name}_http", {
                   "name": Tpl(f"${{var.prefix}}-{slug(component.name)}-http"),
                   "load_balancing_scheme": "EXTERNAL_MANAGED",
                   "ip_address": Expr(f"google_compute_global_address.{name}.id"),
                   "port_range": "80",
                   "target": Expr(f"google_compute_target_http_proxy.{name}_redirect.id"),
                   "labels": Expr("local.labels"),
               }))


def vm_backend_service(tf: Terraform, lb: Component, vm: Component, armor, with_cdn: bool) -> Expr:
    """A backend service over the VMs' instance groups (one per zone, terraform/compute.tf) with a health check
    on their named port: HTTP(S) on the health_check_path the plan gives, else TCP."""
    backend_name = f"{ident(lb.name)}_{ident(vm.name)}"
    groups = compute_engine.zone_groups(vm)
    if not groups:
        raise tf.ctx.error(lb, "depends_on", f"{vm.name} has count 0: a load balancer needs a VM to route to")
    protocol = compute_engine.load_balancer_protocol(tf.ctx, vm)
    port = {"port_specification": "USE_NAMED_PORT", "port_name": protocol.lower()}  # the groups' named port
    check = {f"{protocol.lower()}_health_check": nested({**port, "request_path": vm.spec.health_check_path})} \
        if vm.spec.health_check_path else {"tcp_health_check": nested(port)}
    tf.add("load_balancer.tf", resource("google_compute_health_check", backend_name, {
        "name": Tpl(f"${{var.prefix}}-{slug(vm.name)}-hc"),
        "check_interval_sec": 10,
        "timeout_sec": 5,
        **check,
        "log_config": nested({"enable": True}),
    }))
    body: dict = {
        "name": Tpl(f"${{var.prefix}}-{slug(vm.name)}-backend"),
        "load_balancing_scheme": "EXTERNAL_MANAGED",
        # HTTPS when the plan's edge to the VMs says so; else TLS ends at the load balancer.
        "protocol": protocol,
        "port_name": protocol.lower(),
        "enable_cdn": with_cdn,
        "health_checks": [Expr(f"google_compute_health_check.{backend_name}.id")],
        "backend": [nested({"group": Expr(f"{compute_engine.instance_group_address(vm, zone)}.id"),
                            "balancing_mode": "UTILIZATION", "capacity_scaler": 1})
                    for zone in groups],
        "log_config": nested({"enable": True, "sample_rate": 1}),
    }
    if armor is not None:
        body["security_policy"] = Expr(f"google_compute_security_policy.{ident(armor.name)}.id")
    if with_cdn:
        body["cdn_policy"] = nested(CDN_POLICY)
    tf.add("load_balancer.tf", resource("google_compute_backend_service", backend_name, body))
    return Expr(f"google_compute_backend_service.{backend_name}.id")


def neg(tf: Terraform, lb: Component, backend: Component) -> object:
    """The serverless NEG of one Cloud Run service or function, in its region; returns the backend block."""
    backend_name = f"{ident(lb.name)}_{ident(backend.name)}"
    block_name, field, target = NEG_TARGETS[backend.kind]
    tf.add("load_balancer.tf", resource("google_compute_region_network_endpoint_group", backend_name, {
        "name": Tpl(f"${{var.prefix}}-{slug(backend.name)}-neg"),
        "region": tf.region(backend),
        "network_endpoint_type": "SERVERLESS",
        block_name: nested({field: Expr(target.format(ident(backend.name)))}),
    }))
    return nested({"group": Expr(f"google_compute_region_network_endpoint_group.{backend_name}.id")})


def regional_groups(tf: Terraform, lb: Component, backends: list[Component]) -> dict[str, list[Component]]:
    """Serverless backends that are one service in several regions share one backend service (a NEG per
    region). In one region every backend is its own service. Across regions they group by kind and image
    (every backend naming one), else by kind; the plan's region comes first in each group."""
    serverless = [b for b in backends if b.kind in NEG_TARGETS]
    if len({b.region for b in serverless}) <= 1:
        return {b.name: [b] for b in serverless}
    by_image = all(b.spec.image for b in serverless)
    found: dict[tuple, list[Component]] = {}
    for backend in serverless:
        found.setdefault((backend.kind, backend.spec.image if by_image else None), []).append(backend)
    groups: dict[str, list[Component]] = {}
    for members in found.values():
        members.sort(key=lambda b: b.region != tf.ctx.region)  # stable: plan order within a region
        regions = [b.region for b in members]
        for region in regions:
            if regions.count(region) > 1:
                names = " and ".join(b.name for b in members if b.region == region)
                raise tf.ctx.error(lb, "depends_on", f"{names} are both in {region}: a load balancer across regions "
                                                     "takes one copy of a service per region (give each service's "
                                                     "regional copies the same image to tell services apart)")
        for backend in members:
            groups[backend.name] = members
    return groups


def private_cdn_origin(tf: Terraform, bucket: Component, backend_name: str) -> None:
    """The bucket stays private: Cloud CDN reads it as its fill service account, for requests signed with
    the backend bucket's key (https://cloud.google.com/cdn/docs/using-signed-urls). The key is generated here
    and kept in Secret Manager for the application that signs URLs or cookies."""
    tf.flags.update({"random", "project_data"})
    key = f"{backend_name}_cdn"
    tf.add("load_balancer.tf", resource("random_bytes", key, {"length": 16}))
    tf.add("load_balancer.tf", f"{bucket.name} stays private behind Cloud CDN: clients fetch it with signed URLs or "
                               "cookies (key name below, value in Secret Manager).",
           resource("google_compute_backend_bucket_signed_url_key", key, {
               "name": Tpl(f"${{var.prefix}}-{slug(bucket.name)}-cdn-key"),
               "backend_bucket": Expr(f"google_compute_backend_bucket.{backend_name}.name"),
               "key_value": Expr(f'replace(replace(trimsuffix(random_bytes.{key}.base64, "=="), "+", "-"), "/", "_")'),
           }),
           resource("google_storage_bucket_iam_member", f"{backend_name}_cdn_fill", {
               "bucket": Expr(f"google_storage_bucket.{ident(bucket.name)}.name"),
               "role": "roles/storage.objectViewer",
               "member": Tpl("serviceAccount:service-${data.google_project.this.number}"
                             "@cloud-cdn-fill.iam.gserviceaccount.com"),
               "depends_on": [Expr(f"google_compute_backend_bucket_signed_url_key.{key}")],
           }))
    secret_id = f"{tf.ctx.name(bucket)}-cdn-key"
    tf.secret(secret_id, key, f"Signing key of {bucket.name}'s Cloud CDN (base64url), for signed URLs and cookies.")
    tf.secret_version(key, Expr(f"google_compute_backend_bucket_signed_url_key.{key}.key_value"), write_only=False)
    tf.warnings.append(f"{bucket.name}: private behind Cloud CDN; clients need URLs or cookies signed with key "
                       f"{secret_id} (Secret Manager)")


def bucket_read_anonymously(ctx, bucket: Component) -> bool:
    """Is the bucket a backend bucket without Cloud CDN (which must let the load balancer read anonymously)?"""
    for lb in ctx.load_balancers_of(bucket):
        backends = ctx.load_balancer_backends(lb)
        if not any(b.kind == "gke" for b in backends) \
                and bucket.name not in _cdn_targets(ctx, lb, backends):
            return True
    return False
