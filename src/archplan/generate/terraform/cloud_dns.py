"""Cloud DNS: a managed zone with DNSSEC, and A records pointing the load balancers' domains at their IPs."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import ident, slug
from archplan.generate.hcl import Expr, Tpl, nested, resource
from archplan.generate.terraform._builder import Terraform


def zone_domain(tf: Terraform) -> str | None:
    """The registrable domain of the first load balancer domain (api.example.com -> example.com)."""
    for lb in tf.ctx.of_kind("load_balancer"):
        for domain in lb.spec.domains:
            return ".".join(domain.split(".")[-2:])
    return None


def generate(tf: Terraform, component: Component) -> None:
    spec = component.spec
    name = ident(component.name)
    tf.api("dns.googleapis.com")
    domain = zone_domain(tf)
    description = f"Domain of DNS zone {component.name}, without the final dot (e.g. example.com)."
    validation = [(f"can(regex(\"^[a-z0-9.-]+[a-z]$\", var.{name}_domain))", "give a domain like example.com.")]
    if domain:
        tf.variable(f"{name}_domain", "string", description, default=domain, validations=validation)
    else:
        tf.variable(f"{name}_domain", "string", description + " The plan names none: set it.",
                               validations=validation)
    body: dict = {
        "name": Tpl(f"${{var.prefix}}-{slug(component.name)}"),
        "dns_name": Tpl(f"${{var.{name}_domain}}."),
        "visibility": spec.visibility,
        "labels": Expr("local.labels"),
    }
    if spec.visibility == "public":
        body["dnssec_config"] = nested({"state": "on", "default_key_specs": [
            nested({"algorithm": "rsasha256", "key_length": 2048, "key_type": "keySigning"}),
            nested({"algorithm": "rsasha256", "key_length": 1024, "key_type": "zoneSigning"})]})
    else:
        network, _ = tf.network()
        body["private_visibility_config"] = nested({"networks": nested({"network_url": network})})
    items = [tf.about(component)]
    if spec.zones > 1:
        items.append(f"The plan counts {spec.zones} zones; archplan generates the one its domains need.")
    tf.add("dns.tf", *items, resource("google_dns_managed_zone", name, body))
    for lb in tf.ctx.of_kind("load_balancer"):
        for domain in lb.spec.domains:
            if spec.visibility != "public":
                continue
            tf.add("dns.tf", resource("google_dns_record_set", f"{name}_{ident(domain)}", {
                "managed_zone": Expr(f"google_dns_managed_zone.{name}.name"),
                "name": f"{domain}.",
                "type": "A",
                "ttl": 300,
                "rrdatas": [Expr(f"google_compute_global_address.{ident(lb.name)}.address")],
            }))
    tf.output(f"{name}_name_servers", Expr(f"google_dns_managed_zone.{name}.name_servers"),
              f"Name servers of zone {component.name}: set them at the registrar.")
