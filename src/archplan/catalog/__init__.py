"""archplan's catalog of GCP facts: prices, free tiers and other figures, each with source and date.

Data files live in catalog/data/: `<service>.yaml` written by hand from published prices and
`generated/<service>.json` derived by tools/build_catalog.py from public data sets. A service's
files are merged and loaded the first time a pricer asks for that service.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from archplan.errors import CatalogError

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Price:
    service: str
    sku: str
    description: str
    unit: str
    region_key: str
    source: str
    date: str
    confidence: str = ""
    note: str = ""
    usd: Decimal | None = None
    derived_from: str = ""  # set when the figure is derived or borrowed from another region: says how
    tiers: tuple[tuple[Decimal | None, Decimal], ...] | None = None  # (up_to cumulative quantity, usd)

    def cost(self, quantity: Decimal, already_used: Decimal = Decimal(0)) -> Decimal:
        """Cost of `quantity` units, after `already_used` units this month (for tiered prices)."""
        if self.tiers is None:
            return quantity * self.usd
        total, start, end = Decimal(0), already_used, already_used + quantity
        lower = Decimal(0)
        for up_to, usd in self.tiers:
            upper = end if up_to is None else min(end, up_to)
            if upper > max(start, lower):
                total += (upper - max(start, lower)) * usd
            if up_to is None or up_to >= end:
                break
            lower = up_to
        return total

    @property
    def first_rate(self) -> Decimal:
        return self.usd if self.tiers is None else self.tiers[0][1]

    def citation(self) -> str:
        return f"{self.source} ({self.date})"


@dataclass(frozen=True)
class FreeTier:
    service: str
    sku: str
    quantity: Decimal
    unit: str
    scope: str
    period: str
    source: str
    date: str
    note: str = ""
    pool: str = ""  # free tiers with the same pool and sku share one allowance (e.g. Cloud Run and Functions)
    value_region: str = ""  # the allowance is worth its quantity at this region's price (e.g. tier1)
    regions: tuple[str, ...] = ()  # only usage in these regions is free (empty: everywhere)

    def monthly_quantity(self, days_per_month: Decimal) -> Decimal:
        return self.quantity * days_per_month if self.period == "day" else self.quantity


@dataclass(frozen=True)
class Fact:
    name: str
    value: Any
    unit: str
    source: str
    date: str
    note: str = ""

    @property
    def decimal(self) -> Decimal:
        return Decimal(str(self.value))


def _text(value: Any) -> str:
    return "" if value is None else str(value)


class ServiceCatalog:
    def __init__(self, service: str, documents: list[dict]):
        self.service = service
        self.display_name = service
        self.prices: dict[str, dict] = {}
        self.free_tiers: dict[str, dict] = {}
        self.facts: dict[str, dict] = {}
        self.region_groups: dict[str, list[str]] = {}
        self.machine_types: dict[str, dict] = {}
        for document in documents:
            self.display_name = document.get("display_name", self.display_name)
            for section in ("prices", "free_tiers", "facts", "machine_types"):
                target = getattr(self, section)
                for key, value in (document.get(section) or {}).items():
                    if key in target:
                        raise CatalogError(f"catalog: {service}.{section}.{key} is defined twice")
                    target[key] = value
            for group, regions in (document.get("region_groups") or {}).items():
                if isinstance(regions, list):
                    self.region_groups[group] = regions

    def _region_keys(self, region: str) -> list[str]:
        keys = [region]
        keys += [group for group, members in self.region_groups.items() if region in members]
        return keys + ["global"]

    def has_price(self, sku: str) -> bool:
        return sku in self.prices

    def price(self, sku: str, region: str) -> Price:
        entry = self.prices.get(sku)
        if entry is None:
            raise CatalogError(f"catalog: {self.service} has no price {sku!r}")
        values = entry.get("usd") or entry.get("tiers") or {}
        common = dict(service=self.service, sku=sku, description=_text(entry.get("description")),
                      unit=_text(entry.get("unit")), source=_text(entry.get("source")),
                      date=_text(entry.get("date")), confidence=_text(entry.get("confidence")),
                      note=_text(entry.get("note")))
        derived = entry.get("derived") or {}
        for key in self._region_keys(region):
            if key in values:
                if "tiers" in entry:
                    tiers = tuple((None if up is None else Decimal(str(up)), Decimal(str(usd)))
                                  for up, usd in values[key])
                    return Price(tiers=tiers, region_key=key, **common)
                return Price(usd=Decimal(str(values[key])), region_key=key, **common)
            if key in derived:
                how = _text(entry.get("derivation")) or "derived"
                return Price(usd=Decimal(str(derived[key])), region_key=key,
                             derived_from=f"{region} figure derived, not published: {how}", **common)
        fallback = entry.get("fallback_region")
        if fallback and fallback in values and "tiers" not in entry:
            return Price(usd=Decimal(str(values[fallback])), region_key=fallback,
                         derived_from=f"no {region} price found; the {fallback} price is used", **common)
        raise CatalogError(f"catalog: {self.service} price {sku!r} has no figure for region {region!r} "
                           f"(has: {', '.join(sorted(values))})")

    def free_tier(self, sku: str) -> FreeTier | None:
        entry = self.free_tiers.get(sku)
        if entry is None:
            return None
        return FreeTier(service=self.service, sku=sku, quantity=Decimal(str(entry["quantity"])),
                        unit=_text(entry.get("unit")), scope=_text(entry.get("scope", "billing-account")),
                        period=_text(entry.get("period", "month")), source=_text(entry.get("source")),
                        date=_text(entry.get("date")), note=_text(entry.get("note")),
                        pool=_text(entry.get("pool")) or self.service, value_region=_text(entry.get("value_region")),
                        regions=tuple(entry.get("regions") or ()))

    def fact(self, name: str) -> Fact:
        entry = self.facts.get(name)
        if entry is None:
            raise CatalogError(f"catalog: {self.service} has no fact {name!r}")
        return Fact(name=name, value=entry.get("value"), unit=_text(entry.get("unit")),
                    source=_text(entry.get("source")), date=_text(entry.get("date")), note=_text(entry.get("note")))


def _read(path: Path) -> dict:
    if path.suffix == ".json":
        return json.loads(path.read_text())
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(), Loader=loader)


@cache
def service(name: str) -> ServiceCatalog:
    paths = [DATA / f"{name}.yaml", DATA / "generated" / f"{name}.json"]
    documents = [_read(path) for path in paths if path.exists()]
    if not documents:
        raise CatalogError(f"catalog: no data for service {name!r}")
    return ServiceCatalog(name, documents)


def services() -> list[str]:
    names = {path.stem for path in DATA.glob("*.yaml")} | {path.stem for path in (DATA / "generated").glob("*.json")}
    return sorted(names - {"regions"})


@cache
def regions() -> dict[str, dict]:
    """The regions archplan prices completely, with their city and country."""
    return _read(DATA / "regions.yaml")["regions"]


def supported_regions() -> tuple[str, ...]:
    return tuple(regions())
