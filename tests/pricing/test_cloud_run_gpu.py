"""Cloud Run services with an NVIDIA L4 GPU: GPU-seconds for the whole instance lifetime at the zonal-redundancy
rate (cloud_run.yaml gpu_l4_*), beside instance-based CPU and memory; computed by hand from the unit prices."""
import pytest

from archplan.components.base import SECONDS_PER_MONTH
from tests.conftest import close, items, write_plan
from tests.generate.conftest import generate
from tests.generate.test_provider_schema import blocks_of
from tests.generate import provider_schema
from tests.pricing.test_platform_kinds import cli_error

GPU_SERVICE = {"kind": "cloud_run", "cpu": 4, "memory": "16Gi", "cpu_allocation": "always", "min_instances": 1,
               "max_instances": 1, "request_duration_ms": 500, "requests_per_month": 0, "gpu": 1}


def test_one_l4_always_on_in_iowa_with_zonal_redundancy(priced):
    report = priced({"llm": GPU_SERVICE})
    got = items(report)
    seconds = int(SECONDS_PER_MONTH)  # 730 h x 3600 = 2,628,000 s
    assert close(got["gpu_l4_instance_based"], seconds * 0.0002909, 2)          # $764.49
    assert close(got["cpu_instance_based"], seconds * 4 * 0.000018, 2)          # $189.22
    assert close(got["memory_instance_based"], seconds * 16 * 0.000002, 2)      # $84.10
    assert close(report.total_usd, seconds * (0.0002909 + 4 * 0.000018 + 16 * 0.000002), 2)


def test_zonal_redundancy_off_is_the_cheaper_sku(priced):
    report = priced({"llm": {**GPU_SERVICE, "gpu_zonal_redundancy": False}})
    assert close(items(report)["gpu_l4_no_zonal_redundancy_instance_based"], int(SECONDS_PER_MONTH) * 0.0001867, 2)


def test_another_tier1_region_takes_iowas_figure_and_says_so(priced):
    report = priced({"llm": {**GPU_SERVICE, "avg_instances": 0.5, "min_instances": 0}}, region="europe-west4")
    line = next(i for i in report.line_items if i.sku == "gpu_l4_instance_based")
    assert close(line.monthly_usd, int(SECONDS_PER_MONTH) * 0.5 * 0.0002909, 2)     # $382.24
    assert any("Iowa" in note for note in line.notes) or line.price.derived_from


@pytest.mark.parametrize("fields, message", [
    ({"cpu_allocation": "request"}, "instance-based billing"),
    ({"cpu": 2, "memory": "8Gi"}, "at least 4 vCPU and 16Gi")])
def test_a_gpu_without_its_requirements_is_one_line(tmp_path, fields, message):
    path = write_plan(tmp_path, {"llm": {**GPU_SERVICE, **fields}})
    code, err = cli_error(path)
    assert code == 1 and err.count("\n") == 1 and message in err


def test_the_tier2_gpu_region_is_derived_by_the_stated_ratio(priced):
    # asia-southeast1 (Tier 2): no published L4 figure; Iowa 0.0002909 x 1.2 (Cloud Run's published Tier 2 /
    # Tier 1 instance-based ratio, europe-west3 0.0000216 / 0.000018) = 0.00034908 per GPU-second.
    report = priced({"llm": GPU_SERVICE}, region="asia-southeast1")
    line = next(i for i in report.line_items if i.sku == "gpu_l4_instance_based")
    assert close(line.monthly_usd, int(SECONDS_PER_MONTH) * 0.00034908, 2)          # $917.38
    assert any("0.0002909 x 1.2 = 0.00034908" in a for a in report.assumptions)
    off = priced({"llm": {**GPU_SERVICE, "gpu_zonal_redundancy": False}}, region="asia-southeast1")
    assert close(items(off)["gpu_l4_no_zonal_redundancy_instance_based"],
                 int(SECONDS_PER_MONTH) * 0.00022404, 2)                              # 0.0001867 x 1.2


def test_mumbai_gpu_shows_both_price_groups(priced):
    # asia-south1: priced as Tier 1 (Iowa's 0.0002909); as Tier 2 it would be 0.00034908, and the report says so.
    report = priced({"llm": GPU_SERVICE}, region="asia-south1")
    assert close(items(report)["gpu_l4_instance_based"], int(SECONDS_PER_MONTH) * 0.0002909, 2)
    gpu = [a for a in report.assumptions if "gpu_l4_instance_based" in a]
    assert gpu and "price group conflict" in gpu[0] and "0.0002909" in gpu[0] and "0.00034908" in gpu[0]


def test_generated_service_attaches_the_gpu_within_the_provider_schema(tmp_path):
    plan = write_plan(tmp_path, {"llm": {**GPU_SERVICE, "gpu_zonal_redundancy": False}})
    code, _, err = generate(plan, tmp_path / "out", "--target", "terraform")
    assert code == 0, err
    found = False
    for path in sorted((tmp_path / "out" / "terraform").glob("*.tf")):
        for section, type_name, name, body in blocks_of(path):
            assert not provider_schema.violations(section, type_name, body, name)
            if type_name == "google_cloud_run_v2_service":
                template = body["template"][0]
                assert template["node_selector"][0]["accelerator"] == '"nvidia-l4"'
                assert template["gpu_zonal_redundancy_disabled"] is True
                assert template["containers"][0]["resources"][0]["limits"].get('"nvidia.com/gpu"') == '"1"', template["containers"][0]["resources"][0]["limits"]
                found = True
    assert found


def test_a_region_without_cloud_run_gpus_is_one_line(tmp_path):
    path = write_plan(tmp_path, {"llm": GPU_SERVICE}, region="us-west1")
    code, err = cli_error(path)
    assert code == 1 and err.count("\n") == 1 and "offers NVIDIA L4 GPUs in" in err and "not in us-west1" in err


def test_generated_gpu_service_imports_back_with_its_gpu(tmp_path):
    import yaml

    from archplan.cli import main

    plan = write_plan(tmp_path, {"llm": {**GPU_SERVICE, "gpu_zonal_redundancy": False}})
    assert generate(plan, tmp_path / "out", "--target", "terraform")[0] == 0
    out = tmp_path / "imported.yaml"
    assert main(["import", "terraform", str(tmp_path / "out" / "terraform"), "-o", str(out)]) == 0
    service = yaml.safe_load(out.read_text())["components"]["llm"]
    assert service["gpu"] == 1 and service["gpu_zonal_redundancy"] is False and service["cpu_allocation"] == "always"
