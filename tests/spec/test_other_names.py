"""Keys written the way the google provider or the console names them are answered with archplan's field
(found by a trial plan: `high_availability` was answered with 'availability_percent', `memory_gb` on Redis
with a list of twelve keys and a second error saying capacity_gb was missing)."""
import subprocess
import sys

from archplan.components import kind_module, kinds


def validate_all(path):
    return subprocess.run([sys.executable, "-m", "archplan", "validate", "--all-errors", str(path)],
                          capture_output=True, text=True)


def test_every_other_name_points_at_a_field_of_its_kind_and_is_not_one():
    for kind in kinds():
        spec = kind_module(kind).Spec
        for written, field in spec.other_names.items():
            assert field in spec.model_fields, (kind, written, field)
            assert written not in spec.model_fields, (kind, written)


def test_provider_names_are_answered_with_the_field_and_the_missing_key_is_not_reported_twice(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(
        "project: {name: c, region: us-central1}\n"
        "components:\n"
        "  db: {kind: cloud_sql, engine: postgres, tier: db-custom-1-3840, storage_gb: 10, high_availability: true}\n"
        "  cache: {kind: memorystore_redis, tier: basic, memory_size_gb: 1}\n"
        "  api: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 10, max_instance_count: 3}\n")
    result = validate_all(path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: {path}:3: components.db.high_availability: unknown key; did you mean 'ha'?",
        f"error: {path}:4: components.cache.memory_size_gb: unknown key; did you mean 'capacity_gb'?",
        f"error: {path}:5: components.api.max_instance_count: unknown key; did you mean 'max_instances'?"]


def test_a_phase_cost_range_written_min_max_is_answered_with_low_high(tmp_path):
    """`monthly_cost: {min: ..., max: ...}` (a trial plan) was told low and high were missing before being told
    min and max were unknown; now min and max are answered with low and high, and a key still missing comes
    after the unknown keys of its mapping."""
    from archplan.spec.model import CostRange

    for written, field in CostRange.other_names.items():
        assert field in CostRange.model_fields and written not in CostRange.model_fields
    path = tmp_path / "plan.yaml"
    path.write_text(
        "project: {name: c, region: us-central1}\n"
        "traffic: {daily_active_users: 100, requests_per_user_per_day: 10}\n"
        "components:\n"
        "  api: {kind: cloud_run, cpu: 1, memory: 512Mi, request_duration_ms: 10}\n"
        "phases:\n"
        "  - {name: a, min_users: 0, max_users: 10, monthly_cost: {min: 1, max: 2, currency: USD}}\n"
        "  - {name: b, min_users: 10, monthly_cost: {maximum: 9, currency: USD}}\n")
    result = validate_all(path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[:2] == [f"error: {path}:6: phases[0].monthly_cost.min: unknown key; did you mean 'low'?",
                         f"error: {path}:6: phases[0].monthly_cost.max: unknown key; did you mean 'high'?"]
    assert lines[2].startswith(f"error: {path}:7: phases[1].monthly_cost.maximum: unknown key")
    assert [line.split(": ")[2] for line in lines[3:]] == ["phases[1].monthly_cost.low", "phases[1].monthly_cost.high"]
