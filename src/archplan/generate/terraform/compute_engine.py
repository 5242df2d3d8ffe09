"""Compute Engine VMs on the plan's subnet: shielded, OS Login, no public IP unless the plan asks, a service
account of their own with logging and metrics, plus the roles their depends_on need (terraform/_workloads.py)."""
from __future__ import annotations

from archplan.components._common import gpus_of
from archplan.components.base import Component
from archplan.generate.context import ident, slug
from archplan.generate.hcl import Expr, Tpl, nested, resource
from archplan.generate.terraform._builder import Terraform

IMAGE = "debian-cloud/debian-12"


def generate(tf: Terraform, component: Component) -> None:
    spec = component.spec
    name = ident(component.name)
    tf.api("compute.googleapis.com")
    _, subnetwork = tf.network(component.region)
    key = component.name
    email = tf.service_account(key, f"VMs of {component.name}.")
    for role in ("roles/logging.logWriter", "roles/monitoring.metricWriter"):
        tf.project_role(key, role, f"{component.name} VMs: {role}.")
    interface: dict = {"subnetwork": subnetwork}
    body: dict = {}
    if spec.external_ip:
        body["#checkov:skip=CKV_GCP_40:the plan gives these VMs a public IP (external_ip: true)"] = None
        interface["access_config"] = nested({"network_tier": "PREMIUM"})
    body["#checkov:skip=CKV_GCP_38:Google-managed disk encryption; the plan has no Cloud KMS key"] = None
    body.update({
        "count": spec.count,
        "name": Tpl(f"${{var.prefix}}-{slug(component.name)}-${{count.index + 1}}"),
        "machine_type": spec.machine_type,
        "zone": Tpl(f"{tf.region_text(component)}-${{element([\"a\", \"b\", \"c\"], count.index)}}"),
        "labels": Expr("local.labels"),
        "can_ip_forward": False,
        "metadata": {"enable-oslogin": "TRUE", "block-project-ssh-keys": "TRUE"},
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
    tf.add("compute.tf", tf.about(component), resource("google_compute_instance", name, body))
