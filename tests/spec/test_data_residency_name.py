"""project.data_residency names a country some region is in (SEC-008 compares it with each region's country):
a name no region has, such as 'EU', is one line at load, not an error on every region later."""
import pytest

from archplan.assess import load
from archplan.errors import SpecError

PLAN = ("project: {{name: t, region: europe-west4, data_residency: {where}}}\ncomponents:\n  b:\n"
        "    kind: cloud_storage\n    location_type: region\n    storage_gb: 1\n")


def _load(tmp_path, where):
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN.format(where=where))
    return load(str(path))


@pytest.mark.parametrize("where", ["Netherlands", "netherlands"])
def test_a_country_with_regions_is_accepted(tmp_path, where):
    assert _load(tmp_path, where).project.data_residency == where


def test_a_name_no_region_has_is_one_line_with_the_nearest(tmp_path):
    with pytest.raises(SpecError) as caught:
        _load(tmp_path, "Germny")
    text = str(caught.value)
    assert text.startswith(f"{tmp_path / 'plan.yaml'}:1: project.data_residency: 'Germny' is not the country")
    assert text.endswith("did you mean 'Germany'?") and "\n" not in text
    with pytest.raises(SpecError) as caught:
        _load(tmp_path, "EU")
    assert "valid: Australia, Belgium" in str(caught.value)
