"""Compute Engine VMs on the plan's subnet: shielded, OS Login, no public IP unless the plan asks, a service
account of their own with logging and metrics, plus the roles their depends_on need (terraform/_workloads.py),
and what those give a service (generate/links.py) as instance metadata, a secret by its id, which the account
may read.
VMs a load balancer routes to are also put in an unmanaged instance group per zone (the plan gives a fixed
count, no autoscaling, so the VMs stay as they are rather than becoming a managed group's template), with the
named port the backend service uses and a firewall rule letting the load balancer and its health checks in.
VMs another component's VMs call (a depends_on edge between compute_engine components) get a firewall rule
letting the callers' service account in on the port the edge's protocol uses."""
from __future__ import annotations

from archplan.components._common import gpus_of
from archplan.components.base import HOURS_PER_MONTH, Component
from archplan.generate import links
from archplan.generate.context import ident, slug, zone_letters
from archplan.generate.hcl import Expr, Text, Tpl, nested, resource
from archplan.generate.terraform._builder import Terraform

IMAGE = "debian-cloud/debian-12"
# A global external Application Load Balancer's health checks and, for instance-group backends, its proxies
# come from these ranges (https://cloud.google.com/load-balancing/docs/firewall-rules, seen 2026-12-02).
LOAD_BALANCER_RANGES = ("35.191.0.0/16", "130.211.0.0/22")
# The port a protocol named on a VM-to-VM edge is served on, unless the called VMs state their own `port`.
PROTOCOL_PORTS = {"POSTGRES": 5432, "POSTGRESQL": 5432, "MYSQL": 3306, "REDIS": 6379, "HTTPS": 443, "HTTP": 80}


def zone_groups(vm: Component) -> dict[str, list[int]]:
    """Zone letter -> the indexes of the VMs in it, for the zones that hold any."""
    zones = zone_letters(vm.region)  # VM i goes in the region's zone i % 3
    groups: dict[str, list[int]] = {}
    for index in range(vm.spec.count):
        groups.setdefault(zones[index % len(zones)], []).append(index)
    return groups


def load_balancer_protocol(ctx, vm: Component) -> str:
    """HTTPS when the load balancer (or its Cloud Armor or CDN component) says HTTPS on its edge to the VMs,
    else HTTP."""
    for caller in ctx.dependents(vm):
        if caller.kind in ("load_balancer", "cloud_armor", "cloud_cdn"):
            if any(d.name == vm.name and (d.protocol or "").upper() == "HTTPS" for d in caller.spec.depends_on):
                return "HTTPS"
    return "HTTP"


def serving_port(ctx, vm: Component) -> int:
    if vm.spec.port is not None:
        return vm.spec.port
    return 443 if load_balancer_protocol(ctx, vm) == "HTTPS" else 80


PLACEHOLDER_UNIT = "archplan-placeholder"


def placeholder_script(port: int, protocol: str) -> str:
    """The VMs' first-boot script when a load balancer routes to them: a systemd service answering 200 on
    `port` (TLS with a self-signed certificate for an HTTPS backend, which the load balancer accepts), so the
    backend is healthy and the entry point answers from the first apply, as a Cloud Run service does with
    Google's sample image. It is installed once; disabling it (the README says how) keeps it off."""
    tls = protocol == "HTTPS"
    lines = ["#!/bin/bash",
             f"# archplan: a placeholder on port {port} until your application takes it over.",
             f"[ -e /etc/systemd/system/{PLACEHOLDER_UNIT}.service ] && exit 0",
             "mkdir -p /opt/archplan"]
    if tls:
        # A throwaway self-signed key, readable by the service's dynamic user.
        lines.append("openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=archplan-placeholder "
                     "-keyout /opt/archplan/key.pem -out /opt/archplan/cert.pem && chmod 0644 /opt/archplan/key.pem")
    lines += ["cat > /opt/archplan/placeholder.py <<'PLACEHOLDER'",
              "import http.server",
              *(["import ssl"] if tls else []),
              "class Handler(http.server.BaseHTTPRequestHandler):",
              "    def do_GET(self):",
              f"        body = b'archplan placeholder: deploy your application on port {port}\\n'",
              "        self.send_response(200)",
              "        self.send_header('Content-Type', 'text/plain')",
              "        self.send_header('Content-Length', str(len(body)))",
              "        self.end_headers()",
              "        self.wfile.write(body)",
              f"server = http.server.ThreadingHTTPServer(('', {port}), Handler)"]
    if tls:
        lines += ["context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)",
                  "context.load_cert_chain('/opt/archplan/cert.pem', '/opt/archplan/key.pem')",
                  "server.socket = context.wrap_socket(server.socket, server_side=True)"]
    lines += ["server.serve_forever()",
              "PLACEHOLDER",
              f"cat > /etc/systemd/system/{PLACEHOLDER_UNIT}.service <<'UNIT'",
              "[Unit]",
              "Description=archplan placeholder until the application is deployed",
              "After=network-online.target",
              "[Service]",
              "ExecStart=/usr/bin/python3 /opt/archplan/placeholder.py",
              "Restart=always",
              "DynamicUser=yes",
              "AmbientCapabilities=CAP_NET_BIND_SERVICE",  # ports below 1024 without running as root
              "[Install]",
              "WantedBy=multi-user.target",
              "UNIT",
              f"systemctl daemon-reload && systemctl enable --now {PLACEHOLDER_UNIT}"]
    return "\n".join(lines) + "\n"


def metadata_links(ctx, vm: Component) -> list[tuple[str, links.EnvLink]]:
    """(metadata key, link) for each variable the VMs' depends_on give them, as a service gets them: a VM has no
    environment to set, so each is an instance metadata value (custom metadata keys take letters, digits, - and
    _: https://cloud.google.com/compute/docs/metadata/setting-custom-metadata), read from the metadata server
    (https://cloud.google.com/compute/docs/metadata/querying-metadata). A secret's value is never written:
    <NAME>_SECRET holds its id, read with the VMs' account."""
    return [(f"{link.name}_SECRET" if link.secret is not None else link.name, link)
            for link in links.linked_env(ctx, ctx.caller(vm))]


def linked_metadata(tf: Terraform, vm: Component) -> dict:
    """The metadata of metadata_links; each secret is also one the VMs' account gets secretAccessor on
    (granted with the other callers' grants, terraform/_workloads.py)."""
    used = tf.workload_secrets.setdefault(tf.ctx.caller(vm).key, [])
    found = {}
    for key, link in metadata_links(tf.ctx, vm):
        if link.secret is not None:
            used.append(str(link.secret_terraform).split(".")[1])
            found[key] = link.secret_terraform
        else:
            found[key] = link.terraform
    return found


def instance_group_address(vm: Component, zone: str) -> str:
    return f"google_compute_instance_group.{ident(vm.name)}_{zone}"


def generate(tf: Terraform, component: Component) -> None:
    spec = component.spec
    name = ident(component.name)
    tf.api("compute.googleapis.com")
    if spec.hours_per_month < HOURS_PER_MONTH:
        # the plan states how many hours, not which: no schedule to write (an instance schedule policy needs one)
        tf.warnings.append(f"{component.name}: priced for {spec.hours_per_month:g} hours a month (hours_per_month), "
                           f"and the VMs created run all {HOURS_PER_MONTH:g}: stop them outside those hours (an "
                           "instance schedule, or your own automation), or the bill is for the whole month")
    _, subnetwork = tf.network(component.region)
    key = component.name
    email = tf.service_account(key, f"VMs of {component.name}.")
    for role in ("roles/logging.logWriter", "roles/monitoring.metricWriter"):
        tf.project_role(key, role, f"{component.name} VMs: {role}.")
    interface: dict = {"subnetwork": subnetwork}
    letters = ", ".join(f'"{zone}"' for zone in zone_letters(component.region))
    body: dict = {}
    if spec.external_ip:
        body["#checkov:skip=CKV_GCP_40:the plan gives these VMs a public IP (external_ip: true)"] = None
        interface["access_config"] = nested({"network_tier": "PREMIUM"})
    body["#checkov:skip=CKV_GCP_38:Google-managed disk encryption; the plan has no Cloud KMS key"] = None
    body.update({
        "count": spec.count,
        "name": Tpl(f"${{var.prefix}}-{slug(component.name)}-${{count.index + 1}}"),
        "machine_type": spec.machine_type,
        "zone": Tpl(f"{tf.region_text(component)}-${{element([{letters}], count.index)}}"),
        "labels": Expr("local.labels"),
        "can_ip_forward": False,
        "metadata": {"enable-oslogin": "TRUE", "block-project-ssh-keys": "TRUE", **linked_metadata(tf, component)},
        "boot_disk": nested({"initialize_params": nested({"image": IMAGE, "size": spec.disk_gb,
                                                          "type": spec.disk_type})}),
        "network_interface": nested(interface),
        "service_account": nested({"email": email,
                                   "scopes": ["https://www.googleapis.com/auth/cloud-platform"]}),
        "shielded_instance_config": nested({"enable_secure_boot": True, "enable_vtpm": True,
                                            "enable_integrity_monitoring": True}),
        "scheduling": nested({"provisioning_model": "SPOT" if spec.spot else "STANDARD",
                              "preemptible": spec.spot, "automatic_restart": not spec.spot,
                              **({"instance_termination_action": "STOP"} if spec.spot else {}),
                              # GPU VMs cannot live-migrate: they stop for host maintenance.
                              **({"on_host_maintenance": "TERMINATE"} if gpus_of(spec.machine_type) else {})}),
    })
    if component.name in tf.ctx.backend_names:
        body["metadata"]["startup-script"] = Text(placeholder_script(serving_port(tf.ctx, component),
                                                                     load_balancer_protocol(tf.ctx, component)))
    tf.add("compute.tf", tf.about(component), resource("google_compute_instance", name, body))
    tf.commitment_not_bought(component, spec.commitment, f"{spec.count} x {spec.machine_type}",
                             "gcloud compute commitments create, resource-based")
    if component.name in tf.ctx.backend_names:
        load_balancer_access(tf, component, email)
    vm_access(tf, component, email)


def vm_access(tf: Terraform, vm: Component, email) -> None:
    """Let in what calls `vm` from inside the VPC (the VPC denies all other ingress, so a web tier could not
    reach its application servers, nor these their database VM): other VMs by their service account, Cloud
    Run services and jobs by the range their traffic leaves from (the Serverless VPC Access connector's, else
    the subnet's, Direct VPC egress), GKE pods by their cluster's Pod range; on the port the edge uses."""
    name = ident(vm.name)
    network, _ = tf.network(vm.region)
    for caller in tf.ctx.dependents(vm):
        source = caller_source(tf, caller)
        if source is None:
            continue
        edge = next(d for d in caller.spec.depends_on if d.name == vm.name)
        protocol = (edge.protocol or "").upper()
        port = vm.spec.port or PROTOCOL_PORTS.get(protocol) or serving_port(tf.ctx, vm)
        tf.add("compute.tf", f"{caller.name} calls {vm.name}" + (f" ({edge.protocol})" if edge.protocol else "")
               + f" on port {port}.",
               _ingress(f"{name}_from_{ident(caller.name)}", f"{slug(vm.name)}-from-{slug(caller.name)}", network,
                        source, email, port))


def _ingress(address: str, name: str, network, source: dict, email, port: int):
    """A firewall rule letting `source` reach the VMs running as `email` on one TCP port, logged."""
    return resource("google_compute_firewall", address, {
        "name": Tpl(f"${{var.prefix}}-{name}"),
        "network": network,
        "direction": "INGRESS",
        "priority": 1000,
        **source,
        "target_service_accounts": [email],
        "allow": nested({"protocol": "tcp", "ports": [str(port)]}),
        "log_config": nested({"metadata": "INCLUDE_ALL_METADATA"}),
    })


def caller_source(tf: Terraform, caller: Component) -> dict | None:
    """Where a caller's traffic to a VM comes from, as a firewall rule's source; None for what does not reach
    the VPC this way (a function without a connector is warned about where it is generated)."""
    from archplan.generate.terraform._builder import subnet_address

    if caller.kind == "compute_engine":
        return {"source_service_accounts": [Expr(f"google_service_account.{ident(caller.name)}.email")]}
    if caller.kind == "gke":
        return {"source_ranges": [Expr(f"google_container_cluster.{ident(caller.name)}.cluster_ipv4_cidr")]}
    if caller.kind not in ("cloud_run", "cloud_run_job", "cloud_functions"):
        return None
    connectors = [c for c in tf.ctx.dependencies(caller) if c.kind == "vpc_connector"] \
        if caller.kind != "cloud_run_job" else []
    if connectors:
        return {"source_ranges": [Expr(f"google_vpc_access_connector.{ident(connectors[0].name)}.ip_cidr_range")]}
    if caller.kind == "cloud_functions":
        return None
    tf.subnet(caller.region)
    return {"source_ranges": [Expr(f"{subnet_address(tf.ctx, caller.region)}.ip_cidr_range")]}


def load_balancer_access(tf: Terraform, vm: Component, email) -> None:
    """The VMs grouped per zone for the load balancer's backend service, and let in from its ranges (the VPC
    denies all other ingress)."""
    name = ident(vm.name)
    network, _ = tf.network(vm.region)
    port = serving_port(tf.ctx, vm)
    for zone, indexes in zone_groups(vm).items():
        tf.add("compute.tf", resource("google_compute_instance_group", f"{name}_{zone}", {
            "name": Tpl(f"${{var.prefix}}-{slug(vm.name)}-{zone}"),
            "zone": Tpl(f"{tf.region_text(vm)}-{zone}"),
            "network": network,
            "instances": [Expr(f"google_compute_instance.{name}[{index}].self_link") for index in indexes],
            "named_port": nested({"name": load_balancer_protocol(tf.ctx, vm).lower(), "port": port}),
        }))
    tf.add("compute.tf", f"The load balancer's proxies and health checks reach {vm.name} on port {port}.",
           _ingress(f"{name}_from_load_balancer", f"{slug(vm.name)}-from-lb", network,
                    {"source_ranges": list(LOAD_BALANCER_RANGES)}, email, port))
