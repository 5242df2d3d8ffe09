"""`archplan init`: every template, in every region this catalog prices, validates, prices and generates; the
sizes it computes from the users follow the formula written next to them; bad input is one line."""
import io
import re
import math
import subprocess
import sys

import pytest
import yaml

from archplan import catalog
from archplan.init import templates

TEMPLATES = ["web-app", "gke-microservices", "event-workers", "rag-chatbot", "static-site"]
# The full chain on a few regions (the europe-west1 where this catalog prices it); every region is
# passed through by test_the_region_is_passed_through.
REGIONS = [r for r in ("asia-south1", "us-central1", "europe-west1") if r in catalog.supported_regions()]


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "archplan", *args], capture_output=True, text=True, cwd=cwd)


def test_the_five_templates_are_listed():
    assert sorted(templates()) == sorted(TEMPLATES)
    listed = run("init", "--list").stdout.splitlines()
    assert [line.split()[0] for line in listed] == sorted(TEMPLATES)


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("template", TEMPLATES)
def test_every_template_validates_and_prices_in_every_region(tmp_path, template, region):
    plan = tmp_path / "shop.yaml"
    made = run("init", "--template", template, "--region", region, "--users", "20000", "--budget", "3000",
               "-o", str(plan))
    assert made.returncode == 0, made.stderr
    document = yaml.safe_load(plan.read_text())
    assert document["project"] == {"name": "shop", "region": region, "currency": "USD",
                                   "monthly_budget": {"amount": 3000, "currency": "USD"}}
    assert document["traffic"]["daily_active_users"] == 20000
    assert run("validate", str(plan)).returncode == 0
    cost = run("cost", str(plan), "--format", "json")
    assert cost.returncode == 0, cost.stderr
    assert run("check", str(plan), "--fail-on", "error").returncode == 0, run("check", str(plan)).stdout


@pytest.mark.parametrize("template", TEMPLATES)
def test_the_region_is_passed_through(tmp_path, template):
    """Any region the catalog knows goes into the plan as given; where a service is not sold, the plan is
    not written and the one line says which."""
    from archplan.errors import SpecError
    from archplan.init import render
    from archplan.planfile import write_checked

    written = 0
    for region in catalog.supported_regions():
        target = tmp_path / f"{region}.yaml"
        try:
            write_checked(render(template, "shop", region, 20000), str(target), "starter")
        except SpecError as error:
            assert re.search(r"not (sold|offered) in|cannot be priced", str(error)), str(error)
            assert "\n" not in str(error) and not target.exists()
            continue
        assert yaml.safe_load(target.read_text())["project"]["region"] == region
        written += 1
    assert written >= len(catalog.supported_regions()) // 2


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_template_generates(tmp_path, template):
    plan = tmp_path / "plan.yaml"
    assert run("init", "--template", template, "--users", "20000", "-o", str(plan)).returncode == 0
    generated = run("generate", str(plan), "-o", str(tmp_path / "out"))
    assert generated.returncode == 0, generated.stderr
    assert (tmp_path / "out" / "terraform" / "main.tf").exists()


def test_max_instances_follow_the_users(tmp_path):
    # web-app: 40 requests a user a day, peak 4, 120 ms a request, 80 concurrent, 60% target utilisation.
    # 20,000 users: 20,000 x 40 / 86,400 x 4 = 37.04 req/s; x 0.12 s / (80 x 0.6) = 0.093 -> 1 instance;
    # twice that, at least 3 -> 3. 2,000,000 users: 3,703.7 req/s x 0.12 / 48 = 9.26 -> 10; twice: 20.
    for users, expected in ((20000, 3), (2000000, 20)):
        plan = tmp_path / f"p{users}.yaml"
        assert run("init", "--template", "web-app", "--users", str(users), "-o", str(plan)).returncode == 0
        text = plan.read_text()
        assert yaml.safe_load(text)["components"]["api"]["max_instances"] == expected
        assert f"= {math.ceil(users * 40 / 86400 * 4 * 0.12 / 48)} instance(s)" in text


def test_name_defaults_to_the_file_and_existing_files_are_kept(tmp_path):
    plan = tmp_path / "my-app.yaml"
    assert run("init", "--template", "static-site", "-o", str(plan)).returncode == 0
    assert yaml.safe_load(plan.read_text())["project"]["name"] == "my-app"
    again = run("init", "--template", "web-app", "-o", str(plan))
    assert again.returncode == 2 and "--force" in again.stderr
    assert "static-site" in plan.read_text()
    assert run("init", "--template", "web-app", "-o", str(plan), "--force").returncode == 0


@pytest.mark.parametrize("args, code, words", [
    (["--template", "blog"], 1, ["unknown template 'blog'"]),
    (["--template", "web-app", "--region", "mars-north1"], 1, ["unsupported region", "nothing was written"]),
    (["--template", "web-app", "--users", "0"], 2, ["--users"]),
    (["--template", "web-app", "--budget", "lots"], 2, ["--budget"]),
    (["--template", "web-app", "--name", "Bad Name"], 2, ["--name"]),
    ([], 2, ["--template is needed"]),
])
def test_bad_input_is_one_line(tmp_path, args, code, words):
    result = run("init", *args, "-o", str(tmp_path / "plan.yaml"))
    assert result.returncode == code, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr
    assert not (tmp_path / "plan.yaml").exists() and list(tmp_path.iterdir()) == []


def test_interactive_questions(tmp_path, monkeypatch, capsys):
    from archplan.cli import main

    answers = io.StringIO("rag-chatbot\nus-central1\n5000\n1200\n")
    answers.isatty = lambda: True
    monkeypatch.setattr(sys, "stdin", answers)
    plan = tmp_path / "bot.yaml"
    assert main(["init", "-o", str(plan)]) == 0
    document = yaml.safe_load(plan.read_text())
    assert document["project"]["region"] == "us-central1"
    assert document["traffic"]["daily_active_users"] == 5000
    assert document["project"]["monthly_budget"] == {"amount": 1200, "currency": "USD"}
    assert document["components"]["gemini"]["chats_per_day"] == 2500  # half the daily users chat once
    assert "Template (number or name)" in capsys.readouterr().err


def test_any_currency_with_a_dated_rate_is_accepted(tmp_path):
    out = tmp_path / "plan.yaml"
    made = run("init", "--template", "web-app", "--currency", "eur", "--budget", "900", "-o", str(out))
    assert made.returncode == 0, made.stderr
    project = yaml.safe_load(out.read_text())["project"]
    assert project["currency"] == "EUR" and project["monthly_budget"] == {"amount": 900, "currency": "EUR"}
    refused = run("init", "--template", "web-app", "--currency", "XYZ", "-o", str(tmp_path / "other.yaml"))
    assert refused.returncode != 0 and not (tmp_path / "other.yaml").exists()
    assert refused.stderr.count("\n") == 1 and "currencies with a rate: " in refused.stderr and "EUR" in refused.stderr


def test_a_plan_over_the_budget_given_says_so_and_is_written(tmp_path):
    """`init --budget` wrote a plan costing eighty times the budget without a word."""
    plan = tmp_path / "bot.yaml"
    made = run("init", "--template", "rag-chatbot", "--users", "20000", "--budget", "10", "-o", str(plan))
    assert made.returncode == 0 and plan.is_file()
    cost = run("cost", str(plan)).stdout
    total = re.search(r"^Total per month +(\$[\d,.]+)", cost, re.M).group(1)
    share = re.search(r"^Budget \$10\.00 a month: ([\d.]+%) used, OVER BUDGET$", cost, re.M).group(1)
    assert made.stderr == (f"warning: {plan}: over budget: the plan costs {total} a month, {share} of the --budget "
                           f"of $10.00; archplan cost {plan} lists each line\n")
    within = run("init", "--template", "rag-chatbot", "--users", "20000", "--budget", "100000",
                 "-o", str(tmp_path / "rich.yaml"))
    assert within.returncode == 0 and within.stderr == ""
