"""API value rules the provider schema does not carry (src/archplan/spec/api_rules.yaml),
checked over every example's generated Terraform: Cloud SQL flags in the API's form and sized for replicas,
name length and characters, labels, budget currency."""
import re
from decimal import Decimal

import hcl2
import pytest

from archplan.spec import api_rules as _api_rules
from tests.generate.conftest import EXAMPLE_NAMES
from tests.generate.test_apply_order import configuration

RULES = _api_rules.rules()
NAME_RULES = {"google_service_account": ("account_id", "service_account_id"),
              "google_cloud_run_v2_service": ("name", "cloud_run_service"),
              "google_sql_database_instance": ("name", "cloud_sql_instance"),
              "google_redis_instance": ("name", "redis_instance"),
              "google_container_cluster": ("name", "gke_cluster"),
              "google_secret_manager_secret": ("secret_id", "secret_id"),
              "google_storage_bucket": ("name", "bucket"),
              "google_pubsub_topic": ("name", "pubsub_topic"),
              "google_cloudbuild_worker_pool": ("name", "cloudbuild_worker_pool")}


def defaults(folder):
    with open(folder / "variables.tf") as handle:
        parsed = hcl2.load(handle)
    values = {}
    for item in parsed["variable"]:
        for name, body in item.items():
            if isinstance(body.get("default"), str):
                values[name.strip(chr(34))] = body["default"].strip(chr(34))
    return values


def resolve(text: str, values: dict) -> str:
    """A name with its interpolations replaced by the variables' defaults (count.index by 1)."""
    text = text.strip('"')
    prefix, project = values["prefix"], values["project_id"]
    bucket_prefix = project if prefix == project else f"{project}-{prefix}"
    replacements = {"${var.prefix}": prefix, "${var.project_id}": project, "${var.region}": values["region"],
                    "${local.bucket_prefix}": bucket_prefix, "${count.index + 1}": "1"}
    for key, value in replacements.items():
        text = text.replace(key, value)
    return text


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_names_follow_the_api_rules(generated, example):
    folder = generated / example / "terraform"
    blocks, _, _ = configuration(folder)
    values = defaults(folder)
    checked = 0
    for address, body in blocks.items():
        type_name = address.split(".")[0]
        if type_name not in NAME_RULES:
            continue
        field, rule = NAME_RULES[type_name]
        name = resolve(body[field], values)
        assert "${" not in name, f"{example}: {address}.{field} = {name}"
        assert re.match(RULES["names"][rule]["pattern"], name), f"{example}: {address}.{field} {name!r} breaks {rule}"
        checked += 1
    assert checked


def flag_values(body):
    return {f["name"].strip('"'): f["value"].strip('"') for f in body["settings"][0].get("database_flags", [])}


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_cloud_sql_flags_are_in_the_api_form(generated, example):
    blocks, _, _ = configuration(generated / example / "terraform")
    for address, body in blocks.items():
        if not address.startswith("google_sql_database_instance."):
            continue
        engine = "postgres" if body["database_version"].strip('"').startswith("POSTGRES") else "mysql"
        for flag, value in flag_values(body).items():
            rule = _api_rules.flag_rule(engine, flag)
            assert rule is not None, f"{example}: {address} sets {flag}, which the rules table does not know"
            if rule["type"] == "integer":
                assert re.fullmatch(r"-?[0-9]+", value), f"{example}: {address} {flag} = {value!r} is not an integer"
            elif rule["type"] == "float":
                assert re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", value), f"{example}: {flag} = {value!r}"
            elif rule["type"] == "boolean":
                assert value in ("on", "off"), f"{example}: {flag} = {value!r}"
            else:
                assert value in rule["values"], f"{example}: {flag} = {value!r}"


def test_replica_memory_flags_are_sized_for_the_replica(generated):
    # drivopay: primary db-custom-4-16384 (16 GiB), replicas db-custom-2-8192 (8 GiB): half the memory.
    blocks, _, _ = configuration(generated / "drivopay" / "terraform")
    primary = flag_values(blocks["google_sql_database_instance.postgres"])
    replica = flag_values(blocks["google_sql_database_instance.postgres_replica"])
    # shared_buffers "4GB" = 4 x 1024^3 B / 8192 B per page = 524288 pages; the replica gets 262144.
    assert primary["shared_buffers"] == "524288" and replica["shared_buffers"] == "262144"
    # effective_cache_size "12GB" = 12 x 1024^3 / 8192 = 1572864 pages; maintenance_work_mem "1GB" = 1048576 kB.
    assert primary["effective_cache_size"] == "1572864" and replica["effective_cache_size"] == "786432"
    assert primary["maintenance_work_mem"] == "1048576" and replica["maintenance_work_mem"] == "524288"
    # Not sized from memory: the same on both. work_mem "10MB" = 10240 kB, wal_buffers "16MB" = 2048 pages.
    assert primary["work_mem"] == replica["work_mem"] == "10240"
    assert primary["wal_buffers"] == replica["wal_buffers"] == "2048"


@pytest.mark.parametrize("value, expected", [
    ("4GB", "524288"),  # 4 x 1073741824 / 8192
    ("128MB", "16384"),  # 128 x 1048576 / 8192
    ("16384", "16384"),  # a bare number is already in pages
])
def test_shared_buffers_in_pages(value, expected):
    assert _api_rules.flag_value("postgres", "shared_buffers", value) == expected


def test_minus_one_means_automatic_and_is_kept():
    assert _api_rules.flag_value("postgres", "wal_buffers", "-1", Decimal("0.5")) == "-1"
    assert _api_rules.flag_value("postgres", "log_min_duration_statement", "2s") == "2000"


@pytest.mark.parametrize("flag, value, message", [
    ("shared_buffers", "4 parsecs", "unknown unit"),
    ("log_statement", "everything", "one of"),
    ("checkpoint_completion_target", "1.5", "at most 1"),
    ("log_connections", "maybe", "on or off"),
    ("default_statistics_target", "100MB", "plain integer"),
])
def test_bad_flag_values_are_rejected(flag, value, message):
    with pytest.raises(ValueError, match=message):
        _api_rules.flag_value("postgres", flag, value)

@pytest.mark.parametrize("flag, value, outcome", [
    # MySQL's own ranges (sql/sys_vars.cc, storage/innobase/srv/srv0srv.cc; api_rules.yaml names the commits).
    ("max_connections", "1", "1"),
    ("max_connections", "100000", "100000"),
    ("max_connections", "0", "at least 1"),
    ("max_connections", "100001", "at most 100000"),
    ("innodb_buffer_pool_size", "5MB", "5242880"),  # 5 x 1048576 bytes, exactly the minimum
    ("innodb_buffer_pool_size", "5242879", "at least 5242880"),
    ("innodb_buffer_pool_size", "4GB", "4294967296"),  # 4 x 1073741824 bytes
    ("long_query_time", "0", "0"),
    ("long_query_time", "-0.5", "at least 0"),
    ("local_infile", "OFF", "off"),
    ("skip_show_database", "maybe", "on or off"),
    # slow_query_log is a boolean (Cloud SQL's flags page sets it to on; MySQL's manual: {0|1})
    ("slow_query_log", "1", "on"),
    ("slow_query_log", "0", "off"),
    ("slow_query_log", "FILE", "on or off"),
])
def test_mysql_flags_keep_the_servers_ranges(flag, value, outcome):
    if outcome[0].isdigit() or outcome in ("on", "off"):
        assert _api_rules.flag_value("mysql", flag, value) == outcome
    else:
        with pytest.raises(ValueError, match=outcome):
            _api_rules.flag_value("mysql", flag, value)



def test_a_bad_flag_is_a_one_line_plan_error(tmp_path):
    from tests.generate.conftest import generate

    plan = tmp_path / "plan.yaml"
    plan.write_text("project: {name: flags, region: us-central1}\ncomponents:\n  db:\n    kind: cloud_sql\n"
                    "    engine: postgres\n    tier: db-custom-2-8192\n    storage_gb: 10\n    database_flags:\n"
                    "      shared_buffers: \"4 parsecs\"\n")
    code, out, err = generate(plan, tmp_path / "out")
    assert code == 1 and not (tmp_path / "out").exists()
    assert err.count("\n") == 1 and "plan.yaml:9: components.db.database_flags.shared_buffers:" in err, err


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_labels_and_budget_currency(generated, example):
    folder = generated / example / "terraform"
    main = (folder / "main.tf").read_text()
    labels = dict(re.findall(r'"([^"]+)" = "([^"]*)"', main.split("labels", 1)[1].split("\n", 1)[0]))
    assert labels
    for key, value in labels.items():
        assert re.match(RULES["labels"]["key"], key) and re.match(RULES["labels"]["value"], value), (key, value)
    budget = folder / "budget.tf"
    if budget.exists():
        currency = re.search(r'currency_code = "([^"]+)"', budget.read_text()).group(1)
        assert re.match(RULES["billing_budget"]["currency_pattern"], currency)


def test_validate_fails_where_generate_fails(tmp_path):
    import contextlib
    import io

    from archplan.cli import main

    plan = tmp_path / "plan.yaml"
    plan.write_text("project: {name: flags, region: us-central1}\ncomponents:\n  db:\n    kind: cloud_sql\n"
                    "    engine: postgres\n    tier: db-custom-2-8192\n    storage_gb: 10\n    database_flags:\n"
                    "      shared_buffers: \"4 parsecs\"\n")
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["validate", str(plan)])
    assert code == 1 and "components.db.database_flags.shared_buffers" in err.getvalue()


@pytest.mark.parametrize("name, accepted", [
    ("acme-prod-assets", True), ("a_b-c9", True),
    ("ab", False),                      # under 3 characters
    ("-assets", False), ("assets-", False),
    ("Assets", False),                  # lower case only
    ("goog-assets", False),             # "cannot begin with the "goog" prefix"
    ("acme-google-assets", False), ("acme-g00gle", False),  # "cannot contain "google" or ... "g00gle""
    ("a" * 63, True), ("a" * 64, False),
])
def test_the_bucket_name_rule(name, accepted):
    assert bool(re.fullmatch(RULES["names"]["bucket"]["pattern"], name)) is accepted


@pytest.mark.parametrize("component", ["google-assets", "g00gle-assets"])
def test_generate_and_validate_refuse_a_bucket_name_cloud_storage_rejects(tmp_path, component):
    import contextlib
    import io

    from archplan.cli import main
    from tests.generate.conftest import generate

    plan = tmp_path / "plan.yaml"
    plan.write_text("project: {name: acme, region: us-central1}\ncomponents:\n"
                    f"  {component}:\n    kind: cloud_storage\n    location_type: region\n    storage_gb: 10\n")
    code, out, err = generate(plan, tmp_path / "out")
    assert code == 1 and not (tmp_path / "out").exists()
    assert err.startswith(f"error: {plan}:4: components.{component}.kind: its bucket would be named") and "rejects" in err
    err_validate = io.StringIO()
    with contextlib.redirect_stderr(err_validate), contextlib.redirect_stdout(io.StringIO()):
        assert main(["validate", str(plan)]) == 1
    assert "Cloud Storage rejects" in err_validate.getvalue()


@pytest.mark.parametrize("example", ["cotton-erp", "drivopay", "event-platform"])
def test_redis_port_is_the_instances_own_everywhere(generated, example):
    """No artifact writes a Redis port number: Terraform reads google_redis_instance.<x>.port, pods mount the
    secret Terraform writes it to, the Cloud Run YAML lists it as known only after apply (the TLS port number
    is unconfirmed, see api_rules.yaml)."""
    import yaml

    folder = generated / example
    terraform = "\n".join(p.read_text() for p in sorted((folder / "terraform").glob("*.tf")))
    port_values = re.findall(r'REDIS_PORT"?\s*(?:=|\n\s*value\s*=)\s*(.+)', terraform)
    # drivopay's Redis clients are all GKE pods: no Terraform env, the port goes through Secret Manager.
    assert (port_values or example == "drivopay") and all(
        re.fullmatch(r"tostring\(google_redis_instance\.\w+\.port\)", v.strip()) for v in port_values), port_values
    checked = 0
    for path in sorted(folder.rglob("*.yaml")):
        if path.parts[-3:-1] == ("kubernetes", "gke") or "cloudrun" in path.parts:
            text = path.read_text()
            for document in yaml.safe_load_all(text):
                for container in _containers(document):
                    for variable in container.get("env", []):
                        if variable["name"].endswith("REDIS_PORT"):
                            raise AssertionError(f"{path.name}: {variable}")
                        if variable["name"].endswith("REDIS_PORT_FILE"):
                            checked += 1
            if "cloudrun" in path.parts and "REDIS_HOST" in text:
                assert re.search(r"Known only once Terraform has applied: .*REDIS_PORT", text), path.name
                checked += 1
    assert checked
    if example == "drivopay":
        secret = re.search(r'resource "google_secret_manager_secret_version" "(\w+_port)" \{(.*?)\n\}', terraform, re.S)
        assert secret and "tostring(google_redis_instance." in secret.group(2)


def _containers(document):
    spec = (document or {}).get("spec", {})
    template = spec.get("template", {}).get("spec", {})
    return template.get("containers", [])
