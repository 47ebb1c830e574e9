"""The number of SQL queries per public page does not grow with the content.

Every public page, feed, download and API answer, in both languages: at most
QUERY_BUDGET queries when the page cache cannot answer, and never more with 200
programmes than with 4 (the filters' and the search's own variants: in
tests/test_filters.py and tests/test_search.py). A save's statements read no
whole table either.
"""

import contextlib

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import (
    Resolver404,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
)
from django.utils import translation

from programmes.content import version as content_version

from .factories import make_organisation, make_programme, make_region
from .helpers import (
    LANGUAGES,
    build_programmes,
    every_kind_of_page,
    every_public_address,
)

pytestmark = pytest.mark.django_db


# --- Every public address, uncached -------------------------------------------------

QUERY_BUDGET = 6


# Not public pages: the admin (staff only, never cached) and the probes.
NOT_PUBLIC = {"admin", "healthz", "readyz", "media"}


def uncached_answer(client, url, language):
    """(status, queries) for `url`, answered by the view, not the page cache."""
    cache.clear()
    # The content version is made once per change, not per page: outside the count.
    content_version.read_version()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers={"accept-language": language})
        if response.streaming:
            b"".join(response.streaming_content)
    return response.status_code, len(queries)


def answers(client, addresses):
    return {
        (language, url): uncached_answer(client, url, language)
        for language, urls in addresses.items()
        for url in urls
    }


def test_every_public_address_keeps_its_budget_with_4_and_200_programmes(client):
    addresses, (organisation, region) = every_kind_of_page(4)

    with_4 = answers(client, addresses)
    build_programmes(196, organisation, region)
    with_200 = answers(client, addresses)

    statuses = {key: status for key, (status, _queries) in with_4.items()}
    expected = {
        (language, url): status
        for language, urls in addresses.items()
        for url, status in urls.items()
    }
    assert statuses == expected
    # Never more with 200; a page of search results may need fewer (its 20
    # results are then all programmes: no organisation or region to read).
    grown = {
        key: (with_4[key], answer)
        for key, answer in with_200.items()
        if answer[0] != with_4[key][0] or answer[1] > with_4[key][1]
    }
    assert not grown
    over = {
        key: queries for key, (_s, queries) in with_4.items() if queries > QUERY_BUDGET
    }
    assert not over, f"more than {QUERY_BUDGET} queries: {over}"


def routes(resolver=None, namespace=""):
    """{view: its route's name} for every route of the site but the admin's."""
    found = {}
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver) and pattern.app_name != "admin":
            inner = (
                f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            )
            found |= routes(pattern, inner)
        elif isinstance(pattern, URLPattern):
            found[pattern.callback] = f"{namespace}{pattern.name or pattern.pattern}"
    return found


def test_the_budget_test_covers_every_public_route():
    # A new page, feed or API route joins every_public_address or fails here.
    programme = make_programme()
    organisation = make_organisation()
    region = make_region()
    covered = set()
    for language in LANGUAGES:
        urls = every_public_address(
            language, programme, organisation, region, make_programme()
        )
        with translation.override(language):
            for url in urls:
                # /fr/nothing-here/ resolves to no route: its 404 is the handler's.
                with contextlib.suppress(Resolver404):
                    covered.add(resolve(url.split("?")[0]).func)
    missing = {
        name
        for view, name in routes().items()
        if view not in covered and name not in NOT_PUBLIC
    }

    assert missing == set()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plans")
def test_no_statement_of_a_save_reads_a_whole_table():
    """What a save writes beside the record (translation states and statuses,
    search entries, redirects, history, the content version) is found through
    indexes: a save costs the same on a site of 20 programmes or 20,000, and
    building a large site is not quadratic (bench/content.py)."""
    region, organisation = make_region(), make_organisation()
    with CaptureQueriesContext(connection) as queries:
        programme = make_programme()
        programme.beneficiary_regions.add(region)
        programme.participations.create(organisation=organisation, role="funder")
        programme.sources.create(title="Source", url="https://example.org/")
        programme.summary_en = "Changed."
        programme.slug_en = "changed-address"
        programme.save()

    scans = []
    with connection.cursor() as cursor:
        for query in queries:
            if query["sql"].startswith(("SELECT", "UPDATE", "DELETE")):
                cursor.execute(f"EXPLAIN QUERY PLAN {query['sql']}")
                scans += [
                    (row[-1], query["sql"][:200])
                    for row in cursor.fetchall()
                    if row[-1].startswith("SCAN")
                ]
    assert len(queries) > 20  # the signals ran
    assert scans == []
