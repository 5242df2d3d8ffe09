"""Vertex AI Vector Search by hand from the catalog's two figures (Cloud Billing Catalog SKUs transcribed in
nozomi-koborinai/terradart's wrappers; confidence M): index building $3 per GiB processed (8724-DA51-DA95),
serving on e2-standard-2 $0.0938084 per node-hour in us-central1 (722D-2FE3-D851). No other region or
machine type has a citable figure: other regions derive serving by their Compute Engine e2-standard-2
multiplier and borrow the building figure; the other machine types Vector Search serves on are e2-standard-2's
serving price x their Compute Engine price over e2-standard-2's; a machine type it does not serve on is a
one-line error, as is one that cannot serve the index's shard size."""
import pytest

from archplan import catalog
from archplan.check.sla import choose
from archplan.components.vector_search import Spec, shards
from tests.conftest import close, write_plan
from tests.pricing.test_platform_kinds import cli_error as run_cost

NODE_HOUR = 0.0938084
PER_GIB = 3.00
SMALL = {"shard_size": "SHARD_SIZE_SMALL"}  # the one shard size e2-standard-2 serves


def test_serving_node_hours_and_building_per_gib(priced):
    report = priced({"rag": {"kind": "vector_search", "index_gib": 30, "build_gib_per_month": 60, "nodes": 2, **SMALL}})
    serving = 2 * 730 * NODE_HOUR  # 1,460 node-hours = $136.96
    building = 60 * PER_GIB  # = $180.00
    assert close(report.total_usd, serving + building, 6)  # = $316.96
    items = {i.sku: i for i in report.line_items}
    assert close(items["serving/e2-standard-2"].quantity, 1460) and close(items["index_building"].quantity, 60)
    assert "nozomi-koborinai/terradart" in items["index_building"].source


@pytest.mark.parametrize(("nodes", "build", "usd"), [(1, 0, 730 * NODE_HOUR),  # $68.48: serving alone
                                                    (5, 2.5, 5 * 730 * NODE_HOUR + 2.5 * PER_GIB)])  # $349.90
def test_cost_by_hand(priced, nodes, build, usd):
    report = priced({"rag": {"kind": "vector_search", "index_gib": 2, "build_gib_per_month": build, "nodes": nodes,
                             **SMALL}})
    assert close(report.total_usd, usd, 6)


@pytest.mark.parametrize(("region", "e2_here"), [("europe-west1", 0.07371546), ("asia-south1", 0.08048436)])
def test_other_regions_derive_serving_by_the_compute_engine_multiplier(priced, region, e2_here):
    # e2-standard-2 on demand: 0.06701142 $/h in us-central1 (Cyclenerd pricing data); Belgium
    # 0.0938084 x 0.07371546 / 0.06701142 = 0.1031933 a node-hour; 730 h = $75.33; building borrows $3/GiB
    report = priced({"rag": {"kind": "vector_search", "index_gib": 1, "build_gib_per_month": 2, "nodes": 1, **SMALL}},
                    region=region)
    node_hour = round(NODE_HOUR * e2_here / 0.06701142, 7)
    assert close(report.total_usd, 730 * node_hour + 2 * PER_GIB, 6)
    text = "\n".join(report.assumptions)
    assert f"{region} figure derived, not published: us-central1 0.0938084 x (instance/e2-standard-2" in text
    assert "the us-central1 price is used (borrowed" in text


# Compute Engine on-demand in us-central1 (Cyclenerd pricing data): e2-standard-2 0.06701142, e2-standard-16
# 0.53609136, e2-highmem-16 0.72319728, n1-standard-32 1.519992 $/h.
@pytest.mark.parametrize(("machine", "engine"), [("e2-standard-16", 0.53609136), ("e2-highmem-16", 0.72319728),
                                                 ("n1-standard-32", 1.519992)])
def test_larger_machine_types_scale_e2_standard_2_by_compute_engine(priced, machine, engine):
    report = priced({"rag": {"kind": "vector_search", "index_gib": 1, "build_gib_per_month": 0, "nodes": 3,
                             "machine_type": machine}})
    node_hour = round(NODE_HOUR * engine / 0.06701142, 7)  # e2-standard-16: 0.0938084 x 8.0000 = 0.7504672
    assert close(report.total_usd, 3 * 730 * node_hour, 4)
    assert any(f"serving/{machine}: us-central1 figure derived" in a for a in report.assumptions)


def test_a_medium_index_defaults_to_googles_e2_standard_16(priced):
    report = priced({"rag": {"kind": "vector_search", "index_gib": 30, "build_gib_per_month": 0, "nodes": 2}})
    assert [i.sku for i in report.line_items] == ["serving/e2-standard-16"]
    assert close(report.total_usd, 2 * 730 * round(NODE_HOUR * 0.53609136 / 0.06701142, 7), 4)  # = $1,095.68


def test_a_machine_that_cannot_serve_the_shard_size_is_one_line(tmp_path):
    plan = {"rag": {"kind": "vector_search", "index_gib": 1, "build_gib_per_month": 1, "nodes": 1,
                    "machine_type": "e2-standard-2", "shard_size": "SHARD_SIZE_LARGE"}}
    code, err = run_cost(write_plan(tmp_path, plan))
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert "e2-standard-2 serves SHARD_SIZE_SMALL only, not SHARD_SIZE_LARGE" in err and "e2-highmem-16" in err


def test_unpriced_machine_type_is_one_line_naming_the_priced_ones(tmp_path):
    plan = {"rag": {"kind": "vector_search", "index_gib": 1, "build_gib_per_month": 1, "nodes": 1,
                    "machine_type": "n2-standard-8"}}
    code, err = run_cost(write_plan(tmp_path, plan))
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert "n2-standard-8" in err and "priced: e2-standard-2" in err and "e2-highmem-16" in err


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
