"""Vertex AI Vector Search by hand from the catalog's two figures (Cloud Billing Catalog SKUs transcribed in
nozomi-koborinai/terradart's wrappers; confidence M): index building $3 per GiB processed (8724-DA51-DA95),
serving on e2-standard-2 $0.0938084 per node-hour in us-central1 (722D-2FE3-D851). No other region or
machine type has a citable figure: other regions derive serving by their Compute Engine e2-standard-2
multiplier and borrow the building figure; another machine type is a one-line error."""
import pytest

from archplan import catalog
from archplan.check.sla import choose
from archplan.components.vector_search import Spec, shards
from tests.conftest import close, write_plan
from tests.pricing.test_platform_kinds import cli_error as run_cost

NODE_HOUR = 0.0938084
PER_GIB = 3.00


def test_serving_node_hours_and_building_per_gib(priced):
    report = priced({"rag": {"kind": "vector_search", "index_gib": 30, "build_gib_per_month": 60, "nodes": 2}})
    serving = 2 * 730 * NODE_HOUR  # 1,460 node-hours = $136.96
    building = 60 * PER_GIB  # = $180.00
    assert close(report.total_usd, serving + building, 6)  # = $316.96
    items = {i.sku: i for i in report.line_items}
    assert close(items["serving/e2-standard-2"].quantity, 1460) and close(items["index_building"].quantity, 60)
    assert "nozomi-koborinai/terradart" in items["index_building"].source


@pytest.mark.parametrize(("nodes", "build", "usd"), [(1, 0, 730 * NODE_HOUR),  # $68.48: serving alone
                                                    (5, 2.5, 5 * 730 * NODE_HOUR + 2.5 * PER_GIB)])  # $349.90
def test_cost_by_hand(priced, nodes, build, usd):
    report = priced({"rag": {"kind": "vector_search", "index_gib": 2, "build_gib_per_month": build, "nodes": nodes}})
    assert close(report.total_usd, usd, 6)


@pytest.mark.parametrize(("region", "e2_here"), [("europe-west1", 0.07371546), ("asia-south1", 0.08048436)])
def test_other_regions_derive_serving_by_the_compute_engine_multiplier(priced, region, e2_here):
    # e2-standard-2 on demand: 0.06701142 $/h in us-central1 (Cyclenerd pricing data); Belgium
    # 0.0938084 x 0.07371546 / 0.06701142 = 0.1031933 a node-hour; 730 h = $75.33; building borrows $3/GiB
    report = priced({"rag": {"kind": "vector_search", "index_gib": 1, "build_gib_per_month": 2, "nodes": 1}},
                    region=region)
    node_hour = round(NODE_HOUR * e2_here / 0.06701142, 7)
    assert close(report.total_usd, 730 * node_hour + 2 * PER_GIB, 6)
    text = "\n".join(report.assumptions)
    assert f"{region} figure derived, not published: us-central1 0.0938084 x (instance/e2-standard-2" in text
    assert "the us-central1 price is used (borrowed" in text


def test_unpriced_machine_type_is_one_line_naming_the_priced_one(tmp_path):
    plan = {"rag": {"kind": "vector_search", "index_gib": 1, "build_gib_per_month": 1, "nodes": 1,
                    "machine_type": "e2-standard-16"}}
    code, err = run_cost(write_plan(tmp_path, plan))
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert "e2-standard-16" in err and "e2-standard-2 (in every supported region but " in err


@pytest.mark.parametrize("bad", [{"nodes": 0}, {"index_gib": -1}, {"machine_type": "E2 standard"}])
def test_bad_fields_are_one_line(tmp_path, bad):
    plan = {"rag": {"kind": "vector_search", "index_gib": 1, "build_gib_per_month": 1, "nodes": 1, **bad}}
    code, err = run_cost(write_plan(tmp_path, plan))
    assert code == 1 and len(err.strip().splitlines()) == 1 and next(iter(bad)) in err


def test_shards_from_the_published_shard_sizes():
    # SHARD_SIZE_MEDIUM is 20 GiB a shard: 30 GiB is 2 shards, 0 GiB still one; SMALL (2 GiB): 5 GiB is 3.
    assert shards(Spec(kind="vector_search", index_gib=30, build_gib_per_month=0, nodes=1)) == 2
    assert shards(Spec(kind="vector_search", index_gib=0, build_gib_per_month=0, nodes=1)) == 1
    assert shards(Spec(kind="vector_search", index_gib=5, build_gib_per_month=0, nodes=1,
                       shard_size="SHARD_SIZE_SMALL")) == 3


def test_no_sla_figure_is_published_in_the_catalog():
    choice = choose("vector_search", Spec(kind="vector_search", index_gib=1, build_gib_per_month=0, nodes=2))
    assert catalog.service("availability").fact(choice.fact).value is None
