"""Anonymous public pages come from the cache and are fresh after every change.

interpol_drugs/page_cache.py; tests/conftest.py empties the cache and gives
each test its own content version.
"""

import math
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import http_date
from django_redis.exceptions import ConnectionInterrupted

from interpol_drugs import page_cache
from programmes.content import version as content_version
from programmes.editing.roles import EDITORS
from programmes.models import HomePage, Programme

from .factories import make_programme, make_region
from .helpers import every_kind_of_page, in_fresh_process, logged_in, staff_member
from .hostile import form_data

pytestmark = pytest.mark.django_db

LANGUAGES = ["fr", "en"]


def public_url(obj, language):
    with translation.override(language):
        return obj.get_absolute_url()


def is_cached(client, url):
    """The answer to `url`, and whether it came from the cache (no query)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries) == 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_second_request_comes_from_the_cache_without_a_query(
    client, language, django_assert_num_queries
):
    programme = make_programme(acronym="CACHED")
    url = public_url(programme, language)
    first = client.get(url)

    with django_assert_num_queries(0):
        second = client.get(url)

    assert second.status_code == 200
    assert second.content == first.content
    assert b"CACHED" in second.content
    assert second["Content-Language"] == language
    # Added around the cache, on every answer.
    assert second["X-Request-ID"] != first["X-Request-ID"]
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "path",
    ["/sitemap.xml", "/robots.txt", "/fr/flux/", "/en/feed/", "/api/v1/programmes/"],
)
def test_sitemap_robots_feeds_and_api_are_cached(client, path):
    make_programme()
    first = client.get(path)
    assert first.status_code == 200

    second, cached = is_cached(client, path)

    assert cached
    assert second.content == first.content


def test_every_public_address_is_answered_from_the_cache_the_second_time(client):
    addresses, _related = every_kind_of_page(4)

    not_cached = []
    for language, statuses in addresses.items():
        for url, status in statuses.items():
            headers = {"accept-language": language}
            first = client.get(url, headers=headers)
            assert first.status_code == status, url
            if first.streaming:
                first.getvalue()  # sent in full, as the server does
            with CaptureQueriesContext(connection) as queries:
                again = client.get(url, headers=headers)
            if (
                again.status_code != status
                or len(queries)
                or "public" not in (again.get("Cache-Control", ""))
            ):
                not_cached.append((language, url))

    assert not_cached == []


def test_each_language_and_query_string_has_its_own_copy(client):
    make_programme()
    french = client.get("/fr/").content
    english = client.get("/en/").content
    assert french != english
    assert client.get("/fr/").content == french
    # The unprefixed addresses answer in the negotiated language.
    robots_fr = client.get("/robots.txt", headers={"accept-language": "fr"})
    robots_en = client.get("/robots.txt", headers={"accept-language": "en"})
    assert robots_fr["Content-Language"] == "fr"
    assert robots_en["Content-Language"] == "en"

    client.get("/en/programmes/")
    _response, cached = is_cached(client, "/en/programmes/?page=1")
    assert not cached


def test_the_language_redirect_at_the_root_still_follows_accept_language(client):
    assert client.get("/", headers={"accept-language": "en"})["Location"] == "/en/"
    assert client.get("/", headers={"accept-language": "fr"})["Location"] == "/fr/"
    assert client.get("/", headers={"accept-language": "en"})["Location"] == "/en/"


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_edit_through_the_model_is_served_at_once(client, language):
    programme = make_programme(summary_fr="Ancien résumé.", summary_en="Old summary.")
    url = public_url(programme, language)
    old = "Ancien résumé." if language == "fr" else "Old summary."
    assert old in client.get(url).content.decode()

    programme.summary_fr = "Nouveau résumé."
    programme.summary_en = "New summary."
    programme.save()

    page = client.get(url).content.decode()
    assert old not in page
    assert ("Nouveau résumé." if language == "fr" else "New summary.") in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_edit_in_the_admin_is_served_at_once(client, admin_client, language):
    programme = make_programme(name_fr="Nom d’avant", name_en="Former name")
    url = public_url(programme, language)
    assert client.get(url).status_code == 200
    change = reverse("admin:programmes_programme_change", args=[programme.pk])
    data = form_data(admin_client.get(change), "programme_form")
    data |= {"name_fr": "Nom d’après", "name_en": "Latter name"}

    assert admin_client.post(change, data).status_code == 302

    page = client.get(url).content.decode()
    assert ("Nom d’après" if language == "fr" else "Latter name") in page


def test_the_home_page_text_is_fresh_after_its_edit(client):
    home = HomePage.objects.create(
        title="Accueil", heading="Titre d’avant", introduction="x", summary="y"
    )
    assert "Titre d’avant" in client.get("/fr/").content.decode()

    home.heading = "Titre d’après"
    home.save()

    assert "Titre d’après" in client.get("/fr/").content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_deleted_programme_is_gone_at_once(client, language):
    programme = make_programme()
    url = public_url(programme, language)
    assert client.get(url).status_code == 200

    programme.delete()

    assert client.get(url).status_code == 404


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_region_link_added_or_removed_is_served_at_once(client, language):
    programme = make_programme(acronym="LINKED")
    region = make_region()
    url = public_url(region, language)
    assert b"LINKED" not in client.get(url).content

    programme.beneficiary_regions.add(region)
    assert b"LINKED" in client.get(url).content

    programme.beneficiary_regions.remove(region)
    assert b"LINKED" not in client.get(url).content


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_scheduled_publication_appears_on_time_without_any_write(client, language):
    make_programme()  # the lists have something to show before
    programme = make_programme(
        acronym="SOONER", published_at=timezone.now() + timedelta(seconds=1)
    )
    url = public_url(programme, language)
    assert client.get(url).status_code == 404
    assert b"SOONER" not in client.get(reverse("home")).content
    # Cached while not due.
    _response, cached = is_cached(client, url)
    assert cached

    time.sleep(1.1)

    assert client.get(url).status_code == 200
    assert b"SOONER" in client.get(f"/{language}/").content


def staff_client():
    return logged_in(staff_member(EDITORS, "editor"))


def test_many_writes_in_one_transaction_make_one_version_after_the_commit(
    django_capture_on_commit_callbacks,
):
    """A version costs a query over every publishable table and a write: a
    transaction of many saves (an import, load_content, bench.content.grow)
    must not make one per row, or its cost grows with the site squared."""
    with django_capture_on_commit_callbacks() as callbacks:
        for _ in range(3):
            make_programme().beneficiary_regions.add(make_region())

    new_versions = [
        callback
        for callback in callbacks
        if isinstance(callback, content_version.NewVersionAfterCommit)
    ]
    assert len(new_versions) == 1


def test_a_write_makes_a_new_version_when_this_process_next_reads_it(client):
    programme = make_programme(acronym="BEFORE")
    url = public_url(programme, "en")
    assert b"BEFORE" in client.get(url).content
    version = content_version.read_version()
    assert content_version.read_version() == version

    with CaptureQueriesContext(connection) as queries:
        programme.acronym = "AFTER"
        programme.save()
    # The save itself asks nothing about scheduled publications...
    assert not [q for q in queries if " UNION " in q["sql"]]
    # ...the next read makes the new version, within the same transaction.
    assert content_version.read_version() != version
    assert b"AFTER" in client.get(url).content


def test_staff_never_fill_the_cache(client):
    programme = make_programme()
    url = public_url(programme, "en")
    staff = staff_client()

    response = staff.get(url)

    assert response.status_code == 200
    assert response["Cache-Control"] == "private"
    assert "ETag" not in response
    _response, cached = is_cached(client, url)
    assert not cached


def test_staff_never_get_a_cached_page(client):
    programme = make_programme(acronym="BEFORE")
    url = public_url(programme, "en")
    client.get(url)
    # A change the cache is not told about (no signal).
    Programme.objects.filter(pk=programme.pk).update(acronym="AFTER")

    assert b"AFTER" in staff_client().get(url).content
    assert b"BEFORE" in client.get(url).content


def test_a_post_is_neither_cached_nor_answered_from_the_cache(client):
    programme = make_programme()
    url = public_url(programme, "fr")

    assert client.post(url).status_code == 405

    _response, cached = is_cached(client, url)
    assert not cached
    assert client.post(url).status_code == 405


def test_head_is_answered_from_the_cache_filled_by_get(client):
    programme = make_programme()
    url = public_url(programme, "en")
    get = client.get(url)

    head = client.head(url)

    assert head.status_code == 200
    assert head["ETag"] == get["ETag"]
    assert head.content == b""


def test_head_before_any_get_has_the_validators_and_fills_nothing(client):
    programme = make_programme()
    url = public_url(programme, "en")
    wait_until_the_version_may_be_dated()

    head = client.head(url)
    _response, cached = is_cached(client, url)

    assert head.status_code == 200
    assert head["Cache-Control"].startswith("public, max-age=")
    assert "Last-Modified" in head
    get = client.get(url)
    assert head["ETag"] == get["ETag"]
    assert not cached


def wait_until_the_version_may_be_dated():
    """Sleeps (under a second) until the current version's pages get a date."""
    began = content_version.token_time(content_version.read_version())
    time.sleep(max(0.0, math.ceil(began) - time.time()))


@pytest.mark.parametrize("language", LANGUAGES)
def test_conditional_requests_answer_304_until_the_page_changes(client, language):
    programme = make_programme()
    url = public_url(programme, language)
    wait_until_the_version_may_be_dated()
    page = client.get(url)
    etag, last_modified = page["ETag"], page["Last-Modified"]
    assert etag.startswith('"') and not etag.startswith('W/"')

    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    assert (
        client.get(url, headers={"if-modified-since": last_modified}).status_code == 304
    )
    earlier = http_date(time.time() - 3600)
    assert client.get(url, headers={"if-modified-since": earlier}).status_code == 200

    programme.summary_fr = programme.summary_en = "Changed."
    programme.save()

    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_a_version_begun_within_the_same_second_is_never_not_modified(
    client, monkeypatch
):
    # Two versions within one second: a client holding the first one's date
    # must get the second one's page, not a 304.
    clock = [1_900_000_000.25]
    monkeypatch.setattr(content_version.time, "time", lambda: clock[0])
    programme = make_programme()
    url = public_url(programme, "en")
    content_version.bump_content_version()

    assert "Last-Modified" not in client.get(url)  # its second has not come yet
    clock[0] = 1_900_000_001.5
    dated = client.get(url)["Last-Modified"]
    assert dated == http_date(1_900_000_001)
    clock[0] = 1_900_000_001.75
    programme.summary_en = "Changed within the same second."
    programme.save()

    changed = client.get(url, headers={"if-modified-since": dated})
    assert changed.status_code == 200
    assert b"Changed within the same second." in changed.content
    assert "Last-Modified" not in changed
    clock[0] = 1_900_000_002.1
    assert client.get(url)["Last-Modified"] == http_date(1_900_000_002)


def test_a_304_from_the_cache_carries_the_validators(client, django_assert_num_queries):
    make_programme()
    etag = client.get("/fr/")["ETag"]

    with django_assert_num_queries(0):
        response = client.get("/fr/", headers={"if-none-match": etag})

    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response["Cache-Control"].startswith("public")


def test_the_api_keeps_its_own_validators(client):
    make_programme()
    first = client.get("/api/v1/programmes/")
    second = client.get("/api/v1/programmes/")

    assert second["ETag"] == first["ETag"]
    assert len(first["ETag"]) == 34  # the API's data stamp, not a hash of the body


@pytest.mark.parametrize("path", ["/fr/", "/en/programmes/", "/api/v1/", "/fr/x/"])
def test_public_answers_may_be_kept_briefly_by_proxies(client, path):
    make_programme()
    for response in (client.get(path), client.get(path)):
        assert response["Cache-Control"] == (
            "public, max-age=60, stale-while-revalidate=300"
        )
        assert "Cookie" not in response.get("Vary", "")
        assert not response.cookies


def test_the_browser_cache_time_is_a_setting(client, settings):
    make_programme()
    settings.PAGE_CACHE_SECONDS = 10
    assert client.get("/fr/")["Cache-Control"] == (
        "public, max-age=10, stale-while-revalidate=50"
    )
    settings.PAGE_CACHE_SECONDS = 0
    assert client.get("/en/")["Cache-Control"] == "public, no-cache"


def test_admin_and_probes_are_unchanged(admin_client, client):
    programme = make_programme(status="draft")
    preview = reverse("admin:programmes_programme_preview", args=[programme.pk, "en"])

    assert "no-store" in admin_client.get(preview)["Cache-Control"]
    assert "public" not in client.get("/healthz").get("Cache-Control", "")
    assert "public" not in client.get(reverse("admin:login")).get("Cache-Control", "")


def response_with(**headers):
    response = HttpResponse("page")
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


@pytest.mark.parametrize(
    ("response", "kept"),
    [
        (response_with(), True),
        (response_with(Cache_Control="no-store"), False),
        (response_with(Cache_Control="private, max-age=3"), False),
        (response_with(Vary="Cookie"), False),
        (response_with(Vary="Accept-Language"), True),
    ],
)
def test_only_responses_for_anyone_are_kept(response, kept):
    request = RequestFactory().get("/fr/")

    assert page_cache.storable(request, response) is kept


@pytest.mark.parametrize(
    ("path", "status", "kept"),
    [
        ("/fr/pas-de-page/", 404, True),
        ("/fr/pas-de-page/?x=1", 404, False),
        ("/en/nowhere/?utm=2", 410, False),
        ("/en/programmes/?page=2", 200, True),
    ],
)
def test_made_up_addresses_with_a_query_string_are_not_kept(path, status, kept):
    # Query strings are endless: only pages that exist are kept with one.
    response = response_with()
    response.status_code = status

    assert page_cache.storable(RequestFactory().get(path), response) is kept


def test_responses_setting_a_cookie_or_of_other_statuses_are_not_kept():
    request = RequestFactory().get("/fr/")
    with_cookie = response_with()
    with_cookie.set_cookie("csrftoken", "x")
    server_error = response_with()
    server_error.status_code = 500

    assert not page_cache.storable(request, with_cookie)
    assert not page_cache.storable(request, server_error)


def test_another_process_making_a_new_version_makes_pages_fresh(client, settings):
    # With a memory cache per process, the version is a file all share: a
    # gunicorn worker that saved content writes it, the others read it.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    programme = make_programme(acronym="OLDER")
    url = public_url(programme, "en")
    client.get(url)
    Programme.objects.filter(pk=programme.pk).update(acronym="NEWER")
    content_version.version_file().write_text(content_version.new_token())

    assert b"NEWER" in client.get(url).content


def test_a_change_redis_missed_is_recorded_at_the_next_request(
    client,
    settings,
    redis_url,
    monkeypatch,
    caplog,
    django_capture_on_commit_callbacks,
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        }
    }
    with django_capture_on_commit_callbacks(execute=True):
        programme = make_programme(acronym="BEFORE")
    url = public_url(programme, "en")
    assert b"BEFORE" in client.get(url).content
    client_class = type(caches["default"].client)
    working_set = client_class.set

    def redis_is_down(*args, **kwargs):
        raise ConnectionInterrupted(connection=None)

    monkeypatch.setattr(client_class, "set", redis_is_down)
    # Committed: the new version for every process is made then.
    with django_capture_on_commit_callbacks(execute=True):
        programme.acronym = "AFTER"
        programme.save()
    assert content_version.pending_file().exists()
    assert "could not record a content change" in caplog.text

    monkeypatch.setattr(client_class, "set", working_set)  # Redis is back
    page = client.get(url)

    assert b"AFTER" in page.content
    assert not content_version.pending_file().exists()


TWO_PROCESSES = """
from django.core.management import call_command
from django.test import Client
from django.db import connection
from django.test.utils import CaptureQueriesContext
from programmes.models import Programme
step = {step!r}
if step == "serve":
    import io
    call_command("migrate", verbosity=0)
    call_command("load_content", verbosity=0, stdout=io.StringIO())
client = Client(HTTP_HOST="localhost")
# JSON: pages need collected static files (the manifest) in production.
url = "/api/v1/programmes/"
if step == "edit":
    programme = Programme.objects.get(slug_en="aircop")
    programme.name_en = "Edited in another process."
    programme.save()
    print(json.dumps({{}}))
else:
    first = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url).content.decode()
    print(json.dumps({{"status": client.get(url).status_code,
                      "edited": "Edited in another process." in first,
                      "queries": len(queries)}}))
"""


@pytest.mark.slow  # two application processes
def test_two_processes_sharing_redis_serve_an_edit_fresh(tmp_path, redis_url):
    environment = {"REDIS_URL": redis_url}

    def run(step):
        return in_fresh_process(
            TWO_PROCESSES.format(step=step), tmp_path, **environment
        )

    assert run("serve") == {"status": 200, "edited": False, "queries": 0}
    # The page is now in Redis; a second process serves it from there.
    assert run("read") == {"status": 200, "edited": False, "queries": 0}

    run("edit")

    assert run("read")["edited"] is True


def test_the_code_fingerprint_covers_every_folder_of_the_project_and_no_library(
    settings,
):
    base = Path(settings.BASE_DIR)

    folders = page_cache.source_folders(base)

    expected = {"interpol_drugs", "programmes", "accounts", "operations"}
    assert {folder.relative_to(base).as_posix() for folder in folders} == expected | {
        "templates",
        "locale",
    }
    assert not any(folder.is_relative_to(sys.prefix) for folder in folders)


def test_a_streamed_download_is_kept_once_sent_in_full(client):
    make_programme()
    url = "/api/v1/programmes.csv"

    unread = client.get(url)
    assert unread.streaming
    # Not sent in full: nothing kept, the next request reads the database.
    with CaptureQueriesContext(connection) as queries:
        sent = client.get(url).getvalue()
    assert len(queries)

    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert not queries
    assert again.content == sent
    assert again["Content-Type"] == "text/csv; charset=utf-8"


# --- The front: a hit before the middlewares it does not need --------------------


def test_a_hit_skips_the_middlewares_below_the_front_and_keeps_their_headers(
    client, monkeypatch
):
    """The language, sessions, CSP... run once, for the first visitor: a hit
    sends the headers they gave then (PageCacheFrontMiddleware)."""
    from csp.middleware import CSPMiddleware
    from django.middleware.locale import LocaleMiddleware

    calls = []
    for middleware, method in (
        (LocaleMiddleware, "process_request"),
        (CSPMiddleware, "process_response"),
    ):
        original = getattr(middleware, method)

        def spy(self, *arguments, _original=original, _name=middleware.__name__):
            calls.append(_name)
            return _original(self, *arguments)

        monkeypatch.setattr(middleware, method, spy)
    programme = make_programme()
    url = public_url(programme, "fr")
    first = client.get(url)
    assert sorted(calls) == ["CSPMiddleware", "LocaleMiddleware"]
    calls.clear()

    second, cached = is_cached(client, url)

    assert cached
    assert calls == []
    assert second.content == first.content
    per_request = {"X-Request-ID", "Cache-Control"}
    assert {
        name: value for name, value in second.items() if name not in per_request
    } == {name: value for name, value in first.items() if name not in per_request}
    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "Permissions-Policy",
        "Cross-Origin-Resource-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Content-Language",
        "ETag",
    ):
        assert second[header] == first[header], header
    assert second["X-Request-ID"] != first["X-Request-ID"]


def test_a_page_kept_over_https_never_answers_a_plain_http_request(client, settings):
    """Whatever refuses a request before the page cache's judge (here
    SecurityMiddleware's redirect to HTTPS) keeps refusing it after a hit."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600
    client = type(client)()  # SecurityMiddleware reads its settings when made
    programme = make_programme()
    url = public_url(programme, "en")
    first = client.get(url, secure=True)
    plain = client.get(url)

    assert first.status_code == 200
    assert plain.status_code == 301
    assert plain["Location"] == f"https://testserver{url}"
    hit = client.get(url, secure=True)
    assert hit.content == first.content
    assert hit["Strict-Transport-Security"] == "max-age=3600"


def test_a_host_not_allowed_is_refused_even_when_the_page_is_kept(client):
    programme = make_programme()
    url = public_url(programme, "en")
    assert client.get(url).status_code == 200

    refused = client.get(url, headers={"host": "evil.example"})

    assert refused.status_code == 400


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unprefixed_address_is_a_hit_in_the_language_asked(client, language):
    """The front guesses the language as LocaleMiddleware chooses it (from
    Accept-Language where the address has no prefix): a wrong guess would
    look under another key and miss every time."""
    make_programme()
    headers = {"accept-language": language}
    first = client.get("/api/v1/programmes/", headers=headers)

    with CaptureQueriesContext(connection) as queries:
        again = client.get("/api/v1/programmes/", headers=headers)

    assert not queries
    assert again.content == first.content
    assert page_cache.language_of(RequestFactory().get("/", headers=headers)) == (
        language
    )
    assert page_cache.language_of(RequestFactory().get(f"/{language}/")) == language


def test_per_version_answers_once_per_content_version_and_arguments(db):
    from programmes.content.version import bump_content_version, per_version

    calls = []

    @per_version
    def answer(language):
        calls.append(language)
        return f"{language}-{len(calls)}"

    assert [answer("fr"), answer("fr"), answer("en")] == ["fr-1", "fr-1", "en-2"]
    bump_content_version()  # any change of content
    assert answer("fr") == "fr-3"
    assert calls == ["fr", "en", "fr"]
