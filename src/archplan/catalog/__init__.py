"""archplan's catalog of GCP facts: prices, free tiers and other figures, each with source and date.

Data files live in catalog/data/: `<service>.yaml` written by hand from published prices and
`generated/<service>.json` derived by tools/build_catalog.py from public data sets. A service's
files are merged and loaded the first time a pricer asks for that service; a service whose prices are
split by region (`generated/<service>/<region>.json`) loads a region's file the first time a price in
that region is asked for.
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
    # (up_to cumulative quantity, usd): the bounds count the month's whole volume, free units first, as
    # Google's tables do ("150-100,000 MiB" after 150 free); the cost report prices the billable units from
    # where the free ones end
    tiers: tuple[tuple[Decimal | None, Decimal], ...] | None = None

    sku_id: str = ""  # the Cloud Billing Catalog SKU id, where known (used by tools/refresh_catalog.py)

    def cost(self, quantity: Decimal, already_used: Decimal = Decimal(0)) -> Decimal:
        """Cost of `quantity` units, after `already_used` units this month (for tiered prices).

        Above the last bounded tier the last tier's rate applies: a price list whose tiers all have an
        upper bound does not make the rest of the month free."""
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
        else:
            last_bound, last_rate = self.tiers[-1]
            beyond_start = max(start, last_bound)
            if end > beyond_start:
                total += (end - beyond_start) * last_rate
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
    by_region: tuple[tuple[str, Any], ...] = ()  # (region, value) where the region's figure differs

    @property
    def decimal(self) -> Decimal:
        return Decimal(str(self.value))

    def in_region(self, region: str | None) -> "Fact":
        """The fact as it holds in `region`: its own figure where the source gives the region one."""
        own = dict(self.by_region)
        if region not in own:
            return self
        return Fact(self.name, own[region], self.unit, self.source, self.date, self.note)


def _rules(entry: dict) -> list[dict]:
    """An entry's derivation rules: `derive` is one rule or a list of them, the first that applies wins."""
    rules = entry.get("derive") or []
    return rules if isinstance(rules, list) else [rules]


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value))


class ServiceCatalog:
    def __init__(self, service: str, documents: list[dict], shard_dir: Path | None = None):
        self.service = service
        self.display_name = service
        self.prices: dict[str, dict] = {}
        self.free_tiers: dict[str, dict] = {}
        self.facts: dict[str, dict] = {}
        self.region_groups: dict[str, list[str]] = {}
        self.group_conflicts: dict[str, dict] = {}
        self.unpriced_regions: dict[str, str] = {}  # region -> why the service has no price there
        self.machine_types: dict[str, dict] = {}
        self.dates: set[str] = set()
        self._shard_dir = shard_dir
        self._shards_loaded: set[str] = set()
        self._price_cache: dict[tuple[str, str], Price] = {}  # prices are immutable once their files are read
        self._free_tier_cache: dict[str, FreeTier | None] = {}  # so are free tiers
        for document in documents:
            self._merge(document)

    def _merge(self, document: dict) -> None:
        if hasattr(self, "_price_cache"):
            self._price_cache.clear()
            self._free_tier_cache.clear()
        self.display_name = document.get("display_name", self.display_name)
        defaults = document.get("defaults") or {}
        for section in ("prices", "free_tiers", "facts", "machine_types"):
            target = getattr(self, section)
            for key, value in (document.get(section) or {}).items():
                if section == "prices" and defaults:
                    value = {**defaults, **value}
                if key in target and section == "prices" and "region" in document:
                    merged = dict(target[key])
                    merged["usd"] = {**(merged.get("usd") or {}), **(value.get("usd") or {})}
                    target[key] = merged
                    continue
                if key in target:
                    raise CatalogError(f"catalog: {self.service}.{section}.{key} is defined twice")
                target[key] = value
                if section != "machine_types" and isinstance(value, dict) and value.get("date"):
                    self.dates.add(str(value["date"]))
        for group, regions in (document.get("region_groups") or {}).items():
            if isinstance(regions, list):
                self.region_groups[group] = regions
        self.group_conflicts.update(document.get("group_conflicts") or {})
        self.unpriced_regions.update(document.get("unpriced_regions") or {})

    def load_region(self, region: str) -> None:
        """Merge the region's own price file, for services split by region."""
        if self._shard_dir is None or region in self._shards_loaded:
            return
        self._shards_loaded.add(region)
        path = self._shard_dir / f"{region}.json"
        if path.exists():
            self._merge(_read(path))

    def load_all_regions(self) -> None:
        if self._shard_dir is not None:
            for path in sorted(self._shard_dir.glob("*.json")):
                self.load_region(path.stem)

    def _region_keys(self, region: str) -> list[str]:
        keys = [region]
        keys += [group for group, members in self.region_groups.items() if region in members]
        return keys + ["global"]

    def has_price(self, sku: str, region: str | None = None) -> bool:
        if region is not None:
            self.load_region(region)
        return sku in self.prices

    def sold_in(self, sku: str) -> list[str]:
        """The regions (and dual/multi-region locations) the catalog has a figure for this SKU in."""
        self.load_all_regions()
        entry = self.prices.get(sku) or {}
        values = entry.get("usd") or entry.get("tiers") or {}
        keys = set(values) | set(entry.get("derived") or {})
        names: set[str] = set()
        for key in keys:
            names.update(self.region_groups.get(key, [key]))
        for rule in _rules(entry):
            names.update(self._rule_regions(rule))
        if "global" in names:
            return ["global"]
        return sorted(names)

    def _rule_regions(self, rule: dict) -> set[str]:
        applies = rule.get("applies_to")
        if applies:
            out = set()
            for key in applies:
                out.update(self.region_groups.get(key, [key]))
            return out
        reference = rule.get("ratio_of")
        if "from_sku" in rule and not reference:
            return set(self.sold_in(rule["from_sku"]))
        if reference and "from_sku" in rule:
            return set(self.sold_in(rule["from_sku"])) & set(service(reference["service"]).sold_in(reference["sku"]))
        if reference:
            return set(service(reference["service"]).sold_in(reference["sku"]))
        return set()

    def _derive(self, sku: str, entry: dict, region: str) -> tuple[Decimal, str] | None:
        """A region's figure from the first of the entry's `derive` rules that applies to it, with the
        arithmetic that gives it."""
        if entry.get("tiers"):
            return None
        for rule in _rules(entry):
            applies = rule.get("applies_to")
            if applies and not any(region in self.region_groups.get(key, [key]) for key in applies):
                continue
            return self._apply_rule(sku, rule, region)
        return None

    def _apply_rule(self, sku: str, rule: dict, region: str) -> tuple[Decimal, str] | None:
        if "from_sku" in rule:
            return self._apply_sku_rule(rule, region)
        base_key = str(rule["from"])
        if region == base_key or region in self.region_groups.get(base_key, ()):
            return None
        base = self.price(sku, self.region_groups.get(base_key, [base_key])[0]) if base_key in self.region_groups \
            else self.price(sku, base_key)
        places = Decimal(1).scaleb(-int(rule.get("round", 7)))
        reference = rule.get("ratio_of")
        if reference:
            book = service(reference["service"])
            book.load_region(region)
            if not book.has_price(reference["sku"]):
                return None
            try:
                there = book.price(reference["sku"], region)
            except CatalogError:
                return None
            here = book.price(reference["sku"], base_key)
            value = (base.usd * there.usd / here.usd).quantize(places)
            how = (f"{region} figure derived, not published: {base_key} {base.usd:f} x ({reference['sku']} "
                   f"{there.usd:f} in {region} / {here.usd:f} in {base_key}) = {value.normalize():f}; "
                   f"{rule.get('rule', '')}")
        else:
            factor = _decimal(rule["factor"])
            value = (base.usd * factor).quantize(places)
            how = (f"{region} figure derived, not published: {base_key} {base.usd:f} x {factor} = "
                   f"{value.normalize():f}; {rule.get('rule', '')}")
        return value, how.rstrip("; ")

    def _apply_sku_rule(self, rule: dict, region: str) -> tuple[Decimal, str] | None:
        """Another SKU of this service in the same region, times a stated factor or scaled by how two SKUs of a
        reference service compare there (e.g. a larger machine type's serving price from the smaller one's)."""
        reference = rule.get("ratio_of")
        try:
            if reference:
                book = service(reference["service"])
                book.load_region(region)
                if not (book.has_price(reference["sku"]) and book.has_price(reference["over"])):
                    return None
                there, over = book.price(reference["sku"], region), book.price(reference["over"], region)
                factor = there.usd / over.usd
                shown = f"({reference['sku']} {there.usd:f} / {reference['over']} {over.usd:f})"
            else:
                factor = _decimal(rule.get("factor", 1))
                shown = f"{factor}"
            base = self.price(rule["from_sku"], region)
        except CatalogError:
            return None
        value = (base.usd * factor).quantize(Decimal(1).scaleb(-int(rule.get("round", 7))))
        how = (f"{region} figure derived, not published: {rule['from_sku']} {base.usd:f} x {shown} = "
               f"{value.normalize():f}; {rule.get('rule', '')}")
        if base.derived_from:
            how = f"{how.rstrip('; ')} ({rule['from_sku']} itself: {base.derived_from})"
        return value, how.rstrip("; ")

    def price(self, sku: str, region: str) -> Price:
        cached = self._price_cache.get((sku, region))
        if cached is None:
            cached = self._price_cache[(sku, region)] = self._find_price(sku, region)
        return cached

    def _find_price(self, sku: str, region: str) -> Price:
        self.load_region(region)
        entry = self.prices.get(sku)
        if entry is None:
            raise CatalogError(f"catalog: {self.service} has no price {sku!r}")
        values = entry.get("usd") or entry.get("tiers") or {}
        common = dict(service=self.service, sku=sku, description=_text(entry.get("description")),
                      unit=_text(entry.get("unit")), source=_text(entry.get("source")),
                      date=_text(entry.get("date")), confidence=_text(entry.get("confidence")),
                      note=_text(entry.get("note")), sku_id=_sku_id(entry.get("sku_id"), region))
        derived = entry.get("derived") or {}
        for key in self._region_keys(region):
            if key in values:
                common = {**common, **_region_source(entry, key)}
                conflict = self._conflict_note(sku, entry, region, key)
                # a region's figure that is another SKU's price, standing in for this one's (said in reports)
                stand_in = _text((entry.get("stand_ins") or {}).get(key))
                if stand_in:
                    conflict = ". ".join(filter(None, (conflict, f"{region} figure borrowed from another SKU: "
                                                                 + " ".join(stand_in.split()))))
                if "tiers" in entry:
                    tiers = tuple((None if up is None else _decimal(up), _decimal(usd)) for up, usd in values[key])
                    rates = [usd for _up, usd in tiers]
                    if any(later > earlier for earlier, later in zip(rates, rates[1:])):
                        # a volume band dearer than the one before: likely an error in the data set, said
                        conflict = ". ".join(filter(None, (conflict, (
                            f"{region}: the data's bands rise with volume ("
                            + ", ".join(f"{rate.normalize():f}" for rate in rates)
                            + " per band), unlike a volume discount; priced as given, check the source"))))
                    return Price(tiers=tiers, region_key=key, derived_from=conflict, **common)
                return Price(usd=_decimal(values[key]), region_key=key, derived_from=conflict, **common)
            if key in derived:
                how = _text(entry.get("derivation")) or "derived"
                return Price(usd=_decimal(derived[key]), region_key=key,
                             derived_from=f"{region} figure derived, not published: {how}", **common)
        rule = self._derive(sku, entry, region)
        if rule is not None:
            conflict = self._derived_conflict_note(sku, entry, region, rule[0])
            return Price(usd=rule[0], region_key=region, derived_from=". ".join(filter(None, (rule[1], conflict))),
                         **common)
        fallback = entry.get("fallback_region")
        if fallback and fallback in values and "tiers" not in entry and (region in supported_regions()
                                                                         or region in locations()):
            return Price(usd=_decimal(values[fallback]), region_key=fallback,
                         derived_from=f"{region} figure derived, not published: the {fallback} price is used "
                                      f"(borrowed; no {region} price found)", **common)
        raise CatalogError(self._not_sold(sku, entry, region))

    def _not_sold(self, sku: str, entry: dict, region: str) -> str:
        where = self.sold_in(sku)
        what = _text(entry.get("description")) or sku
        why = self.unpriced_regions.get(region) or "no published or derivable price for that region"
        return (f"{self.display_name} ({what}) is not sold in {region} ({why}); "
                f"it is sold in: {', '.join(where) if where else 'no region'}")

    def _conflict_note(self, sku: str, entry: dict, region: str, key: str) -> str:
        """Where sources disagree on a region's price group, say so with both figures."""
        conflict = self.group_conflicts.get(region)
        if not conflict or key != conflict.get("used") or "usd" not in entry:
            return ""
        other = conflict["other"]
        values = entry["usd"]
        other_value = self._group_figure(sku, entry, other, region)
        if other_value is None or _decimal(other_value) == _decimal(values[key]):
            return ""
        return (f"{region} price group conflict: priced as {key} ({values[key]} per {entry.get('unit', 'unit')}); "
                f"as {other} it would be {other_value}. {' '.join(str(conflict.get('why', '')).split())}").strip()

    def _group_figure(self, sku: str, entry: dict, group: str, region: str) -> Decimal | str | None:
        """The figure a price group has for this SKU: its own, or what a rule gives its first member (other
        than `region`) that one applies to."""
        own = (entry.get("usd") or {}).get(group)
        if own is not None:
            return own
        for member in self.region_groups.get(group, []):
            derived = self._derive(sku, entry, member) if member != region else None
            if derived:
                return derived[0]
        return None

    def _derived_conflict_note(self, sku: str, entry: dict, region: str, value: Decimal) -> str:
        """A derived figure in a region whose price group the sources dispute: the figure the other group's
        rule (or price) would give, so the report shows both."""
        conflict = self.group_conflicts.get(region)
        if not conflict:
            return ""
        other = conflict["other"]
        other_value = self._group_figure(sku, entry, other, region)
        if other_value is None or _decimal(other_value) == value:
            return ""
        return (f"{region} price group conflict: priced as {conflict['used']} ({value.normalize():f} per "
                f"{entry.get('unit', 'unit')}); as {other} it would be {_decimal(other_value).normalize():f}. "
                f"{' '.join(str(conflict.get('why', '')).split())}").strip()

    def free_tier(self, sku: str) -> FreeTier | None:
        if sku in self._free_tier_cache:
            return self._free_tier_cache[sku]
        tier = self._free_tier_cache[sku] = self._read_free_tier(sku)
        return tier

    def _read_free_tier(self, sku: str) -> FreeTier | None:
        entry = self.free_tiers.get(sku)
        if entry is None:
            return None
        return FreeTier(service=self.service, sku=sku, quantity=_decimal(entry["quantity"]),
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
                    source=_text(entry.get("source")), date=_text(entry.get("date")), note=_text(entry.get("note")),
                    by_region=tuple(sorted((entry.get("by_region") or {}).items())))


def _region_source(entry: dict, key: str) -> dict:
    """A region's figure that comes from another source than the entry's (`region_sources: {region: {source,
    date, confidence, note}}`): that source, date, confidence and note."""
    own = (entry.get("region_sources") or {}).get(key)
    if not own:
        return {}
    return {field: _text(own.get(field)) for field in ("source", "date", "confidence", "note") if field in own}


def _sku_id(value: Any, region: str) -> str:
    """`sku_id` is one id, or ids keyed by region (a regional price has one SKU per region)."""
    if isinstance(value, dict):
        return _text(value.get(region) or value.get("global"))
    return _text(value)


def _read(path: Path) -> dict:
    if path.suffix == ".json":
        return json.loads(path.read_text())
    from archplan.catalog import compiled

    return compiled.load_yaml(path)


@cache
def service(name: str) -> ServiceCatalog:
    paths = [DATA / f"{name}.yaml", DATA / "generated" / f"{name}.json"]
    documents = [_read(path) for path in paths if path.exists()]
    if not documents:
        raise CatalogError(f"catalog: no data for service {name!r}")
    shard_dir = DATA / "generated" / name
    return ServiceCatalog(name, documents, shard_dir if shard_dir.is_dir() else None)


NOT_SERVICES = {"regions", "locations"}


def services() -> list[str]:
    names = {path.stem for path in DATA.glob("*.yaml")} | {path.stem for path in (DATA / "generated").glob("*.json")}
    return sorted(names - NOT_SERVICES)


@cache
def _regions_file() -> dict:
    return _read(DATA / "regions.yaml")


def regions() -> dict[str, dict]:
    """The regions archplan prices, with their city, country and continent."""
    return _regions_file()["regions"]


def supported_regions() -> tuple[str, ...]:
    return tuple(regions())


def locations() -> dict[str, dict]:
    """Dual- and multi-region location names (Cloud Storage, Firestore, BigQuery, Spanner), each with
    its kind, the services that offer it, its member regions where published, and its country set."""
    return _regions_file().get("locations") or {}


@dataclass(frozen=True)
class Residency:
    """Where a plan's data must stay: one country, a group of countries (EU, EEA) or a continent."""

    name: str  # as the catalog spells it: India, EU, Europe
    kind: str  # country | group | continent
    countries: frozenset[str]  # lower case; a continent: every country the regions on it are in
    title: str = ""  # a group's full name
    source: str = ""

    @property
    def outside(self) -> str:
        """The words for a place that breaks it: 'not India', 'outside the EU', 'outside Europe'."""
        if self.kind == "country":
            return f"not {self.name}"
        return f"outside the {self.name} ({self.title})" if self.kind == "group" else f"outside {self.name}"

    def holds_region(self, region: str) -> bool:
        facts = regions().get(region)
        if facts is None:
            return False
        if self.kind == "continent":
            return facts["continent"].lower() == self.name.lower()
        return facts["country"].lower() in self.countries

    def holds_location(self, location: str) -> bool:
        """A dual- or multi-region location: its countries (its member regions' countries, or its whole group:
        the EU multi-region) all inside; a continent holds the locations on it. A location whose countries
        are not published (asia: 'several in Asia') is inside no country or group."""
        facts = locations().get(location)
        if facts is None:
            return self.holds_region(location)
        if self.kind == "continent":
            return str(facts.get("continent", "")).lower() == self.name.lower()
        if facts.get("group"):
            group = residency_groups()[facts["group"]]
            return {country.lower() for country in group["countries"]} <= self.countries
        countries = [str(c) for c in facts.get("countries", ())]
        known = {r["country"] for r in regions().values()}
        return bool(countries) and all(c in known and c.lower() in self.countries for c in countries)


def residency_groups() -> dict[str, dict]:
    return _regions_file().get("residency_groups") or {}


def residency_names() -> list[str]:
    """What data_residency accepts: the regions' countries, the groups, the regions' continents."""
    return sorted({r["country"] for r in regions().values()}) + list(residency_groups()) + \
        sorted({r["continent"] for r in regions().values()})


# Short names people write for a country (ISO 3166 alpha-2 and common abbreviations) -> the catalog's name.
COUNTRY_SHORT_NAMES = {"us": "United States", "usa": "United States", "u.s.": "United States",
                       "uk": "United Kingdom", "gb": "United Kingdom"}


def residency(name: str) -> Residency | None:
    """data_residency resolved (case-insensitive): a country some region is in (or its short name: US,
    USA, UK), a group, or a continent."""
    wanted = name.strip().lower()
    wanted = COUNTRY_SHORT_NAMES.get(wanted, wanted).lower()
    for country in sorted({r["country"] for r in regions().values()}):
        if country.lower() == wanted:
            return Residency(country, "country", frozenset({wanted}), source=_regions_file().get("country_source", ""))
    for key, group in residency_groups().items():
        if key.lower() == wanted or group["name"].lower() == wanted:
            return Residency(key, "group", frozenset(c.lower() for c in group["countries"]), group["name"],
                             group["source"])
    for continent in sorted({r["continent"] for r in regions().values()}):
        if continent.lower() == wanted:
            return Residency(continent, "continent", frozenset(r["country"].lower() for r in regions().values()
                                                               if r["continent"] == continent))
    return None


@dataclass(frozen=True)
class ExchangeRate:
    currency: str
    per_usd: Decimal
    source: str
    date: str


def currencies() -> list[str]:
    book = service("fx")
    return sorted({"USD"} | {name.split("_", 1)[1].upper() for name in book.facts if name.startswith("usd_")})


def exchange_rate(currency: str) -> ExchangeRate:
    """How many units of `currency` one US dollar buys, with the dated source of the rate."""
    if currency == "USD":
        return ExchangeRate("USD", Decimal(1), "", "")
    book = service("fx")
    entry = book.facts.get(f"usd_{currency.lower()}")
    if entry is None:
        raise CatalogError(f"no dated exchange rate for currency {currency!r}; "
                           f"currencies with a rate: {', '.join(currencies())}")
    return ExchangeRate(currency, _decimal(entry["value"]), _text(entry.get("source")), _text(entry.get("date")))


def check_region(region: str, locations_too: bool = False) -> None:
    """An unknown region is one line naming the nearest valid ones (region_problem)."""
    problem = region_problem(region, locations_too)
    if problem is not None:
        raise CatalogError(problem)


def region_problem(region: str, locations_too: bool = False, shown: str | None = None) -> str | None:
    """Why `region` is not a region archplan prices, or None. A dual- or multi-region location is valid only
    with `locations_too` (a catalog listing); where a region is needed, the message says what it is instead.
    `shown`: the name as the message prints it (a caller's shortened form of a long input)."""
    if region in regions() or (locations_too and region in locations()):
        return None
    shown = shown if shown is not None else repr(region)
    place = locations().get(region)
    if place is not None:
        members = [name for name in place.get("regions") or [] if name in regions()] or \
            [name for name, facts in regions().items() if facts.get("continent") == place.get("continent")]
        return (f"{shown} is a {place.get('kind', 'multi-region')} location "
                f"({', '.join(place.get('services') or [])} only), not a region; a region is needed here, e.g. "
                f"{', '.join(members[:4])} ({len(regions())} regions: archplan regions)")
    return f"unknown or unsupported region {shown}; {nearest_regions(region, locations_too)}"


def nearest_regions(word: str, locations_too: bool = False) -> str:
    import difflib

    names = [name for name in list(regions()) + (list(locations()) if locations_too else []) if name != word]
    folded = str(word).strip().lower().replace("_", "-")  # US-CENTRAL1, Nam5, us_east1: the name in another case
    close = [name for name in names if name == folded] or difflib.get_close_matches(folded, names, n=3, cutoff=0.5)
    if not close:
        close = [name for name in names if name.split("-")[0] == str(word).split("-")[0]][:3]
    if not close:
        return f"none is close: {len(regions())} regions, archplan regions lists them"
    return f"nearest: {', '.join(close)} ({len(regions())} regions: archplan regions)"
