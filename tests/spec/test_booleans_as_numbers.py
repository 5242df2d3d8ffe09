"""true or false where a number is wanted is an error naming the key: pydantic's lax int read
`max_instances: true` as one instance."""
import pytest

from archplan.errors import SpecError
from tests.spec.test_load import BASE, error, load

PLAN = BASE.replace("    requests_per_month: 1000\n", "    requests_per_month: 1000\n    max_instances: 5\n")


@pytest.mark.parametrize("old, new, key", [
    ("max_instances: 5", "max_instances: true", "components.api.max_instances"),
    ("cpu: 1", "cpu: false", "components.api.cpu"),
    ("requests_per_month: 1000", "requests_per_month: true", "components.api.requests_per_month"),
])
def test_a_boolean_is_not_a_number(tmp_path, old, new, key):
    err = error(tmp_path, PLAN.replace(old, new))
    assert err.key == key and ("not true" in err.message or "not false" in err.message), (err.key, err.message)


def test_a_boolean_field_still_takes_a_boolean_and_numbers_still_load(tmp_path):
    load(tmp_path, PLAN)
    with pytest.raises(SpecError):
        load(tmp_path, PLAN.replace("max_instances: 5", "max_instances: off"))
