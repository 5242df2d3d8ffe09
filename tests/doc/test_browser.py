"""The HTML page in a real browser: headless Chromium (installed by tools/system-deps.sh) loads site/index.html
of an example with the network cut off, and the page shows the total cost and the diagram."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from archplan.analysis.cost import cost_report
from archplan.cli import main
from archplan.doc.layers import LAYER_BY_KEY
from archplan.plan import resolve
from archplan.render.numbers import inr, usd
from tests.doc.helpers import example_spec
from tests.doc.png import count_colour, read_png

CHROMIUM = os.environ.get("ARCHPLAN_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
         "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>"]  # any fetch would fail

pytestmark = pytest.mark.skipif(not (os.path.exists(CHROMIUM) or shutil.which("chromium")),
                                reason="Chromium is not installed (tools/system-deps.sh installs it)")


def _chromium(*arguments: str) -> subprocess.CompletedProcess:
    binary = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    return subprocess.run([binary, *FLAGS, *arguments], capture_output=True, timeout=90, check=True)


def _hex(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from tests.conftest import ROOT

    folder = tmp_path_factory.mktemp("site")
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        assert main(["doc", "examples/event-platform.yaml", "-o", str(folder)]) == 0
        report = cost_report(resolve(example_spec("event-platform")))
    finally:
        os.chdir(here)
    return folder, report


def test_the_page_shows_the_total_and_the_diagram(site):
    folder, report = site
    dom = _chromium("--dump-dom", (folder / "index.html").as_uri()).stdout.decode("utf-8")
    total = f"Total per month: {inr(report.total_usd * report.usd_inr)} ({usd(report.total_usd)})"
    assert f'<p class="total" id="total">{total}</p>' in dom
    charts = dom.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"')
    assert charts == 3  # cost by category, by component, availability per path; + the Growth picture
    simulated = dom.count("(also simulate-")  # the Simulated day's four pictures
    assert simulated == 4
    assert dom.count("<svg") == 1 + charts + 1 + simulated and 'id="growth"' in dom
    assert 'id="node:api_gateway"' in dom and 'class="graph"' in dom
    for name in ("cdn", "db", "pubsub", "secrets", "razorpay"):
        assert f'id="node:{name}"' in dom


def test_the_diagram_is_drawn_on_screen(site):
    folder, _report = site
    shot = folder.parent / "screenshot.png"
    # A half-scale capture of a desktop window: big enough to see the diagram's colours, quick to decode.
    _chromium(f"--screenshot={shot}", "--window-size=1280,2000", "--force-device-scale-factor=0.5",
              (folder / "index.html").as_uri())
    width, height, rows = read_png(shot.read_bytes())
    assert (width, height) == (640, 1000)
    # The layer bands are drawn only by the diagram: seeing them means the SVG rendered.
    for layer in ("edge", "compute", "data"):
        assert count_colour(rows, _hex(LAYER_BY_KEY[layer].background)) > 200, layer
    assert count_colour(rows, _hex("#1a73e8"), tolerance=12) > 20  # the headline total, in the accent colour


def test_the_page_fits_a_phone(site):
    folder, _report = site
    shot = folder.parent / "phone.png"
    _chromium(f"--screenshot={shot}", "--window-size=390,2400", "--force-device-scale-factor=0.5",
              (folder / "index.html").as_uri())
    width, height, rows = read_png(shot.read_bytes())
    assert (width, height) == (195, 1200)
    assert count_colour(rows, _hex(LAYER_BY_KEY["compute"].background)) > 50  # the fitted diagram is in view


def test_every_picture_fits_its_column_without_scrolling(site):
    """The Growth chart (matplotlib's SVG, 648pt wide) overflowed its 680 px figure and was cut off at the
    right, legend and last points hidden, until the page let inline SVGs shrink to the column."""
    sync_api = pytest.importorskip("playwright.sync_api")
    folder, _report = site
    binary = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=binary, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1300, "height": 900})
            page.goto((folder / "index.html").as_uri())
            overflowing = page.evaluate("""() => [...document.querySelectorAll('figure.picture')]
                .filter(f => f.scrollWidth > f.clientWidth + 1)
                .map(f => (f.querySelector('figcaption') || f).textContent.slice(0, 60))""")
            count = page.evaluate("document.querySelectorAll('figure.picture').length")
        finally:
            browser.close()
    assert count >= 8 and overflowing == []
