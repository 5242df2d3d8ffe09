"""Values an API checks that the plan writes as strings: a hostname for a Google-managed certificate, a
Cloud Scheduler cron schedule, a container image reference. Each is refused at load with a line saying what
the API accepts, where generate used to write it and the first apply failed."""
from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")


def hostname(value: str) -> str:
    """A domain a Google-managed certificate can cover: lowercase labels of letters, digits and inner hyphens,
    at least two, 253 characters at most, no wildcard ("Google-managed certificates don't support wildcard
    domains", https://cloud.google.com/load-balancing/docs/ssl-certificates/google-managed-certs, seen
    2026-12-07), no trailing dot."""
    if value.startswith("*."):
        raise ValueError("a Google-managed certificate does not cover wildcard domains; list each hostname")
    if value != value.lower():
        raise ValueError(f"write the hostname in lowercase ({value.lower()!r})")
    if value.endswith("."):
        raise ValueError(f"write the hostname without the trailing dot ({value.rstrip('.')!r})")
    labels = value.split(".")
    if len(value) > 253 or len(labels) < 2 or not all(_LABEL.match(label) for label in labels) \
            or labels[-1].isdigit():
        raise ValueError("not a hostname: labels of a-z, 0-9 and inner hyphens (at most 63 characters each) "
                         "joined by dots, e.g. api.example.com")
    return value


Hostname = Annotated[str, AfterValidator(hostname)]

# unix-cron fields: (name, lowest, highest, names allowed)
_CRON_FIELDS = (("minute", 0, 59, ()), ("hour", 0, 23, ()), ("day of month", 1, 31, ()),
                ("month", 1, 12, ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                  "dec")),
                ("day of week", 0, 7, ("sun", "mon", "tue", "wed", "thu", "fri", "sat")))
_CRON_ITEM = re.compile(r"^(\*|[0-9a-z]+(-[0-9a-z]+)?)(/[0-9]+)?$")


def cron(value: str) -> str:
    """A unix-cron schedule as Cloud Scheduler takes it: five fields (minute hour day-of-month month
    day-of-week), each *, a value, a range a-b, a list a,b and an optional /step, in range
    (https://cloud.google.com/scheduler/docs/configuring/cron-job-schedules, seen 2026-12-07)."""
    fields = value.split()
    if len(fields) != 5:
        raise ValueError("a schedule has five fields (minute hour day-of-month month day-of-week), e.g. '0 2 * * *'")
    for text, (name, lowest, highest, names) in zip(fields, _CRON_FIELDS):
        for item in text.lower().split(","):
            match = _CRON_ITEM.match(item)
            if not match:
                raise ValueError(f"the {name} field {text!r} is not *, a value, a range or a list")
            for bound in filter(None, re.split(r"[-/*]", item.split("/")[0])):
                number = names.index(bound) + lowest if bound in names else int(bound) if bound.isdigit() else None
                if number is None or not lowest <= number <= highest:
                    raise ValueError(f"the {name} field {text!r} is outside {lowest}-{highest}")
    return value


CronSchedule = Annotated[str, AfterValidator(cron)]

# A reference as the registry API takes it: [host[:port]/]path[:tag][@digest], path components of lowercase
# letters and digits with inner separators (the distribution project's reference grammar).
_IMAGE = re.compile(r"^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
                    r"(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?"
                    r"(?:@sha256:[a-f0-9]{64})?$")


def image(value: str) -> str:
    if len(value) > 255 or not _IMAGE.match(value):
        raise ValueError("not a container image reference: [registry/]path[:tag][@sha256:digest], the path in "
                         "lowercase, e.g. europe-docker.pkg.dev/project/repo/api:1.4")
    return value


ImageRef = Annotated[str, AfterValidator(image)]
