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
# Only Google's own pages may be exceptions: a news site, blog or mirror is never one.
EXCEPTIONS = {
    "https://ai.google.dev/gemini-api/docs/pricing": "Google's own page for Gemini Developer API prices",
}
GOOGLE_HOSTS = re.compile(r"^https://([a-z0-9-]+\.)*(google\.dev|google\.com)/")


def problem(source: str, date: str) -> str:
    """Why a catalog `source` is not acceptable, or "" when it is."""
    if source in EXCEPTIONS:
        return "" if GOOGLE_HOSTS.match(source) and DATED.search(date) else "exception not on a Google host, or undated"
    if OFFICIAL.match(source):
        return "" if DATED.search(date) else "official page without the date it was read"
    if REPOSITORY.match(source):
        return ""
    return "not an official Google page nor a public repository with path and commit"


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
            reason = problem(source, date)
            if reason:
                bad.append(f"{path.relative_to(DATA)}:{'.'.join(map(str, where))}: {reason}: {source[:120]}")
    assert count > 100
    assert not bad, "\n".join(bad)


def test_exceptions_are_googles_own_pages():
    assert all(GOOGLE_HOSTS.match(source) for source in EXCEPTIONS)


@pytest.mark.parametrize("source", [
    "https://test.916300.xyz/advanced-proxy?url=https%3A%2F%2Fcloud.google.com%2Fkubernetes-engine%2Fpricing",
    "https://cloud-dot-devsite-v2-prod.appspot.com/nat/pricing",
    "https://cloud.google.com/secret-manager/pricing?authuser=5&hl=ja",
    "https://www.twblogs.net/a/5e4f845fbd9eee101e8581aa",
    "kahnwong/calculator src/models/GcpGkeModel.ts",
    "copy in index file id 59733464635",
    "https://m.rediff.com/news/commentary/2026/feb/02/rupee-rises-44-paise-to-close-at-91.49-against-us-dollar"
    "/bf549e08a2565574fa342569a982c9ae",
    "https://economictimes.indiatimes.com/markets/forex/rupee-closes-at-95-81",
    "https://www.x-rates.com/historical/?from=USD&amount=1&date=2026-09-25",
    "https://cloud.google.com.evil.example/vertex-ai/pricing",
    "https://ai.google.dev.example.net/gemini-api/docs/pricing",
    "datasets/exchange-rates data/daily.csv",
])
def test_mirrors_proxies_news_and_uncommitted_files_are_rejected(source):
    assert problem(source, "2026-12-02")


def test_official_pages_need_the_date_they_were_read():
    assert problem("https://cloud.google.com/spanner/pricing", "")
    assert not problem("https://cloud.google.com/spanner/pricing", "2026-12-02")


# Notes and comments may point a reader to Google's pages or to a public repository on GitHub, never to a
# mirror, proxy, news site or blog, and never name a search tool's internal identifiers.
NOTE_URL_HOSTS = re.compile(r"^https://((docs\.)?cloud\.google\.com|ai\.google\.dev|github\.com)/")
TOOL_IDENTIFIER = re.compile(r"\bfile id \d+|\bcode index\b|\bindex file id\b", re.IGNORECASE)


def note_problems(text: str) -> list[str]:
    found = [url for url in re.findall(r"https?://[^\s\"'()<>,]+", text) if not NOTE_URL_HOSTS.match(url)]
    return found + TOOL_IDENTIFIER.findall(text)


def test_notes_and_comments_link_only_google_pages_or_public_repositories():
    bad = []
    for path in sorted(DATA.rglob("*")):
        if path.suffix in (".yaml", ".json"):
            bad += [f"{path.relative_to(DATA)}: {found[:120]}" for found in note_problems(path.read_text())]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("text", [
    "same value in https://coconote.app/notes/2caa4c53, 2025",
    "a copy at https://dev2.ts-export.com/carview.php?tsp=https%3A%2F%2Fdevelopers.google.com",
    "read from a copy in the code index (file id 17026857742)",
    "confirmed by https://raw.githubusercontent.com/api-evangelist/deepmind/refs/heads/main/plans/x.yml",
    "http://cloud.google.com/run/pricing",
])
def test_note_check_rejects_mirrors_blogs_and_tool_identifiers(text):
    assert note_problems(text)


def test_note_check_accepts_google_pages_and_repositories():
    assert not note_problems("see https://cloud.google.com/sql/sla and https://github.com/google/x/pull/364")
