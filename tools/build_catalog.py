"""Derive archplan's generated catalog files from the public data sets in ../shared/pricing/.

Run: python tools/build_catalog.py [--shared ../shared/pricing]
Writes src/archplan/catalog/data/generated/*.json in archplan's own catalog format (see
docs/catalog-format.md), for every region the data sets price. Compute Engine machine prices are split
into one file per region (generated/compute_engine/<region>.json) so a plan loads only its own region's.
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import yaml

REGIONS: list[str] = []  # every region of the Compute Engine data set; set by main()
# Machine families archplan offers for GKE node pools and Compute Engine VMs.
FAMILIES = ("e2-", "n1-", "n2-", "n2d-", "c3-", "t2d-", "n4-", "g2-", "a2-", "a3-")
# GPUs of the accelerator-optimized families (their instance price includes the GPUs): the data set's
# key -> the Compute Engine accelerator type.
GPU_TYPES = {"l4": "nvidia-l4", "a100": "nvidia-tesla-a100", "a100-80gb": "nvidia-a100-80gb",
             "h100-80gb": "nvidia-h100-80gb"}
HOURS_PER_MONTH = 730

CYCLENERD = {
    "source": "Cyclenerd/google-cloud-pricing-cost-calculator pricing.yml, commit "
              "fd66b26ff84fee5cdd94f341ea89206e76c06b99",
    "note": "Cloud Billing Catalog SKU prices as of the data set's date",
    "date": "2026-07-30",
    "confidence": "H",
}
DOIT_MEMORYSTORE = {
    "source": "doitintl/gcpinstances.info public/data/memorystore-pricing.json, commit "
              "0245c5c663169bb969c250e25beb48540eba55b7",
    "date": "2026-09-25",
    "confidence": "H",
}
# Node types of Memorystore for Valkey and Redis Cluster: the data set's name -> Google's node type name.
CLUSTER_NODE_TYPES = {
    "memorystore_valkey": ("Memorystore for Valkey", {
        "valkey-shared-core-nano": "shared-core-nano", "valkey-standard-small": "standard-small",
        "valkey-highmem-medium": "highmem-medium", "valkey-highmem-xlarge": "highmem-xlarge"}),
    "memorystore_redis_cluster": ("Memorystore for Redis Cluster", {
        "redis-cluster-shared-core-nano": "redis-shared-core-nano",
        "redis-cluster-standard-small": "redis-standard-small",
        "redis-cluster-default": "redis-highmem-medium",
        "redis-cluster-highmem-xlarge": "redis-highmem-xlarge"}),
}
DOIT_CLOUDSQL = {
    "source": "doitintl/gcpinstances.info public/data/cloudsql-pricing.json, commit "
              "0245c5c663169bb969c250e25beb48540eba55b7",
    "date": "2026-09-25",
    "confidence": "M",
    "note": "mysql columns for N1 shapes, postgres columns for C4A (the other columns of the data set are "
            "inconsistent); Google prices Enterprise vCPU and memory the same for both engines",
}
DOIT_FX = {
    "source": "doitintl/gcpinstances.info public/data/exchange-rates.json, commit "
              "ba19beccf5382785196461bc656831e2a5a59e75",
    "date": "2026-08-20",
}


def money(value: float) -> str:
    """A float from the data set as a decimal string, without float noise."""
    text = f"{value:.10f}".rstrip("0").rstrip(".")
    return text if text else "0"


def by_region(cost: dict, key: str, scale: float = 1.0, regions=REGIONS) -> dict:
    out = {}
    for region in regions:
        if region in cost and cost[region].get(key) is not None:
            out[region] = money(cost[region][key] * scale)
    return out


def compute_engine(data: dict) -> tuple[dict, dict[str, dict]]:
    """The region-independent file, and one file of machine prices per region."""
    instances = data["compute"]["instance"]
    machine_types, prices, shards = {}, {}, {}
    for name in sorted(instances):
        if not name.startswith(FAMILIES):
            continue
        entry = instances[name]
        cost = entry.get("cost", {})
        if not any(region in cost for region in REGIONS):
            continue
        machine_types[name] = {"vcpu": entry["cpu"], "memory_gb": entry["ram"],
                               "regions": sorted(region for region in REGIONS if region in cost)}
        for key, gpu_type in GPU_TYPES.items():
            if entry.get(key):
                machine_types[name].update(gpu_type=gpu_type, gpus=entry[key])
        variants = {
            "": ("hour", 1.0, "on-demand"),
            "/sud": ("month", 1 / HOURS_PER_MONTH, "on-demand, full month with sustained-use discount"),
            "/cud_1y": ("month_1y", 1 / HOURS_PER_MONTH, "1-year resource-based committed use"),
            "/cud_3y": ("month_3y", 1 / HOURS_PER_MONTH, "3-year resource-based committed use"),
            "/spot": ("hour_spot", 1.0, "Spot VM"),
        }
        for suffix, (key, scale, label) in variants.items():
            for region, usd in by_region(cost, key, scale).items():
                shards.setdefault(region, {})[f"instance/{name}{suffix}"] = {
                    "description": f"{name} ({entry['cpu']} vCPU, {entry['ram']} GB), {label}",
                    "usd": {region: usd}}
    disks = {"pd_standard": "hdd", "pd_balanced": "balanced", "pd_ssd": "ssd",
             "pd_standard_regional": "hdd-replicated", "pd_balanced_regional": "balanced-replicated",
             "pd_ssd_regional": "ssd-replicated", "snapshot": "snapshot"}
    for sku, key in disks.items():
        prices[sku] = {
            "description": f"Persistent disk storage ({key})",
            "unit": "GiB-month",
            "usd": by_region(data["compute"]["storage"][key]["cost"], "month"),
            **CYCLENERD,
        }
    ip = data["compute"]["network"]["ip"]
    prices["external_ip_in_use"] = {
        "description": "External IP address on a VM", "unit": "IP-hour",
        "usd": by_region(ip["vm"]["cost"], "hour"), **CYCLENERD}
    prices["external_ip_unused"] = {
        "description": "Static external IP address, reserved but unused", "unit": "IP-hour",
        "usd": by_region(ip["unused"]["cost"], "hour"), **CYCLENERD}
    base = {"service": "compute_engine", "display_name": "Compute Engine", "region_shards": True,
            "machine_types": machine_types, "prices": prices}
    defaults = {"unit": "instance-hour", **CYCLENERD}
    return base, {region: {"service": "compute_engine", "region": region, "defaults": defaults, "prices": shard}
                  for region, shard in shards.items()}


def network(data: dict) -> dict:
    internet = data["compute"]["network"]["traffic"]["egress"]["internet"]
    bounds = {"0-1": 1024, "1-10": 10240, "10n": None}  # TiB bands of the source, in GiB
    prices = {}
    for destination, sku in (("cost", "egress_internet"), ("china", "egress_internet_china"),
                             ("australia", "egress_internet_australia")):
        tiers_by_region = {}
        for region in REGIONS:
            tiers = []
            bands = internet["cost"] if destination == "cost" else internet[destination]["cost"]
            for band, up_to in bounds.items():
                tiers.append([up_to, money(bands[band][region]["month"])])
            tiers_by_region[region] = tiers
        label = {"cost": "worldwide destinations except China and Australia"}.get(destination, destination)
        prices[sku] = {
            "description": f"Internet egress, Premium tier, to {label}",
            "unit": "GiB", "tiers": tiers_by_region, **CYCLENERD,
        }
    return {"service": "network", "display_name": "Network egress", "prices": prices}


def cloud_storage(data: dict) -> dict:
    buckets = data["storage"]["bucket"]
    classes = {"standard": "standard", "nearline": "nearline", "coldline": "coldline", "archive": "archiv"}
    multi = {"asia": "asia-multi", "eu": "europe-multi", "us": "us-multi"}
    dual = {"asia1": "asia1", "eur4": "eur4", "nam4": "nam4"}
    prices = {}
    for cls, key in classes.items():
        prices[f"storage_{cls}_region"] = {  # regional buckets, and the two regions of a dual-region
            "description": f"{cls.title()} storage, regional bucket", "unit": "GiB-month",
            "usd": by_region(buckets[key]["cost"], "month"), **CYCLENERD}
        prices[f"storage_{cls}_multi_region"] = {
            "description": f"{cls.title()} storage, multi-region bucket", "unit": "GiB-month",
            "usd": {loc: money(buckets[f"{key}-multi"]["cost"][src]["month"]) for loc, src in multi.items()},
            **CYCLENERD}
        prices[f"storage_{cls}_dual_region"] = {
            "description": f"{cls.title()} storage, dual-region bucket", "unit": "GiB-month",
            "usd": {loc: money(buckets[f"{key}-dual"]["cost"][src]["month"]) for loc, src in dual.items()},
            **CYCLENERD}
    for cls, key in (("nearline", "nearline"), ("coldline", "coldline"), ("archive", "archiv")):
        retrieval = data["storage"]["retrieval"][key]["cost"]
        any_region = next(iter(retrieval.values()))
        prices[f"retrieval_{cls}"] = {
            "description": f"{cls.title()} data retrieval", "unit": "GiB",
            "usd": {"global": money(any_region["month"])}, **CYCLENERD}
    return {"service": "cloud_storage", "display_name": "Cloud Storage", "prices": prices}


def memorystore(doit: dict) -> dict:
    prices = {}
    regions = sorted(doit["regions"])
    for item in doit["instances"]:
        match = re.fullmatch(r"redis-(basic|standard)-(m[1-5])", item["name"])
        if not match:
            continue
        tier, band = match.groups()
        for key, suffix, label in (("onDemand", "", "on-demand"), ("cud1yr", "/cud_1y", "1-year commitment"),
                                   ("cud3yr", "/cud_3y", "3-year commitment")):
            usd = by_region(item["pricing"], key, regions=regions)
            if usd:
                prices[f"{tier}_{band}{suffix}"] = {
                    "description": f"Redis {tier.title()} tier, capacity band {band.upper()}, {label}",
                    "unit": "GiB-hour", "usd": usd, **DOIT_MEMORYSTORE}
                if (tier, band, suffix) == ("standard", "m1", ""):
                    prices[f"{tier}_{band}"]["note"] = (
                        "as published in the data set; asia-south1 (0.11) is 1.75x its Basic M1 rate where "
                        "other regions and bands are about 1.3x, and above asia-southeast2: re-check")
    return {"service": "memorystore_redis", "display_name": "Memorystore for Redis", "prices": prices}


def memorystore_cluster(doit: dict, service: str) -> dict:
    """Valkey or Redis Cluster: USD per node-hour by node type (on-demand; the data set has no CUD price)."""
    display, node_types = CLUSTER_NODE_TYPES[service]
    prices = {}
    for item in doit["instances"]:
        node_type = node_types.get(item["name"])
        if node_type is None:
            continue
        note = f"data set entry {item['name']} ({item['nodeType']})"
        if item["name"] == "redis-cluster-default":
            note += "; taken as redis-highmem-medium: the data set gives it 13 GB, the size of that node type"
        prices[f"node/{node_type}"] = {
            "description": f"{display} node, {node_type}, on-demand", "unit": "node-hour",
            "usd": by_region(item["pricing"], "onDemand"), "note": note, **DOIT_MEMORYSTORE}
    return {"service": service, "display_name": display, "prices": prices}


def cloud_sql_shapes(doit: dict) -> dict:
    """Whole-shape prices: the reference the per-vCPU and per-GB rates of other regions are derived from."""
    prices = {}
    for name, item in sorted(doit["shapes"].items()):
        engine = "postgres" if item["series"] == "C4A" else "mysql"
        regions = sorted(item["pricing"])
        for availability, column in (("zonal", f"{engine}Zonal"), ("regional", f"{engine}Regional")):
            usd = by_region(item["pricing"], column, regions=regions)
            if usd:
                prices[f"shape/{name}/{availability}"] = {
                    "description": f"{name} {item['edition']} ({availability}), vCPU and memory",
                    "unit": "instance-hour", "usd": usd, **DOIT_CLOUDSQL}
    return {"service": "cloud_sql", "display_name": "Cloud SQL", "prices": prices}


def exchange_rates(doit: dict) -> dict:
    facts = {}
    for currency, rate in sorted(doit["rates"].items()):
        if currency != doit["base"]:
            facts[f"usd_{currency.lower()}"] = {"value": money(rate), "unit": f"{currency} per USD", **DOIT_FX}
    return {"service": "fx", "display_name": "Exchange rates", "facts": facts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    root = Path(__file__).resolve().parent.parent
    parser.add_argument("--shared", type=Path, default=root.parent / "shared" / "pricing")
    parser.add_argument("--out", type=Path, default=root / "src/archplan/catalog/data/generated")
    args = parser.parse_args()
    cyclenerd = yaml.load((args.shared / "cyclenerd/pricing.yml").read_text(), Loader=yaml.CSafeLoader)
    REGIONS[:] = sorted(cyclenerd["region"])
    doit = args.shared / "doitintl/all-regions"
    doit_memorystore = json.loads((doit / "memorystore-pricing.json").read_text())
    doit_sql = json.loads((doit / "cloudsql-shapes.json").read_text())
    doit_fx = json.loads((doit / "exchange-rates.json").read_text())
    compute, compute_shards = compute_engine(cyclenerd)
    outputs = {
        "compute_engine": compute,
        "network": network(cyclenerd),
        "cloud_storage": cloud_storage(cyclenerd),
        "memorystore_redis": memorystore(doit_memorystore),
        "memorystore_valkey": memorystore_cluster(doit_memorystore, "memorystore_valkey"),
        "memorystore_redis_cluster": memorystore_cluster(doit_memorystore, "memorystore_redis_cluster"),
        "cloud_sql": cloud_sql_shapes(doit_sql),
        "fx": exchange_rates(doit_fx),
    }
    outputs.update({f"compute_engine/{region}": shard for region, shard in compute_shards.items()})
    (args.out / "compute_engine").mkdir(parents=True, exist_ok=True)
    for name, content in outputs.items():
        path = args.out / f"{name}.json"
        path.write_text(json.dumps(content, indent=1, sort_keys=True) + "\n")
        print(f"wrote {path.relative_to(root)}: {len(content.get('prices') or content.get('facts'))} entries")


if __name__ == "__main__":
    main()
