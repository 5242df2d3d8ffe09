"""project.data_residency names a country some region is in, a group of countries (EU, EEA: catalog
residency_groups) or a continent (the regions' continents); SEC-008 compares each place the plan keeps data
with it. Any other name is one line at load (exit 1), not an error on every region later."""
import subprocess
import sys

import pytest

from archplan.assess import load
from archplan.errors import SpecError

PLAN = ("project: {{name: t, region: europe-west4, data_residency: {where}}}\ncomponents:\n  b:\n"
        "    kind: cloud_storage\n    location_type: region\n    storage_gb: 1\n")


def _load(tmp_path, where):
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN.format(where=where))
    return load(str(path))


@pytest.mark.parametrize("where", ["Netherlands", "netherlands", "EU", "eea", "European Union", "Europe"])
def test_a_country_group_or_continent_is_accepted(tmp_path, where):
    assert _load(tmp_path, where).project.data_residency == where


def test_a_name_no_region_has_is_one_line_with_the_nearest(tmp_path):
    with pytest.raises(SpecError) as caught:
        _load(tmp_path, "Germny")
    text = str(caught.value)
    assert text.startswith(f"{tmp_path / 'plan.yaml'}:1: project.data_residency: 'Germny' is not the country")
    assert text.endswith("did you mean 'Germany'?") and "\n" not in text
    with pytest.raises(SpecError) as caught:
        _load(tmp_path, "Benelux")
    assert "valid: a country `archplan regions` lists, EU or EEA, or a continent: Africa, Asia" in str(caught.value)


def test_a_bad_group_name_exits_1_with_one_line(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN.format(where="EFTA"))
    result = subprocess.run([sys.executable, "-m", "archplan", "check", str(path)], capture_output=True, text=True)
    assert result.returncode == 1 and result.stdout == "" and "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: {path}:1: project.data_residency: 'EFTA' is not the country of any region, "
                           "a group or a continent; valid: a country `archplan regions` lists, EU or EEA, or a "
                           "continent: Africa, Asia, Europe")


def test_a_country_may_be_written_by_its_short_name():
    """data_residency: US was refused (only "United States" worked); US, USA and UK are the countries."""
    from archplan import catalog

    assert catalog.residency("US").name == catalog.residency("usa").name == "United States"
    assert catalog.residency("UK").name == "United Kingdom"
    assert catalog.residency("US").holds_region("us-east4") and not catalog.residency("US").holds_region("europe-west2")
