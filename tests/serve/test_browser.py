"""The served page in a real browser: Playwright driving the system Chromium against a live uvicorn server.
Figures on the page must equal the CLI's JSON for the same plan and the same change."""
import json
import math
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from archplan.cli import main

CHROMIUM = os.environ.get("ARCHPLAN_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(os.environ.get("ARCHPLAN_SCREENSHOTS", Path(__file__).resolve().parents[2] / "out" / "screenshots"))
EXAMPLES = ["starter", "anwesha", "cotton-erp", "drivopay", "ecommerce-chatbot", "event-platform"]

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="system chromium not installed")


def cli_json(capsys, *argv):
    capsys.readouterr()
    assert main(list(argv)) in (0, 1)
    return json.loads(capsys.readouterr().out)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, plan: Path, environment=None):
        import uvicorn

        from archplan.serve.app import create_app

        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(create_app(plan, environment, port=self.port), host="127.0.0.1",
                                                    port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}/"

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


def open_page(browser, url, width=1440, height=900):
    page = browser.new_page(viewport={"width": width, "height": height})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.wait_for_function("document.getElementById('total').dataset.amount !== undefined", timeout=30000)
    page.wait_for_selector("#diagram[data-ready='1']", timeout=30000)
    return page, errors


def show_component(page, name, via="g.node"):
    """Click a component (in the diagram, or via="#layer-list button") and wait for the panel to show it."""
    page.click(f"{via}[data-component='{name}']")
    page.wait_for_function(f"document.querySelector('[data-testid=panel-name]')?.textContent === {json.dumps(name)}")


def amount(money, currency):
    return money[currency.lower()] if currency.lower() in money else money["usd"]


@pytest.mark.parametrize("example", EXAMPLES)
def test_each_example_loads_and_three_components_match_cost_and_check(browser, tmp_path, capsys, example):
    plan = tmp_path / f"{example}.yaml"
    shutil.copy(Path("examples") / f"{example}.yaml", plan)
    cost = cli_json(capsys, "cost", str(plan), "--format", "json")
    check = cli_json(capsys, "check", str(plan), "--format", "json")
    currency = cost["currency"]
    with Server(plan) as url:
        page, errors = open_page(browser, url)
        assert float(page.get_attribute("#total", "data-amount")) == pytest.approx(amount(cost["total"], currency))
        priced = [c for c in cost["components"] if c["line_items"]]
        picks = [priced[0], priced[len(priced) // 2], priced[-1]]
        availability = {c["name"]: c["percent"] for c in check.get("availability", {}).get("components", [])}
        for component in picks:
            show_component(page, component["name"])
            shown = float(page.get_attribute("[data-testid=panel-cost]", "data-amount"))
            assert shown == pytest.approx(amount(component["monthly"], currency))
            if component["name"] in availability:
                sla = float(page.get_attribute("[data-testid=panel-sla]", "data-percent"))
                assert sla == pytest.approx(availability[component["name"]])
        assert errors == []
        page.close()


def test_a_slider_change_equals_the_cli_on_the_same_change(browser, tmp_path, capsys):
    plan = tmp_path / "starter.yaml"
    shutil.copy("examples/starter.yaml", plan)
    with Server(plan) as url:
        page, errors = open_page(browser, url)
        before = page.get_attribute("#total", "data-amount")
        slider = page.locator("[data-knob='traffic.daily_active_users'] input[type=range]")
        # Unbounded: logarithmic, 1/100 to 100 times the plan's 2,000, the plan's figure in the middle
        assert slider.get_attribute("data-scale") == "log"
        low, high = float(slider.get_attribute("data-low")), float(slider.get_attribute("data-high"))
        assert (low, high) == (20, 200000) and slider.input_value() == "500"
        bounded = page.locator("[data-knob='traffic.peak_hour'] input[type=range]")  # 0 to 24 (lt): linear
        assert bounded.get_attribute("data-scale") == "linear" and bounded.get_attribute("max") == "24"
        position = round(1000 * math.log(150000 / low) / math.log(high / low))  # 969 -> 150,3xx -> 150,000
        slider.fill(str(position))  # sets the position and fires input/change, as dragging would
        assert page.input_value("[data-knob='traffic.daily_active_users'] input[type=number]") == "150000"
        page.wait_for_function(f"document.getElementById('total').dataset.amount !== '{before}'")
        page.wait_for_function("document.getElementById('delta').textContent.includes('vs saved plan')")
        shown = float(page.get_attribute("#total", "data-amount"))
        edited = tmp_path / "edited.yaml"
        edited.write_text(plan.read_text().replace("daily_active_users: 2000", "daily_active_users: 150000"))
        cost = cli_json(capsys, "cost", str(edited), "--format", "json")
        assert shown == pytest.approx(amount(cost["total"], cost["currency"]))
        assert "daily_active_users = 150000" in page.inner_text("[data-testid=changes]")
        assert errors == []
        page.close()


def test_a_broken_edit_on_disk_shows_its_error_then_recovers(browser, tmp_path):
    plan = tmp_path / "starter.yaml"
    shutil.copy("examples/starter.yaml", plan)
    good = plan.read_text()
    with Server(plan) as url:
        page, _errors = open_page(browser, url)
        plan.write_text(good.replace("max_instances: 10", "max_instances: [oops"))
        page.wait_for_selector("[data-testid=error]:not([hidden])", timeout=5000)
        message = page.inner_text("[data-testid=error]")
        assert "starter.yaml" in message and "\n" not in message.strip()
        assert page.inner_text("#total") == "—"  # no stale figure
        plan.write_text(good.replace("max_instances: 10", "max_instances: 12"))
        page.wait_for_selector("[data-testid=error]", state="hidden", timeout=5000)
        assert page.get_attribute("#total", "data-amount")
        page.close()


def test_a_bad_value_shows_its_message_in_view_and_can_be_undone(browser, tmp_path):
    """A negative number of users typed into the calculator: the message was above the fold (the page had
    scrolled to the calculator) and every card, the calculator too, stopped taking clicks, so neither the
    box, reset nor undo could put it right; the change list still showed the previous value."""
    plan = tmp_path / "starter.yaml"
    shutil.copy("examples/starter.yaml", plan)
    with Server(plan) as url:
        page, errors = open_page(browser, url)
        saved = page.get_attribute("#total", "data-amount")
        box = "[data-knob='traffic.daily_active_users'] input[type=number]"
        page.locator(box).scroll_into_view_if_needed()
        page.fill(box, "-5")
        page.press(box, "Enter")
        page.wait_for_selector("[data-testid=error]:not([hidden])", timeout=10000)
        assert "daily_active_users" in page.inner_text("[data-testid=error]")
        top, bottom = page.evaluate("(() => { const r = document.getElementById('error').getBoundingClientRect(); "
                                    "return [r.top, r.bottom]; })()")
        assert page.evaluate("scrollY") > 0 and 0 <= top and bottom <= page.viewport_size["height"]
        assert "traffic.daily_active_users = -5" in page.inner_text("[data-testid=changes]")
        page.click("[data-testid=changes] button", timeout=5000)  # undo
        page.wait_for_selector("[data-testid=error]", state="hidden", timeout=10000)
        page.wait_for_function(f"document.getElementById('total').dataset.amount === '{saved}'")
        page.fill(box, "-5")
        page.press(box, "Enter")
        page.wait_for_selector("[data-testid=error]:not([hidden])", timeout=10000)
        page.click("#reset", timeout=5000)
        page.wait_for_selector("[data-testid=error]", state="hidden", timeout=10000)
        assert errors == []
        page.close()


def test_save_writes_the_change_and_it_reloads(browser, tmp_path, capsys):
    plan = tmp_path / "starter.yaml"
    shutil.copy("examples/starter.yaml", plan)
    with Server(plan) as url:
        page, errors = open_page(browser, url)
        page.click("g.node[data-component='api']")
        number = page.locator("[data-knob='components.api.max_instances'] input[type=number]")
        number.fill("40")
        number.dispatch_event("change")
        page.wait_for_function("document.getElementById('delta').textContent.includes('vs saved plan')")
        page.fill("#save-name", "starter.bigger.yaml")
        page.click("#save")
        page.wait_for_function("document.getElementById('save-status').textContent.startsWith('saved')")
        saved = tmp_path / "starter.bigger.yaml"
        assert "max_instances: 40" in saved.read_text()
        page.close()
    with Server(saved) as url:
        page, errors = open_page(browser, url)
        cost = cli_json(capsys, "cost", str(saved), "--format", "json")
        assert float(page.get_attribute("#total", "data-amount")) == pytest.approx(amount(cost["total"], cost["currency"]))
        page.close()


@pytest.mark.parametrize("width, height, name", [(1440, 900, "desktop"), (390, 844, "phone")])
def test_screenshots_and_no_horizontal_scroll_on_phone(browser, tmp_path, width, height, name):
    plan = tmp_path / "event-platform.yaml"
    shutil.copy("examples/event-platform.yaml", plan)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with Server(plan) as url:
        page, errors = open_page(browser, url, width, height)
        if name == "phone":
            page.click("#layer-list button >> nth=0")
        else:
            page.click("g.node >> nth=2")
        page.wait_for_selector("[data-testid=panel-name]")
        page.screenshot(path=str(SHOTS / f"serve-{name}.png"))
        page.screenshot(path=str(SHOTS / f"serve-{name}-full.png"), full_page=True)
        scroll_width, inner_width = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
        assert scroll_width <= inner_width
        # The main figures stay in view: the total is inside the viewport width.
        box = page.locator("#total").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= inner_width
        assert errors == []
        page.close()


def test_the_phase_picker_shows_each_phase_as_priced_by_cost(browser, tmp_path):
    from archplan.analysis.cost import cost_report
    from archplan.assess import load
    from archplan.plan import resolve

    plan = tmp_path / "event-platform.yaml"
    shutil.copy("examples/event-platform.yaml", plan)
    with Server(plan) as url:
        page, errors = open_page(browser, url)
        names = page.eval_on_selector_all("#phase option", "options => options.map(o => o.value).filter(Boolean)")
        assert names
        phase = names[-1]
        before = page.get_attribute("#total", "data-amount")
        page.select_option("#phase", phase)
        page.wait_for_function(f"document.getElementById('total').dataset.amount !== '{before}'")
        report = cost_report(resolve(load(str(plan), None, phase)))
        expected = report.total_usd * report.usd_inr if report.currency == "INR" else report.total_usd
        assert float(page.get_attribute("#total", "data-amount")) == pytest.approx(float(expected), abs=0.006)
        assert f"phase {phase}" in page.inner_text("#project")
        assert errors == []
        page.close()


def test_totals_are_shown_in_the_currencys_own_decimals(browser, tmp_path, capsys):
    """A JPY plan's total is whole yen, as `cost` prints it (the page showed ¥307,898.95); a USD one keeps cents."""
    plan = tmp_path / "yen.yaml"
    plan.write_text((Path("examples") / "starter.yaml").read_text().replace("currency: INR", "currency: JPY")
                    .replace("monthly_budget: {amount: 15000, currency: INR}", "monthly_budget: {amount: 30000, currency: JPY}"))
    cost = cli_json(capsys, "cost", str(plan), "--format", "json")
    yen = amount(cost["total"], "JPY")
    with Server(plan) as url:
        page, errors = open_page(browser, url)
        shown = page.text_content("#total")
        assert f"¥{round(yen):,}" in shown and "." not in shown.split("/")[0], shown
        assert errors == []
        page.close()


def test_a_diagram_graphviz_cannot_draw_shows_why_and_the_list(browser, tmp_path, monkeypatch):
    """The page stayed blank where the diagram goes (its request failed silently) with no way to a component."""
    from tests.serve.test_api import failing_dot

    failing_dot(tmp_path, monkeypatch, seconds=0)
    plan = tmp_path / "starter.yaml"
    plan.write_text((Path("examples") / "starter.yaml").read_text()
                    .replace("name: starter", f"name: undrawable-page-{os.getpid()}-{time.time_ns()}"))
    with Server(plan) as url:
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(url)
        page.wait_for_selector("#diagram[data-ready='error']", timeout=30000)
        assert "trouble in init_rank" in page.inner_text("[data-testid=diagram-error]")
        assert page.is_visible("#layer-list")
        show_component(page, "api", via="#layer-list button")
        assert errors == []
        page.close()


def test_compare_writes_a_setting_the_base_lacks_as_not_set(browser, tmp_path):
    """Comparing with an environment that adds settings read "documents.data_locations: null → asia-south1,
    asia-southeast1" (JavaScript's null, and a list run together)."""
    plan = tmp_path / "cotton-erp.yaml"
    shutil.copy("examples/cotton-erp.yaml", plan)
    with Server(plan) as url:
        page, errors = open_page(browser, url)
        page.select_option("#cmp-a", "")
        page.select_option("#cmp-b", "env:geo-redundancy")
        page.click("#cmp-go")
        page.wait_for_selector("[data-testid=compare-total]", timeout=30000)
        shown = page.inner_text("[data-testid=compare]")
        assert "documents.data_locations: not set → asia-south1, asia-southeast1" in shown
        assert "null" not in shown and "undefined" not in shown
        # named as the pickers name them, not by the query's "env:geo-redundancy"
        assert page.inner_text("[data-testid=compare-total]").startswith("base plan: ")
        assert " → environment geo-redundancy: " in page.inner_text("[data-testid=compare-total]")
        assert errors == []
        page.close()


def test_the_page_opens_on_the_environment_serve_was_started_with(browser, tmp_path, capsys):
    """`archplan serve --env growth` showed the base plan: the page asked for environment= (empty, the base
    plan) on its first request instead of leaving it out (the environment serve was started with)."""
    plan = tmp_path / "event-platform.yaml"
    shutil.copy("examples/event-platform.yaml", plan)
    cost = cli_json(capsys, "cost", str(plan), "--env", "growth", "--format", "json")
    with Server(plan, environment="growth") as url:
        page, errors = open_page(browser, url)
        assert page.input_value("#env") == "growth"
        assert page.inner_text("#project").endswith("growth")
        assert float(page.get_attribute("#total", "data-amount")) == pytest.approx(amount(cost["total"], cost["currency"]))
        page.select_option("#env", "")  # and the base plan is still one pick away
        page.wait_for_function("!document.getElementById('project').textContent.includes('growth')")
        assert errors == []
        page.close()


def test_long_settings_wrap_inside_the_panel(browser, tmp_path):
    """The panel's settings were JSON ({"name":"lb","protocol":"HTTPS"}) in one unbreakable run, which widened
    the table past the panel: the description beside it was cut off mid-word at the panel's edge."""
    plan = tmp_path / "cotton-erp.yaml"
    shutil.copy("examples/cotton-erp.yaml", plan)
    with Server(plan) as url:
        page, errors = open_page(browser, url)
        show_component(page, "cloudflare")
        wide = page.evaluate("[...document.querySelectorAll('#panel .table-wrap')].filter("
                             "(w) => w.scrollWidth > w.clientWidth + 1).length")
        assert wide == 0
        broken_keys = page.evaluate("[...document.querySelectorAll('#panel table.settings td:first-child')].filter("
                                    "(td) => { const r = document.createRange(); r.selectNodeContents(td); "
                                    "return r.getClientRects().length > 1; }).map((td) => td.textContent)")
        assert broken_keys == []  # and the keys are not broken up to make room ("desc/ripti/on")
        settings = page.inner_text("#panel")
        assert "{name: lb, protocol: HTTPS}" in settings and '"name"' not in settings
        assert errors == []
        page.close()


def test_billable_quantities_are_written_as_cost_writes_them(browser, tmp_path, capsys):
    """The panel wrote '433,333.3333 request' and '52,407.698 vCPU-second' where `archplan cost` writes
    quantities rounded to their size (433,333 request)."""
    from decimal import Decimal

    from archplan.render.numbers import quantity

    plan = tmp_path / "starter.yaml"
    shutil.copy("examples/starter.yaml", plan)
    cost = cli_json(capsys, "cost", str(plan), "--format", "json")
    api = next(c for c in cost["components"] if c["name"] == "api")
    expected = [f"{quantity(Decimal(str(item['billable_quantity'])))} {item['unit']}" for item in api["line_items"]]
    assert any("." not in text for text in expected)
    with Server(plan) as url:
        page, errors = open_page(browser, url)
        show_component(page, "api")
        shown = page.evaluate("[...document.querySelectorAll('#panel table:not(.settings) tr')].slice(1)"
                              ".map((row) => row.children[1]?.textContent)")
        assert shown[:len(expected)] == expected
        assert errors == []
        page.close()
