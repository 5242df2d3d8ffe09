"""Every `source` in the catalog is an official Google page (with the date it was read) or a public
repository with path and commit: no mirror, proxy, news site, blog or search-tool identifier."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from archplan.catalog import DATA

OFFICIAL = re.compile(r"^https://(docs\.)?cloud\.google\.com/[A-Za-z0-9/_.-]+$")
REPOSITORY = re.compile(r"^[\w.-]+/[\w.-]+ [\w./-]+, commit [0-9a-f]{40}$")
DATED = re.compile(r"\d{4}-\d{2}-\d{2}")
# Named exceptions, each with its reason (kept short on purpose: every new one needs a reason here).
EXCEPTIONS = {
    "https://ai.google.dev/gemini-api/docs/pricing": "Google's own page for Gemini Developer API prices",
    "https://m.rediff.com/news/commentary/2026/feb/02/rupee-rises-44-paise-to-close-at-91.49-against-us-dollar"
    "/bf549e08a2565574fa342569a982c9ae": "the INR rate keeps its own dated source (issue 8); not a price",
}


def documents():
    for path in sorted(DATA.rglob("*")):
        if path.suffix == ".yaml":
            yield path, yaml.safe_load(path.read_text())
        elif path.suffix == ".json":
            yield path, json.loads(path.read_text())


def cited(node, date=None, where=()):
    """(where, source, date) for every `source` key, with the date next to it."""
    if isinstance(node, dict):
        date = node.get("date", date)
        for key, value in node.items():
            if key == "source" and isinstance(value, str):
                yield where, value, str(date or "")
            elif key == "location_sources" and isinstance(value, dict):
                for service, url in value.items():
                    yield where + (key, service), url, str(node.get("location_date", ""))
            else:
                yield from cited(value, date, where + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from cited(value, date, where + (index,))


def test_every_source_is_official_or_a_repository_at_a_commit():
    bad, count = [], 0
    for path, document in documents():
        for where, source, date in cited(document):
            count += 1
            name = f"{path.relative_to(DATA)}:{'.'.join(map(str, where))}"
            if source in EXCEPTIONS:
                continue
            if OFFICIAL.match(source):
                if not DATED.search(date):
                    bad.append(f"{name}: official page without the date it was read: {source}")
            elif not REPOSITORY.match(source):
                bad.append(f"{name}: {source[:120]}")
    assert count > 100
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("source", [
    "https://test.916300.xyz/advanced-proxy?url=https%3A%2F%2Fcloud.google.com%2Fkubernetes-engine%2Fpricing",
    "https://cloud-dot-devsite-v2-prod.appspot.com/nat/pricing",
    "https://cloud.google.com/secret-manager/pricing?authuser=5&hl=ja",
    "https://www.twblogs.net/a/5e4f845fbd9eee101e8581aa",
    "kahnwong/calculator src/models/GcpGkeModel.ts",
    "copy in index file id 59733464635",
])
def test_mirrors_proxies_and_uncommitted_files_are_rejected(source):
    assert not OFFICIAL.match(source) and not REPOSITORY.match(source)
