"""Cloud DNS: a managed zone with DNSSEC, and A records pointing the load balancers' domains inside it at their
IPs, named relative to the zone's variable."""
from __future__ import annotations

from archplan.components.base import Component
from archplan.generate.context import ident, slug
from archplan.generate.hcl import Expr, Tpl, nested, resource
from archplan.generate.terraform._builder import Terraform


def zone_domain(domains: list[str]) -> str | None:
    """The zone the load balancers' domains share: the labels they all end with (at least two); one domain
    alone, less its first label when it has three or more (api.example.com -> example.com, api.example.co.uk
    -> example.co.uk). None when they share no such suffix (example.org and example.net need a zone each)."""
    if not domains:
        return None
    if len(set(domains)) == 1:
        labels = domains[0].split(".")
        return ".".join(labels[1:]) if len(labels) >= 3 else domains[0]
    split = [d.split(".")[::-1] for d in dict.fromkeys(domains)]
    shared = []
    for parts in zip(*split):
        if len(set(parts)) > 1:
            break
        shared.append(parts[0])
    if len(shared) < 2:
        return None
    return ".".join(reversed(shared))


def _record_name(domain: str, zone: str, variable: str) -> Tpl:
    """A record's name relative to the zone's variable, so that overriding the domain moves the records too."""
    prefix = domain[: -len(zone)].rstrip(".")
    return Tpl(f"{prefix}.${{var.{variable}}}." if prefix else f"${{var.{variable}}}.")


def generate(tf: Terraform, component: Component) -> None:
    spec = component.spec
    name = ident(component.name)
    tf.api("dns.googleapis.com")
    domains = [d for lb in tf.ctx.of_kind("load_balancer") for d in lb.spec.domains]
    domain = zone_domain(domains)
    if domains and domain is None:
        domain = zone_domain(domains[:1])
        outside = [d for d in domains if not (d == domain or d.endswith("." + domain))]
        tf.warnings.append(f"{component.name}: the load balancers' domains share no zone; the zone is {domain} (the "
                           f"first domain's), and no record is made for {', '.join(outside)}: a Cloud DNS zone "
                           "holds names inside it only, so create their zones (or records at their DNS host) by hand")
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
        for host in lb.spec.domains:
            if spec.visibility != "public" or not (host == domain or host.endswith("." + domain)):
                continue
            tf.add("dns.tf", resource("google_dns_record_set", f"{name}_{ident(host)}", {
                "managed_zone": Expr(f"google_dns_managed_zone.{name}.name"),
                "name": _record_name(host, domain, f"{name}_domain"),
                "type": "A",
                "ttl": 300,
                "rrdatas": [Expr(f"google_compute_global_address.{ident(lb.name)}.address")],
            }))
    tf.output(f"{name}_name_servers", Expr(f"google_dns_managed_zone.{name}.name_servers"),
              f"Name servers of zone {component.name}: set them at the registrar.")
