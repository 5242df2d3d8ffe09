from archplan.check.sla import SlaChoice


def sla(spec) -> SlaChoice:
    return SlaChoice("cloud_nat", "Cloud NAT")


def off_path_fix(name: str, callers: list[str]) -> str:
    """What takes Cloud NAT off a request path: it carries only connections the callers open to the internet
    (image pulls, package updates, calls to outside APIs), which serving a request seldom waits on; HA is
    not the fix (a gateway has no more-available configuration)."""
    edges = " and ".join(f"components.{caller}.depends_on" for caller in callers) or "its callers' depends_on"
    return (f"{name} carries only outbound connections to the internet: if serving a request needs no egress "
            f"through it, mark it a soft dependency, {{name: {name}, critical: false}} in {edges}, which takes it "
            f"off the availability path; if a request does call out through it, move that call off the request "
            "path (hand it to Pub/Sub or Cloud Tasks)")
