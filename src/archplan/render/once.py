"""A renderer's layout of a report, built once per report: `validate` renders every format of each report
(the table and Markdown share one layout per currency; the JSON data also draws the document's charts).
A report is never changed once an analysis returns it, and the layouts are only read."""
from __future__ import annotations


def per_report(report, name: str, compute):
    """compute(), remembered on the report object under `name`."""
    cached = report.__dict__.get(name)
    if cached is None:
        cached = report.__dict__[name] = compute()
    return cached


def per_report_and(report, name: str, key, compute):
    """compute(key), remembered on the report object under `name`, one per key (a currency)."""
    cached = per_report(report, name, dict)
    if key not in cached:
        cached[key] = compute(key)
    return cached[key]
