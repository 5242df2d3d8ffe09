"""Speed of `archplan serve`: prints medians and their ratio to the goals.

  python benchmarks/serve.py [--runs N]

1. A recompute at the API: POST /api/evaluate with one traffic change, in-process through the ASGI app, for
   every example. Goal: median under 100 ms for the largest example.
2. Page load until interactive: Playwright on the system Chromium, from navigation to the total shown.
   Goal: under 1 s.
Machines here are shared and noisy, so this is a script, not a test.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p.stem for p in (ROOT / "examples").glob("*.yaml"))


def recompute_ms(example: str, runs: int) -> float:
    from fastapi.testclient import TestClient

    from archplan.serve.app import create_app

    client = TestClient(create_app(ROOT / "examples" / f"{example}.yaml"))
    client.get("/api/plan")
    knobs = client.get("/api/plan").json()["result"]["traffic_knobs"]
    users = next((k["value"] for k in knobs if k["key"] == "daily_active_users"), None) or 1000
    times = []
    for run in range(runs):
        body = {"changes": [{"path": ["traffic", "daily_active_users"], "value": int(users) + run + 1}]}
        start = time.perf_counter()
        response = client.post("/api/evaluate", json=body)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.text
    return statistics.median(times) * 1000


def page_load_ms(runs: int) -> float | None:
    try:
        import uvicorn
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    from archplan.serve.app import create_app

    largest = max(EXAMPLES, key=lambda name: (ROOT / "examples" / f"{name}.yaml").stat().st_size)
    folder = Path(tempfile.mkdtemp())
    plan = folder / f"{largest}.yaml"
    shutil.copy(ROOT / "examples" / f"{largest}.yaml", plan)
    server = uvicorn.Server(uvicorn.Config(create_app(plan), host="127.0.0.1", port=8799, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    times = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            for _ in range(runs):
                page = browser.new_page()
                start = time.perf_counter()
                page.goto("http://127.0.0.1:8799/")
                page.wait_for_function("document.getElementById('total').dataset.amount !== undefined")
                times.append(time.perf_counter() - start)
                page.close()
            browser.close()
    finally:
        server.should_exit = True
        thread.join(10)
        shutil.rmtree(folder)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    sizes = {name: (ROOT / "examples" / f"{name}.yaml").stat().st_size for name in EXAMPLES}
    print("serve: recompute at the API (POST /api/evaluate, one traffic change), median ms")
    for name in sorted(EXAMPLES, key=sizes.get):
        median = recompute_ms(name, args.runs)
        print(f"  {name:20s} {median:8.1f} ms   goal 100 ms   ratio {median / 100:.2f}")
    loaded = page_load_ms(max(3, args.runs // 3))
    if loaded is None:
        print("serve: page load: playwright not installed, skipped")
    else:
        print(f"serve: page interactive (largest example)  {loaded:8.1f} ms   goal 1000 ms   ratio {loaded / 1000:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
