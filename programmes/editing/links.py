"""Addresses the site cites, checked now and then (`manage.py check_links`).

The sources' addresses and the official websites of programmes and
organisations. Each address is asked for with HEAD, then GET when HEAD is
refused or fails (some servers answer HEAD with 403, 404 or 405); redirects
are followed; each request has a timeout; a few run at a time, with a User-Agent
that names the site. The result and its date go to a LinkCheck row per address.
It never runs during a request: only the command calls it, from cron or a
systemd timer (docs/operations.md#scheduled-tasks); when its last run is older
than settings.LINK_CHECKS_OVERDUE_DAYS, the editors' home and the system check
`programmes.W001` say so.
"""

import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import checks
from django.db import DatabaseError
from django.db.models import Max
from django.utils import timezone
from modeltranslation.utils import build_localized_fieldname

from programmes.content.models import Organisation, Programme, Source
from programmes.languages import language_codes

from .models import LinkCheck

TIMEOUT_SECONDS = 10
AT_A_TIME = 4
# How old a check, or a source's "date checked", may be before editors hear.
STALE_AFTER = timedelta(days=365)


def user_agent():
    site = settings.SITE_URL or "no public address set"
    return f"interpol-drugs-link-checker/1.0 (checks the pages this site cites; {site})"


def cited_addresses():
    """Every address the site cites, once, in a stable order."""
    addresses = set(Source.objects.exclude(url="").values_list("url", flat=True))
    addresses |= set(
        Organisation.objects.exclude(website="").values_list("website", flat=True)
    )
    for code in language_codes():
        column = build_localized_fieldname("website", code)
        addresses |= set(
            Programme.objects.exclude(**{column: ""})
            .exclude(**{f"{column}__isnull": True})
            .values_list(column, flat=True)
        )
    return sorted(addresses)


@dataclass
class Result:
    url: str
    status: int | None
    error: str = ""

    @property
    def is_broken(self):
        return self.status is None or self.status >= 400


def ask(url, method, timeout):
    request = urllib.request.Request(
        url, method=method, headers={"User-Agent": user_agent()}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return Result(url, response.status)
    except urllib.error.HTTPError as error:
        return Result(url, error.code, str(error.reason)[:300])
    except (TimeoutError, urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return Result(url, None, str(reason)[:300] or type(error).__name__)


def check(url, timeout=TIMEOUT_SECONDS):
    """HEAD, then GET unless HEAD said the page is there."""
    result = ask(url, "HEAD", timeout)
    if not result.is_broken:
        return result
    return ask(url, "GET", timeout)


def check_all(urls, timeout=TIMEOUT_SECONDS, at_a_time=AT_A_TIME, progress=None):
    """Check `urls`, record each result with its date; return the results."""
    results = []
    with ThreadPoolExecutor(max_workers=at_a_time) as pool:
        for number, result in enumerate(
            pool.map(lambda url: check(url, timeout), urls), start=1
        ):
            LinkCheck.objects.update_or_create(
                url=result.url,
                defaults={
                    "status": result.status,
                    "error": result.error,
                    "checked_at": timezone.now(),
                },
            )
            results.append(result)
            if progress:
                progress(number, len(urls), result)
    return results


# --- Is the schedule running? ------------------------------------------------


@dataclass
class LastRun:
    """When check_links last recorded a result, and whether that is too long ago."""

    checked_at: datetime | None  # None: never
    overdue: bool


def last_run(now=None):
    now = now or timezone.now()
    last = LinkCheck.objects.aggregate(last=Max("checked_at"))["last"]
    if last is None:
        # Overdue only once the site cites an address.
        return LastRun(None, bool(cited_addresses()))
    max_age = timedelta(days=settings.LINK_CHECKS_OVERDUE_DAYS)
    return LastRun(last, now - last > max_age)


def links_checked_lately(app_configs, databases=None, **kwargs):
    """System check (database tag): `check --database default`, and migrate."""
    if not databases:
        return []
    try:
        run = last_run()
    except DatabaseError:  # before the first migrate: no table yet
        return []
    if not run.overdue:
        return []
    if run.checked_at is None:
        state = "have never been checked"
    else:
        state = (
            f"were last checked on {run.checked_at:%Y-%m-%d}, more than "
            f"{settings.LINK_CHECKS_OVERDUE_DAYS} days ago"
        )
    return [
        checks.Warning(
            f"The addresses the site cites {state}: is check_links scheduled?",
            hint="Schedule `manage.py check_links` weekly: docs/operations.md, "
            "Scheduled tasks.",
            id="programmes.W001",
        )
    ]


# --- What the editors' home lists --------------------------------------------


def sources_to_check(now=None):
    """([(source, LinkCheck)], never checked): sources whose address failed or
    was last checked more than a year ago, and how many were never checked."""
    now = now or timezone.now()
    checks = {check.url: check for check in LinkCheck.objects.all()}
    found, never = [], 0
    for source in (
        Source.objects.exclude(url="")
        .select_related("programme")
        .order_by("programme__display_order", "display_order", "pk")
    ):
        check = checks.get(source.url)
        if check is None:
            never += 1
        elif check.is_broken or now - check.checked_at > STALE_AFTER:
            found.append((source, check))
    return found, never


def broken_websites():
    """[(record, field label, LinkCheck)] for official websites that failed."""
    broken = {check.url: check for check in LinkCheck.objects.all() if check.is_broken}
    found = []
    for organisation in Organisation.objects.exclude(website=""):
        if organisation.website in broken:
            found.append((organisation, broken[organisation.website]))
    for programme in Programme.objects.all():
        for code in language_codes():
            url = getattr(programme, build_localized_fieldname("website", code))
            if url in broken:
                found.append((programme, broken[url]))
    return found
