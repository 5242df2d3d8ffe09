"""A load balancer holds no data, but in a multi-region plan it decides what serves when a region is lost:
its failover time, or nothing until the region returns when every backend is in that region."""
from __future__ import annotations

import math

from archplan.check import regions
from archplan.check.recovery import Recovery, figure


def rows(component, plan) -> list[Recovery]:
    if not regions.is_multi_region(plan):
        return []
    spec = component.spec
    if not spec.failover:
        from archplan.components.load_balancer import regional_backends

        backends = regional_backends({c.name: c.spec for c in plan.components}, component.name, plan.region)
        if len(backends) != 1:
            return []
        region = next(iter(backends))
        return [Recovery(component.name, "region outage", math.inf, 0.0,
                         f"every backend is in {region} and no failover is set: nothing serves until "
                         f"{region} returns")]
    minutes, how = regions.failover_minutes(spec)
    if spec.failover == "active-active":
        drain = figure("lb_failover_automatic_minutes")
        minutes, how = drain, ("active-active: the surviving region already serves; health checks drain the lost "
                               f"one in ~{drain:g} min (assumed)")
        short = [loss for loss in regions.region_losses(plan) if loss.balancer == component.name and loss.short]
        if short:
            worst = min(short, key=lambda loss: loss.served_percent)
            how += (f", but without {worst.lost} its backends left carry only {worst.capacity_rps:,.1f} of "
                    f"the peak {worst.load_rps:,.1f} req/s (CAP-012)")
    return [Recovery(component.name, "region outage", minutes, 0.0, f"{spec.failover} load balancer: {how}")]
