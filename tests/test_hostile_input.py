"""Hostile input at every entry point: never a 5xx, and nothing changes.

Every test compares a snapshot of the programmes app's tables (row counts and
a hash of every row, tests/hostile.py) before and after its hostile requests.
Explicit cases name the attacks; Hypothesis fuzzes paths, query strings,
headers and form fields with a fixed seed (derandomize) and a bounded number
of examples, so that every run, in CI too, tries the same inputs. Requests
that raise are not turned into 500 pages here: the test client re-raises the
exception, so a failure shows its traceback.

Run it on PostgreSQL too (make test-postgres): it refuses a NUL character in
text where SQLite stores it or finds nothing.
"""

import json
import string
from urllib.parse import quote, urlencode

import html5lib
import hypothesis
import pytest
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.core.management import CommandError, call_command
from django.http.request import split_domain_port, validate_host
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from PIL import Image

from programmes.models import HomePage, Organisation, Programme, Region

from .hostile import (
    API_PAGE_CASES,
    BOGUS_HOSTS,
    EVIL,
    FILTER_CASES,
    HEADER_NAMES,
    ODD_ACCEPT_LANGUAGES,
    ODD_HEADER_VALUES,
    ODD_PATHS,
    OPEN_REDIRECT_PATHS,
    UPLOADS,
    form_data,
    has_form_errors,
    is_local_redirect,
    nothing_changes,
    saved_unchanged,
)
from .pages import PUBLIC_PAGES

pytestmark = pytest.mark.django_db

# Bounded and reproducible: the same 50 examples per property on every run.
# The fixtures (the database, the client) are shared by a test's examples on
# purpose: every example must leave the data as it found it.
fuzz = hypothesis.settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

PASSWORD = "correct horse battery staple 7"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Many tests log staff in: the production hasher's cost is not under test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def percent_encoded(data):
    return "".join(f"%{byte:02X}" for byte in data)


# --- URLs ---------------------------------------------------------------------

PAGES = [path for name, path in PUBLIC_PAGES if not name.startswith("not-found")]
NOT_FOUND = [path for name, path in PUBLIC_PAGES if name.startswith("not-found")]
# Public addresses outside /fr/ and /en/ that only read.
READ_ONLY_EXTRAS = [
    "/fr/flux/",
    "/en/feed/",
    "/sitemap.xml",
    "/robots.txt",
    "/healthz",
    "/readyz",
]
API_LISTS = ["programmes", "organisations", "regions", "countries"]
API_URLS = [
    "/api/v1/",
    "/api/v1/openapi.json",
    *(f"/api/v1/{name}/" for name in API_LISTS),
    *(f"/api/v1/{name}.csv" for name in API_LISTS),
    "/api/v1/countries/gh/",
]


def test_odd_or_overlong_paths_are_a_4xx(client, content):
    for case, path in ODD_PATHS.items():
        with nothing_changes():
            response = client.get(path)
        assert response.status_code in (400, 404), case
        assert "injected" not in response.cookies, case
        assert "Location" not in response, case
        assert b"SECRET_KEY" not in response.content, case


def test_a_bogus_host_is_400_everywhere(client, content):
    for host in BOGUS_HOSTS:
        for path in ["/", "/fr/", "/api/v1/programmes/", reverse("admin:login")]:
            with nothing_changes():
                response = client.get(path, HTTP_HOST=host)
            assert response.status_code == 400, (host[:50], path)


@fuzz
@given(host=st.text(max_size=300))
def test_any_host_header_is_400_unless_allowed(client, content, host):
    with nothing_changes():
        response = client.get("/fr/", HTTP_HOST=host)

    domain, _port = split_domain_port(host)
    if domain and validate_host(domain, settings.ALLOWED_HOSTS):
        assert response.status_code == 200
    else:
        assert response.status_code == 400


def test_a_forwarded_host_is_not_trusted(client, content):
    # Absolute links (canonical, hreflang, Open Graph, sitemap) use the Host.
    for path in ["/en/programmes/aircop/", "/sitemap.xml", "/robots.txt"]:
        response = client.get(path, HTTP_X_FORWARDED_HOST=EVIL)
        assert response.status_code == 200
        assert EVIL.encode() not in response.content


def test_no_address_redirects_to_another_site(client, content):
    for path in OPEN_REDIRECT_PATHS:
        with nothing_changes():
            response = client.get(path)
        assert response.status_code < 500, path
        assert is_local_redirect(response), (path, response["Location"])


def test_language_redirect_stays_on_the_site(client, content):
    for accept_language in ODD_ACCEPT_LANGUAGES:
        with nothing_changes():
            response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)
        assert response.status_code == 302, accept_language[:50]
        assert response["Location"] in ("/fr/", "/en/"), accept_language[:50]


@pytest.mark.parametrize("accept_language", ["x" * 10_240, "\x00;q=abc, *;q=1e999"])
def test_huge_or_garbage_accept_language_on_every_page(
    client, content, accept_language
):
    for path in PAGES + NOT_FOUND:
        with nothing_changes():
            response = client.get(path, HTTP_ACCEPT_LANGUAGE=accept_language)
        assert response.status_code == (404 if path in NOT_FOUND else 200), path
        # The address, not the header, sets the page's language.
        assert f'<html lang="{path.split("/")[1]}"'.encode() in response.content


@pytest.mark.parametrize("path", PAGES + READ_ONLY_EXTRAS)
def test_public_pages_answer_405_to_methods_that_write(client, content, path):
    for method in ("POST", "PUT", "PATCH", "DELETE", "PROPFIND", "BREW"):
        with nothing_changes():
            response = client.generic(method, path, b"name=x")
        assert response.status_code == 405, method


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "POST"])
def test_the_api_answers_405_to_methods_that_write(client, content, method):
    for path in API_URLS:
        with nothing_changes():
            response = client.generic(method, path, b"{}", "application/json")
        assert response.status_code == 405, path


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/fr/",
        "/en/programmes/aircop/",
        "/fr/page-introuvable/",
        "/api/v1/programmes/",
        "/sitemap.xml",
        "/static/css/site.css",
        "admin:login",
    ],
)
def test_trace_is_refused_everywhere(client, content, path):
    # TRACE echoes the request (cookies included) back: refused by
    # interpol_drugs.headers.RefuseTraceMiddleware, even where nothing exists.
    path = reverse(path) if path.startswith("admin:") else path
    response = client.generic("TRACE", path)

    assert response.status_code == 405
    assert b"Cookie" not in response.content


# Percent-encoded text and raw bytes, and the usual suspects.
path_segments = st.one_of(
    st.text(max_size=60).map(lambda text: quote(text, safe="")),
    st.text(alphabet=string.printable, max_size=60).map(
        lambda text: quote(text, safe="/:@!$&'()*+,;=")
    ),
    st.binary(max_size=40).map(percent_encoded),
    st.sampled_from(["..", ".", "%2e%2e", "", "%00", "%FF", "\\", "%5C", "~", ";"]),
)
PATH_PREFIXES = [
    "/",
    "/fr/",
    "/en/",
    "/fr/programmes/",
    "/en/organisations/",
    "/fr/regions/",
    "/fr/pays/",
    "/en/countries/",
    "/api/v1/",
    "/api/v1/programmes/",
    "/api/v1/countries/",
    "/static/",
]


@fuzz
@given(
    prefix=st.sampled_from(PATH_PREFIXES),
    segments=st.lists(path_segments, min_size=1, max_size=4),
    slash=st.booleans(),
)
def test_any_path_answers_below_500_and_stays_on_the_site(
    client, content, prefix, segments, slash
):
    path = prefix + "/".join(segments) + ("/" if slash else "")
    with nothing_changes():
        response = client.get(path)

    assert response.status_code < 500
    assert is_local_redirect(response)


# Latin-1 text: what a WSGI server can hand over in a header, controls included.
header_values = st.one_of(
    st.text(alphabet=st.characters(max_codepoint=255), max_size=200),
    st.sampled_from(ODD_HEADER_VALUES),
)
HEADERS = ["HTTP_" + name.upper().replace("-", "_") for name in HEADER_NAMES]
# The cookies every request may carry; a quoted value may hold octal escapes
# ("\000" is a NUL once parsed).
cookie_headers = st.builds(
    lambda name, value: f"{name}={value}",
    st.sampled_from(["sessionid", "csrftoken", "django_language", "x"]),
    st.one_of(
        st.text(alphabet=string.ascii_letters + string.digits, max_size=60),
        st.sampled_from(['"abcdefgh\\000ijkl"', '"\\377\\376"', "a" * 5_000, ";;"]),
    ),
)


@fuzz
@given(
    path=st.sampled_from([*PAGES, "/api/v1/programmes/", "/en/feed/", "admin:login"]),
    headers=st.dictionaries(st.sampled_from(HEADERS), header_values, max_size=4),
    cookie=st.none() | cookie_headers,
)
def test_any_headers_get_the_normal_page(client, content, path, headers, cookie):
    if cookie:
        headers["HTTP_COOKIE"] = cookie
    path = reverse(path) if path.startswith("admin:") else path
    with nothing_changes():
        response = client.get(path, **headers)

    # 304: a validator happened to match; the page itself never depends on
    # the headers but for the API's conditional requests.
    assert response.status_code in (200, 304)


# --- Query strings ------------------------------------------------------------

query_values = st.one_of(
    st.text(max_size=200),
    st.sampled_from(
        ["-1", "0", "1e9", "١٢", "9" * 10_000, " 1", "+1", "1 OR 1=1", "\x00", ""]
    ),
)
query_names = st.one_of(
    st.sampled_from(["page", "page_size", "region", "country", "partner", "funder"]),
    st.sampled_from(["q", "p", "o", "format", "lang", "next"]),
    st.text(max_size=20),
)
queries = st.dictionaries(
    query_names, query_values | st.lists(query_values), max_size=5
)


@fuzz
@given(language=st.sampled_from(["fr", "en"]), query=queries)
def test_programme_list_answers_any_query(client, content, language, query):
    with nothing_changes():
        response = client.get(f"/{language}/programmes/", query)

    # 404 for a page number that names no page, as Django's ListView does.
    assert response.status_code in (200, 404)
    assert b"<script>alert" not in response.content


SEARCH = {"fr": "/fr/recherche/", "en": "/en/search/"}


@fuzz
@given(language=st.sampled_from(["fr", "en"]), q=query_values, query=queries)
def test_search_answers_any_query_with_a_normal_page(
    client, content, language, q, query
):
    with nothing_changes():
        response = client.get(SEARCH[language], query | {"q": q})

    assert response.status_code == 200
    assert f'<html lang="{language}"'.encode() in response.content


@fuzz
@given(code=st.text(min_size=1, max_size=30))
def test_country_pages_answer_any_code(client, content, code):
    with nothing_changes():
        response = client.get(f"/en/countries/{quote(code, safe='')}/")

    assert response.status_code in (200, 301, 404)
    assert is_local_redirect(response)


def test_unknown_filters_list_nothing_and_are_shown_escaped(client, content):
    for query in FILTER_CASES:
        with nothing_changes():
            response = client.get("/fr/programmes/", query)
        assert response.status_code == 200, query
        assert b"<script>alert" not in response.content, query
        assert b"\x00" not in response.content, query


MISSING_PAGES = ["-1", "0", "1e9", "abc", "9" * 10_000, "\x00", "1.5", "last2"]


def test_a_page_that_does_not_exist_is_a_404(client, content):
    for page in MISSING_PAGES:
        for path in [
            "/fr/programmes/",
            "/en/organisations/",
            "/sitemap-programmes.xml",
        ]:
            with nothing_changes():
                response = client.get(
                    path, {"p" if "sitemap" in path else "page": page}
                )
            assert response.status_code == 404, (path, page[:20])


# --- The API ------------------------------------------------------------------


def assert_json_error(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["status"] == status


BAD_NUMBERS = [
    "-1",
    "0",
    "1e9",
    "abc",
    "١٢",  # Arabic-Indic digits, which int() would accept
    "１",  # a full-width digit
    "1.5",
    " 1",
    "+1",
    "0x1f",
    "1 OR 1=1",
    "1;--",
    "\x00",
    "",
    "9" * 10_000,
    "99999999999999999999999",
]


@pytest.mark.parametrize("parameter", ["page", "page_size"])
def test_a_bad_page_parameter_is_a_json_400(client, content, parameter):
    for value in BAD_NUMBERS:
        for name in API_LISTS:
            with nothing_changes():
                response = client.get(f"/api/v1/{name}/", {parameter: value})
            assert_json_error(response, 400)
            assert response.json()["error"]["parameter"] == parameter


def test_api_page_edge_cases(client, content):
    for query, status in API_PAGE_CASES:
        for name in API_LISTS:
            with nothing_changes():
                response = client.get(f"/api/v1/{name}/?{query}")
            assert response.status_code == status, (name, query[:50])
            assert response["Content-Type"] == "application/json"


UNKNOWN_IDS = [
    "abc",
    "-1",
    "0",
    "9223372036854775807",  # the largest 64-bit integer
    "9223372036854775808",
    "99999999999999999999999999999999",
    "1%20OR%201=1",
    "1;DROP%20TABLE%20programmes_programme",
    "%00",
    "1.0",
    "%D9%A3",  # Arabic-Indic 3
    "1e3",
    "0x10",
    "%2E%2E",
]


def test_an_unknown_id_is_a_json_404(client, content):
    for record_id in UNKNOWN_IDS:
        for name in ["programmes", "organisations", "regions"]:
            with nothing_changes():
                response = client.get(f"/api/v1/{name}/{record_id}/")
            assert_json_error(response, 404)


UNKNOWN_COUNTRIES = ["zz", "GH", "g%00", "..", "%2E%2E", "ghh", "g", "%C4%9Fh", "gh%00"]


def test_an_unknown_country_is_a_json_404(client, content):
    for code in UNKNOWN_COUNTRIES:
        with nothing_changes():
            response = client.get(f"/api/v1/countries/{code}/")
        assert_json_error(response, 404)


@fuzz
@given(name=st.sampled_from(API_LISTS), query=queries)
def test_api_lists_answer_any_query_in_json(client, content, name, query):
    with nothing_changes():
        response = client.get(f"/api/v1/{name}/", query)

    assert response.status_code in (200, 400, 404)
    assert response["Content-Type"] == "application/json"


@fuzz
@given(
    name=st.sampled_from(["programmes", "organisations", "regions", "countries"]),
    record_id=st.integers().map(str) | st.text(min_size=1, max_size=40),
)
def test_api_records_answer_any_id_in_json(client, content, name, record_id):
    with nothing_changes():
        response = client.get(f"/api/v1/{name}/{quote(record_id, safe='')}/")

    assert response.status_code in (200, 404)
    assert response["Content-Type"] == "application/json"


# --- The admin ----------------------------------------------------------------

VIEW = [
    "view_programme",
    "view_organisation",
    "view_region",
    "view_homepage",
    "view_participation",
    "view_source",
]
CHANGE = [
    *VIEW,
    *(f"change_{name}" for name in ["programme", "organisation", "region"]),
    "change_homepage",
    *(
        f"{action}_{name}"
        for action in ("add", "change", "delete")
        for name in ("participation", "source")
    ),
]


def staff_client(username, codenames, is_staff=True):
    user = User.objects.create_user(username, password=PASSWORD, is_staff=is_staff)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="programmes", codename__in=codenames
        )
    )
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def viewer(db):
    """Staff who may only read the content in the admin."""
    return staff_client("viewer", VIEW)


@pytest.fixture
def editor(db):
    """Staff who may change the content, but not add, delete or publish records:
    its text only (programmes/editing/roles_admin.py; the roles:
    tests/test_roles.py)."""
    # Hand-picked, not the Editors group: the tests probe what a form refuses
    # to someone holding change without add, delete or publish.
    return staff_client("editor", CHANGE)


def form_errors(response):
    """The errors of an admin form's answer, for assertion messages."""
    if response.context is None or "adminform" not in response.context:
        return None
    errors = [response.context["adminform"].form.errors]
    for inline in response.context["inline_admin_formsets"]:
        errors += [inline.formset.errors, inline.formset.non_form_errors()]
    return errors


def admin_url(obj, action="change"):
    name = f"admin:programmes_{obj._meta.model_name}_{action}"
    return reverse(name, args=[obj.pk] if action != "add" else [])


def admin_form(client, obj):
    """The change form of `obj` as a browser would submit it unchanged."""
    response = client.get(admin_url(obj))
    assert response.status_code == 200
    return form_data(response, f"{obj._meta.model_name}_form")


def record(model_name):
    """The record each admin form test works on."""
    return {
        "programme": lambda: Programme.objects.get(acronym="AIRCOP"),
        "organisation": lambda: Organisation.objects.get(slug_en="unodc"),
        "region": lambda: Region.objects.get(slug_en="caribbean"),
        "homepage": HomePage.load,
    }[model_name]()


def test_an_unchanged_form_posted_back_saves(admin_client, content):
    # The other admin tests start from these forms: they must be complete.
    for model_name in ["programme", "organisation", "region", "homepage"]:
        obj = record(model_name)
        response = admin_client.post(admin_url(obj), admin_form(admin_client, obj))
        assert response.status_code == 302, (model_name, form_errors(response))


MEGABYTE = 1_000_000

OVERSIZED = [
    pytest.param("programme", {"name_fr": "N" * 251}, id="name-251"),
    pytest.param("programme", {"acronym": "A" * 31}, id="acronym-31"),
    pytest.param("programme", {"slug_en": "s" * 101}, id="slug-101"),
    pytest.param("programme", {"summary_en": "S" * 401}, id="summary-401"),
    pytest.param(
        "programme", {"website_fr": f"https://{'a' * 250}.example/"}, id="url-262"
    ),
    pytest.param("programme", {"display_order": "9" * 20}, id="order-overflow"),
    pytest.param(
        "programme",
        {"description_fr": "D" * MEGABYTE, "name_fr": ""},
        id="description-1MB-with-empty-name",
    ),
    pytest.param(
        "programme", {"participations-0-note_fr": "n" * 301}, id="inline-note-301"
    ),
    pytest.param(
        "programme", {"sources-0-title_fr": "t" * 301}, id="inline-source-title-301"
    ),
    pytest.param(
        "programme",
        {"sources-0-url": "https://example.org/" + "a" * 500},
        id="inline-source-url-520",
    ),
    pytest.param(
        "programme", {"sources-INITIAL_FORMS": "abc"}, id="formset-count-not-a-number"
    ),
    pytest.param("organisation", {"name_en": "N" * 251}, id="organisation-name-251"),
    pytest.param("organisation", {"acronym_fr": "A" * 31}, id="organisation-acronym"),
    pytest.param("region", {"name_fr": "N" * 101}, id="region-name-101"),
    pytest.param("region", {"countries": ["GH"] * 500 + ["ZZ"]}, id="region-countries"),
    pytest.param("homepage", {"title_fr": "T" * 201}, id="home-title-201"),
    pytest.param("homepage", {"summary_en": "S" * 301}, id="home-summary-301"),
]


@pytest.mark.parametrize(("model_name", "values"), OVERSIZED)
def test_oversized_fields_are_form_errors(admin_client, content, model_name, values):
    obj = record(model_name)
    data = admin_form(admin_client, obj) | values
    with nothing_changes():
        response = admin_client.post(admin_url(obj), data)

    assert has_form_errors(response)


def test_a_body_over_the_upload_limit_is_a_400(admin_client, content):
    obj = record("programme")
    data = admin_form(admin_client, obj) | {"description_fr": "D" * (3 * MEGABYTE)}
    with nothing_changes():
        response = admin_client.post(admin_url(obj), data)

    # DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB by default).
    assert response.status_code == 400


NUL_FIELDS = {
    "programme": [
        "name_fr",
        "name_en",
        "acronym",
        "slug_fr",
        "summary_en",
        "description_fr",
        "facts_note_en",
        "website_fr",
        "stage",
        "beneficiary_countries",
        "beneficiary_regions",
        "participations-0-organisation",
        "participations-0-role",
        "participations-0-note_en",
        "participations-0-id",
        "sources-0-title_fr",
        "sources-0-url",
        "sources-0-checked_on",
        "sources-0-language",
    ],
    "organisation": ["name_fr", "acronym_en", "slug_en", "kind", "description_fr"],
    "region": ["name_en", "slug_fr", "display_order", "countries"],
    "homepage": ["title_fr", "heading_en", "introduction_fr", "summary_en"],
}


@pytest.mark.parametrize("model_name", NUL_FIELDS)
def test_a_nul_character_is_a_form_error(admin_client, content, model_name):
    # Django's form fields refuse NUL; without that, PostgreSQL would answer
    # the INSERT with an error (a 500) where SQLite stores it.
    obj = record(model_name)
    form = admin_form(admin_client, obj)
    for field in NUL_FIELDS[model_name]:
        value = form.get(field) or "1"
        if isinstance(value, list):  # a multiple select
            value = [*value, "GH\x00"]
        else:
            value = f"{value[:1]}\x00{value[1:]}"
        with nothing_changes():
            response = admin_client.post(admin_url(obj), form | {field: value})
        assert has_form_errors(response), field


# The forms are read once per test: each example starts from a copy.
@pytest.fixture
def organisation_form(admin_client, content):
    obj = record("organisation")
    return obj, admin_form(admin_client, obj)


@pytest.fixture
def programme_form(admin_client, content):
    obj = record("programme")
    return obj, admin_form(admin_client, obj)


ORGANISATION_TEXT = [
    "name_fr",
    "name_en",
    "acronym_fr",
    "acronym_en",
    "slug_fr",
    "slug_en",
    "website",
    "description_fr",
    "description_en",
]


@fuzz
@given(
    values=st.dictionaries(st.sampled_from(ORGANISATION_TEXT), st.text(), min_size=1)
)
def test_any_organisation_form_text_with_an_invalid_kind_is_a_form_error(
    admin_client, organisation_form, values
):
    obj, form = organisation_form
    data = form | values | {"kind": "not-a-kind"}
    with nothing_changes():
        response = admin_client.post(admin_url(obj), data)

    assert has_form_errors(response)


PROGRAMME_FIELDS = [
    "name_fr",
    "summary_en",
    "description_fr",
    "beneficiary_countries",
    "participations-0-note_fr",
    "participations-0-organisation",
    "sources-0-url",
    "sources-0-checked_on",
    "participations-INITIAL_FORMS",
]


@fuzz
@given(values=st.dictionaries(st.sampled_from(PROGRAMME_FIELDS), st.text(), min_size=1))
def test_any_programme_form_text_with_an_empty_name_is_a_form_error(
    admin_client, programme_form, values
):
    obj, form = programme_form
    data = form | values | {"slug_fr": "not a slug"}
    with nothing_changes():
        response = admin_client.post(admin_url(obj), data)

    # A broken formset count is refused as a whole (ManagementForm error).
    assert has_form_errors(response)


@fuzz
@given(username=st.text(max_size=200), password=st.text(max_size=200))
def test_the_login_form_answers_any_credentials(client, content, username, password):
    login = reverse("admin:login")
    with nothing_changes():
        response = client.post(login, {"username": username, "password": password})

    # The form again with its error, or the lockout page after several tries.
    assert response.status_code in (200, 429)


ADMIN_QUERIES = {
    "search-nul": ("programme", {"q": "\x00"}),
    "search-wildcards": ("programme", {"q": "%_\\" * 1_000}),
    "choice-filter-nul": ("programme", {"stage__exact": "\x00"}),
    "bool-filter": ("programme", {"status__exact": "maybe"}),
    "id-filter-overflow": (
        "programme",
        {"beneficiary_regions__id__exact": "99999999999999999999"},
    ),
    "id-nul": ("programme", {"beneficiary_regions__id__exact": "\x00"}),
    "order-nul": ("programme", {"o": "\x00"}),
    "order-out-of-range": ("programme", {"o": "99.-99"}),
    "page-negative": ("programme", {"p": "-1"}),
    "page-overflow": ("programme", {"p": "99999999999999999999"}),
    "lookup-not-allowed": ("programme", {"id__gt": "0"}),
    "regex-lookup": ("programme", {"name_fr__regex": "(a+)+$"}),
    "to-field-nul": ("programme", {"_to_field": "\x00"}),
    "kept-filters": ("programme", {"_changelist_filters": "\x00"}),
    "kind-nul": ("organisation", {"kind__exact": "\x00"}),
    "organisation-search-nul": ("organisation", {"q": "a\x00b"}),
    "region-search-nul": ("region", {"q": "\x00", "o": "1"}),
    "homepage-search-nul": ("homepage", {"q": "\x00"}),
}


def test_admin_lists_answer_forged_filters_below_500(admin_client, content):
    for case, (model_name, query) in ADMIN_QUERIES.items():
        url = reverse(f"admin:programmes_{model_name}_changelist")
        with nothing_changes():
            response = admin_client.get(url, query)
        # The list, its "?e=1" redirect for a bad lookup, or 400 for a forged one.
        assert response.status_code in (200, 302, 400), case
        assert is_local_redirect(response), case


AUTOCOMPLETE = {"app_label": "programmes", "model_name": "participation"}
AUTOCOMPLETE_QUERIES = {
    "nul": AUTOCOMPLETE | {"field_name": "organisation", "term": "\x00"},
    "long": AUTOCOMPLETE | {"field_name": "organisation", "term": "%" * 5_000},
    "regions-nul": {"app_label": "programmes", "model_name": "programme"}
    | {"field_name": "beneficiary_regions", "term": "a\x00"},
    "auth-groups-nul": {"app_label": "auth", "model_name": "user"}
    | {"field_name": "groups", "term": "\x00"},
    "auth-users-nul": {"app_label": "admin", "model_name": "logentry"}
    | {"field_name": "user", "term": "\x00"},
    "not-a-relation": {
        "app_label": "auth",
        "model_name": "user",
        "field_name": "password",
    },
    "garbage": {"app_label": "\x00", "model_name": "../", "field_name": "x"},
    "page": AUTOCOMPLETE | {"field_name": "organisation", "page": "-1"},
}


def test_admin_autocomplete_answers_forged_queries_below_500(admin_client, content):
    for case, query in AUTOCOMPLETE_QUERIES.items():
        with nothing_changes():
            response = admin_client.get(reverse("admin:autocomplete"), query)
        assert response.status_code in (200, 403, 404), case


FORGED_ADMIN_PATHS = [
    "programmes/programme/%00/change/",
    "programmes/programme/99999999999999999999999/change/",
    "programmes/programme/-1/change/",
    "programmes/programme/1%20OR%201=1/change/",
    "programmes/programme/%00/delete/",
    "programmes/programme/abc/history/",
    "programmes/region/" + "9" * 5_000 + "/change/",
    "r/%00/%00/",
    "r/99999999999999999999999/1/",
    "programmes/%00/",
    "%FF/",
]


def test_admin_addresses_with_forged_ids_answer_below_500(admin_client, content):
    for path in FORGED_ADMIN_PATHS:
        with nothing_changes():
            response = admin_client.get(reverse("admin:index") + path)
        # The admin sends an unknown object back to its index with a message.
        assert response.status_code in (302, 404), path[:60]
        assert is_local_redirect(response), path[:60]


@pytest.mark.parametrize("model_name", ["programme", "organisation", "region"])
def test_view_only_staff_cannot_change_add_or_delete(
    admin_client, viewer, content, model_name
):
    obj = record(model_name)
    data = admin_form(admin_client, obj) | {"name_fr": "Changed by a viewer"}
    with nothing_changes():
        assert viewer.post(admin_url(obj), data).status_code == 403
        assert viewer.post(admin_url(obj, "add"), data).status_code == 403
        response = viewer.post(admin_url(obj, "delete"), {"post": "yes"})
        assert response.status_code == 403


def test_view_only_staff_cannot_change_the_home_page(admin_client, viewer, content):
    obj = record("homepage")
    data = admin_form(admin_client, obj) | {"title_fr": "Changed by a viewer"}
    with nothing_changes():
        assert viewer.post(admin_url(obj), data).status_code == 403
        assert viewer.post(admin_url(obj, "delete"), {"post": "yes"}).status_code == 403


FORGED_FIELDS = {
    "id": "1",
    "pk": "1",
    "created_at": "2000-01-01 00:00:00",
    "updated_at": "2000-01-01 00:00:00",
    "created_at_0": "01/01/2000",
    "is_superuser": "on",
    "loaded_at": "2000-01-01",
}


@pytest.mark.parametrize("model_name", ["programme", "organisation", "region"])
def test_fields_not_on_the_form_are_ignored(editor, content, model_name):
    obj = record(model_name)
    data = admin_form(editor, obj)
    other = type(obj).objects.exclude(pk=obj.pk).first()
    forged = FORGED_FIELDS | {"id": str(other.pk), "pk": str(other.pk)}
    table = obj._meta.db_table
    with nothing_changes(ignore=saved_unchanged(table), new_revisions=True):
        response = editor.post(admin_url(obj), data | forged)

    assert response.status_code == 302  # saved, as it was
    obj.refresh_from_db()
    assert obj.created_at.year != 2000
    assert obj.updated_at.year != 2000


def other_programmes_rows():
    crimjust = Programme.objects.get(acronym="CRIMJUST")
    return crimjust, crimjust.participations.first(), crimjust.sources.first()


@pytest.mark.parametrize(
    "forge",
    [
        "take-over-participation",
        "delete-participation",
        "take-over-source",
        "new-row-for-another-programme",
    ],
)
def test_inline_rows_of_another_programme_cannot_be_changed(editor, content, forge):
    obj = record("programme")
    data = admin_form(editor, obj)
    crimjust, participation, source = other_programmes_rows()
    count = int(data["participations-TOTAL_FORMS"])
    if forge == "take-over-participation":
        data |= {
            "participations-0-id": str(participation.pk),
            "participations-0-note_fr": "x",
        }
    elif forge == "delete-participation":
        data |= {"participations-0-id": str(participation.pk)}
        data["participations-0-DELETE"] = "on"
    elif forge == "take-over-source":
        data |= {"sources-0-id": str(source.pk), "sources-0-title_fr": "Forged"}
    else:
        data |= {
            "participations-TOTAL_FORMS": str(count + 1),
            f"participations-{count}-programme": str(crimjust.pk),
            f"participations-{count}-organisation": str(participation.organisation_id),
            f"participations-{count}-role": "funder",
            f"participations-{count}-display_order": "1",
        }
    # Refused with a form error, or ignored: Django's inline formset only
    # saves the rows of its own programme (a forged id is dropped). Either
    # way the other programme's rows are as they were.
    with nothing_changes(
        ignore=saved_unchanged("programmes_programme"), new_revisions=True
    ):
        response = editor.post(admin_url(obj), data)

    assert has_form_errors(response) or response.status_code == 302


def test_an_editor_cannot_add_or_delete_programmes(editor, content):
    obj = record("programme")
    data = admin_form(editor, obj) | {"slug_fr": "copie", "slug_en": "copy"}
    with nothing_changes():
        assert editor.post(admin_url(obj, "add"), data).status_code == 403
        response = editor.post(admin_url(obj, "delete"), {"post": "yes"})
        assert response.status_code == 403


def test_users_who_are_not_staff_are_sent_to_the_login_page(admin_client, content):
    obj = record("programme")
    data = admin_form(admin_client, obj) | {"name_fr": "Changed from outside"}
    member = staff_client("member", [*CHANGE, "add_programme"], is_staff=False)
    login = reverse("admin:login")
    for client in (member, Client()):
        with nothing_changes():
            response = client.post(admin_url(obj), data)
        assert response.status_code == 302
        assert response["Location"].startswith(login)


def test_posts_without_a_valid_csrf_token_are_refused(admin_client, content):
    obj = record("programme")
    data = admin_form(admin_client, obj) | {"name_fr": "Changed by another site"}
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(User.objects.get(username="admin"))
    with nothing_changes():
        assert browser.post(admin_url(obj), data).status_code == 403
        forged = data | {"csrfmiddlewaretoken": "x" * 64}
        assert browser.post(admin_url(obj), forged).status_code == 403
        login = {"username": "admin", "password": "password"}
        assert (
            Client(enforce_csrf_checks=True)
            .post(reverse("admin:login"), login)
            .status_code
            == 403
        )
        assert browser.post("/fr/", {"name": "x"}).status_code == 403


HOSTILE_CODES = [
    "\x00",
    "123\x00456",
    "9" * 10_000,
    "١٢٣٤٥٦",  # Arabic-Indic digits
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "-1",
    "",
]


def test_the_two_step_code_form_refuses_hostile_codes(content):
    staff = staff_client("enrolling", CHANGE)
    url = reverse("admin:two_factor")
    assert staff.get(url).status_code == 200
    for code in HOSTILE_CODES:
        with nothing_changes():
            response = staff.post(url, {"code": code})
        assert response.status_code == 200, code[:20]
        assert response.context["form"].errors, code[:20]
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


NEXT_URLS = [
    "https://evil.example",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "https:evil.example",
    "http://testserver@evil.example",
    " //evil.example",
    "\x00//evil.example",
    "//testserver@evil.example",
    "/%0D%0ALocation:https://evil.example",
    "https://evil.example%2F@testserver/",
]


def test_login_and_logout_never_redirect_to_another_site(client, content, settings):
    # A dozen sign-ins in a row from one address: more than it may make.
    settings.ADMIN_LOGIN_ATTEMPTS_PER_MINUTE = 0
    User.objects.create_user("staff", password=PASSWORD, is_staff=True)
    for next_url in NEXT_URLS:
        query = "?" + urlencode({"next": next_url})
        login = reverse("admin:login") + query
        credentials = {"username": "staff", "password": PASSWORD, "next": next_url}
        with nothing_changes():
            assert client.get(login).status_code == 200
            response = client.post(login, credentials)
            assert response.status_code == 302, next_url
            assert is_local_redirect(response), (next_url, response["Location"])
            response = client.post(reverse("admin:logout") + query, {"next": next_url})
        assert response.status_code in (200, 302), next_url
        assert is_local_redirect(response), (next_url, response["Location"])


# --- Markup in stored text ----------------------------------------------------

MARKUP = {
    "name": '<script>alert("name")</script>',
    "summary": "<img src=x onerror=alert(1)>",
    # With some text: the sanitiser removes the markup (tests/test_rich_text.py),
    # and a published programme needs a description.
    "description": "</script><script>alert(2)</script>\n\n<svg onload=alert(3)>\n\n"
    "Description.",
    "facts_note": '"><iframe src=javascript:alert(4)>',
}
# A spreadsheet would run it (CSV injection).
FORMULA = "=1+2"
RAW_MARKUP = [b"<script>alert", b"<img src=x", b"<svg onload", b"<iframe src"]


def programme_with_markup(how, admin_client, tmp_path):
    """AIRCOP with markup in its text, saved in the admin or loaded from a file."""
    obj = record("programme")
    values = {
        f"{field}_{code}": value
        for field, value in MARKUP.items()
        for code in ("fr", "en")
    }
    values["acronym"] = FORMULA
    if how == "admin":
        data = admin_form(admin_client, obj) | values
        assert admin_client.post(admin_url(obj), data).status_code == 302
    else:
        lines = "\n".join(
            f"{name} = {quote_toml(value)}" for name, value in values.items()
        )
        path = tmp_path / "markup.toml"
        path.write_text(
            '[[programmes]]\nkey = "markup"\nslug_fr = "balisage"\nslug_en = "markup"\n'
            f'status = "published"\n{lines}\n'
        )
        call_command("load_content", "--file", str(path), verbosity=0)
        obj = Programme.objects.get(slug_en="markup")
    return obj


def quote_toml(text):
    """A TOML basic string (the JSON escapes are TOML's too)."""
    return json.dumps(text, ensure_ascii=False)


@pytest.mark.parametrize("how", ["admin", "load_content"])
def test_markup_in_stored_text_is_escaped_on_every_page(
    admin_client, client, content, tmp_path, how
):
    programme = programme_with_markup(how, admin_client, tmp_path)
    detail = f"/en/programmes/{programme.slug_en}/"
    pages = [
        (client, f"/fr/programmes/{programme.slug_fr}/"),
        (client, detail),
        (client, "/fr/"),
        (client, "/en/programmes/"),
        (client, "/en/search/?q=alert"),
        (client, "/fr/recherche/?q=script"),
        (client, "/en/feed/"),
        (client, "/fr/flux/"),
        (client, "/sitemap.xml"),
        (admin_client, reverse("admin:programmes_programme_changelist")),
        (admin_client, admin_url(programme)),
    ]
    for browser, path in pages:
        response = browser.get(path)
        assert response.status_code == 200, path
        for raw in RAW_MARKUP:
            assert raw not in response.content, (path, raw)
    # The open data gives the text as it is, as data that no browser renders.
    for path in ["/api/v1/programmes/", "/api/v1/programmes.csv"]:
        response = client.get(path)
        assert response["Content-Type"].startswith(("application/json", "text/csv"))
        assert response["X-Content-Type-Options"] == "nosniff"
    # ...but no cell of the CSV download starts a formula.
    csv_text = client.get("/api/v1/programmes.csv").getvalue().decode("utf-8-sig")
    assert f",{FORMULA}," not in csv_text
    assert f",'{FORMULA}," in csv_text
    page = client.get(detail).content
    assert b"&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;" in page
    # In the JSON-LD block, "</script>" would end the element: it is escaped.
    assert b"\\u003C/script\\u003E" in page


# --- Uploads ------------------------------------------------------------------
# Only the admin's image fields (programmes and organisations) take a file.
# test_file_fields_refuse_hostile_uploads posts every case of tests/hostile.py's
# UPLOADS to every file input it finds: a file with `refused` must be a form
# error on that field, with nothing changed and no file stored; any other must
# be stored inside MEDIA_ROOT under a harmless name. Add new hostile files to
# UPLOADS. tests/test_images.py tests each check on its own.


def media_is_empty():
    media = settings.MEDIA_ROOT
    return not media.exists() or not any(media.rglob("*"))


UPLOAD_IDS = [upload.name for upload in UPLOADS]


@pytest.mark.parametrize("upload", UPLOADS, ids=UPLOAD_IDS)
def test_public_pages_and_the_api_accept_no_upload(client, content, upload):
    for path in [*PAGES, *READ_ONLY_EXTRAS, *API_URLS]:
        with nothing_changes():
            response = client.post(
                path, {"file": upload.file(), "image": upload.file()}
            )
        assert response.status_code == 405, path
    assert media_is_empty()


@pytest.mark.parametrize("upload", UPLOADS, ids=UPLOAD_IDS)
def test_admin_forms_ignore_files_they_do_not_ask_for(admin_client, content, upload):
    for model_name in ["programme", "organisation", "region", "homepage"]:
        obj = record(model_name)
        data = admin_form(admin_client, obj)
        # An invalid form, so that nothing may be saved.
        first_text = next(name for name in data if name.endswith("_fr"))
        data |= {first_text: "\x00", "image": upload.file(), "file": upload.file()}
        with nothing_changes():
            response = admin_client.post(admin_url(obj), data)
        assert has_form_errors(response), model_name
    assert media_is_empty()


def test_the_hostile_uploads_are_what_they_claim():
    by_name = {upload.name: upload for upload in UPLOADS}
    with pytest.raises(Image.DecompressionBombError):
        Image.open(by_name["decompression-bomb"].file())
    with pytest.raises(OSError):
        Image.open(by_name["truncated-jpeg"].file()).load()
    assert by_name["polyglot-gif-js"].make().startswith(b"GIF89a/*")
    assert b"<script>" in by_name["svg-with-script"].make()


def file_inputs(admin_client):
    """(record, field name) for each file input of the admin's change forms."""
    for model_name in ["programme", "organisation", "region", "homepage"]:
        obj = record(model_name)
        response = admin_client.get(admin_url(obj))
        tree = html5lib.parse(response.content.decode(), namespaceHTMLElements=False)
        for element in tree.iterfind(".//input[@type='file']"):
            if "__prefix__" not in element.get("name"):
                yield obj, element.get("name")


def media_files():
    media = settings.MEDIA_ROOT
    return sorted(media.rglob("*")) if media.exists() else []


# A valid image needs its text alternative in every language to be saved.
ALT_TEXT = {"image_alt_fr": "Un port.", "image_alt_en": "A harbour."}


def test_file_fields_refuse_hostile_uploads(admin_client, content):
    fields = list(file_inputs(admin_client))
    assert {(type(obj).__name__, name) for obj, name in fields} == {
        ("Programme", "image"),
        ("Organisation", "image"),
    }
    for upload in UPLOADS:
        for obj, name in fields:
            data = admin_form(admin_client, obj) | ALT_TEXT | {name: upload.file()}
            if upload.refused:
                before = media_files()
                with nothing_changes():
                    response = admin_client.post(admin_url(obj), data)
                assert has_form_errors(response), (upload.name, name)
                # A message on the field itself, from the image checks
                # (programmes/editing/images/), which say what to upload instead.
                errors = response.context["adminform"].form.errors.as_data()[name]
                assert errors[0].code.startswith("image_"), (upload.name, errors)
                assert media_files() == before, upload.name
            else:
                response = admin_client.post(admin_url(obj), data)
                assert response.status_code == 302, (upload.name, name)
                obj.refresh_from_db()
                assert obj.image.name.startswith(f"images/{obj._meta.model_name}/")
    media = settings.MEDIA_ROOT.resolve()
    for stored in media.rglob("*") if media.exists() else []:
        assert stored.resolve().is_relative_to(media)
        assert ".." not in stored.name and len(stored.name) <= 255


# --- Content files (load_content) ---------------------------------------------
# XLIFF import (XML entities, broken markup, wrong language) comes with the
# translation issue; add its hostile files here then.

REGION = (
    '[[regions]]\nkey = "fine"\nname_fr = "F"\nname_en = "F"\n'
    'slug_fr = "fine"\nslug_en = "fine"\n'
)
PROGRAMME = (
    '[[programmes]]\nkey = "p"\nname_fr = "P"\nname_en = "P"\nslug_fr = "p"\n'
    'slug_en = "p"\nsummary_fr = "s"\nsummary_en = "s"\ndescription_fr = "d"\n'
    'description_en = "d"\n'
)
# A key fact whose number the examples replace (TOML: nan, 1e400...).
KEY_FACT = (
    '[[programmes.sources]]\ntitle_en = "S"\nref = "S1"\n'
    'url = "https://example.org/"\n[[programmes.key_facts]]\nlabel_en = "B"\n'
    'kind = "money"\nnumber = {number}\ncurrency = "EUR"\nas_of = 2026-11-27\n'
    'source = "S1"\n'
)


def region_with(line):
    return REGION.replace('name_fr = "F"\n', line + "\n")


HOSTILE_FILES = [
    pytest.param("a = " + "[" * 5_000 + "]" * 5_000, "too deeply", id="nested-arrays"),
    pytest.param(
        "a = " + "{b = " * 2_000 + "1" + "}" * 2_000, "too deeply", id="nested-tables"
    ),
    pytest.param("a" + ".a" * 5_000 + " = 1", "unknown tables: a", id="dotted-keys"),
    pytest.param(
        region_with(f'name_fr = "{"x" * MEGABYTE}"'),
        "region:fine: name_fr",
        id="huge-string",
    ),
    pytest.param(region_with('name_fr = "a\\u0000b"'), "NUL", id="nul-escape"),
    pytest.param(region_with('name_fr = "a\x00b"'), "not valid TOML", id="nul-raw"),
    pytest.param(region_with("name_fr = 12"), "must be text", id="number-as-name"),
    pytest.param(region_with("name_fr = [1, 2]"), "must be text", id="array-as-name"),
    pytest.param(region_with("name_fr = 10:00:00"), "must be text", id="time-as-name"),
    pytest.param(
        region_with("display_order = true"), "whole number", id="bool-as-number"
    ),
    pytest.param(region_with('countries = "GH"'), "array of country", id="countries"),
    pytest.param("[regions]\nkey = 1", "array of tables", id="table-for-array"),
    pytest.param("regions = [1, 2]", "must be a table", id="numbers-for-tables"),
    pytest.param("home = 5", "home must be a table", id="number-for-table"),
    pytest.param('programmes = "abc"', "array of tables", id="text-for-tables"),
    pytest.param(region_with('colour = "red"'), "no field 'colour'", id="unknown-key"),
    pytest.param(region_with("id = 1"), "id cannot be set", id="forged-id"),
    pytest.param(
        region_with("created_at = 2000-01-01T00:00:00"),
        "created_at cannot be set",
        id="forged-created-at",
    ),
    pytest.param(region_with("programmes = [1]"), "cannot be set", id="reverse-m2m"),
    pytest.param(
        PROGRAMME + 'beneficiary_regions = ["fine"]',
        "cannot be set",
        id="direct-m2m",
    ),
    pytest.param(
        REGION.replace('slug_fr = "fine"', 'slug_fr = "../../etc"'),
        "region:fine: slug_fr",
        id="traversal-slug",
    ),
    pytest.param(REGION + 'name_fr = "G"', "Cannot overwrite", id="duplicate-toml-key"),
    pytest.param(REGION + REGION, "more than once", id="duplicate-record-key"),
    pytest.param('[[regions]]\nkey = 5\nname_fr = "F"', "must be text", id="key-type"),
    pytest.param('[[regions]]\nkey = ""', "is empty", id="empty-key"),
    pytest.param(
        '[[regions]]\nkey = "a\\u0000"\nname_fr = "F"', "NUL", id="nul-in-key"
    ),
    pytest.param(PROGRAMME + 'participations = "x"', "array of tables", id="rows"),
    pytest.param(PROGRAMME + 'regions = "fine"', "array of region", id="regions"),
    pytest.param(PROGRAMME + "regions = [1]", "must be text", id="region-number"),
    pytest.param(
        PROGRAMME + 'regions = ["ghost"]', "region:ghost, which the file", id="ghost"
    ),
    pytest.param(
        PROGRAMME
        + '[[programmes.participations]]\norganisation = ["x"]\nrole = "lead"',
        "must be text",
        id="organisation-array",
    ),
    pytest.param(
        PROGRAMME + 'beneficiary_countries = ["ZZ", "../"]',
        "beneficiary_countries",
        id="bad-countries",
    ),
    pytest.param(
        PROGRAMME + "display_order = " + "9" * 30, "display_order", id="huge-int"
    ),
    pytest.param(PROGRAMME + "display_order = -1", "display_order", id="negative"),
    pytest.param(PROGRAMME + KEY_FACT.format(number="nan"), "number", id="nan"),
    pytest.param(PROGRAMME + KEY_FACT.format(number="1e400"), "number", id="infinity"),
    pytest.param(PROGRAMME + 'image_is_decorative = "yes"', "true or false", id="yes"),
    pytest.param(
        PROGRAMME + 'website_en = "javascript:alert(1)"',
        "website_en",
        id="javascript-url",
    ),
    pytest.param(
        PROGRAMME
        + '[[programmes.sources]]\ntitle_en = "t"\nchecked_on = 2024-01-01T10:00:00',
        "checked_on must be a date",
        id="datetime-for-date",
    ),
    pytest.param(b'a = "\xff\xfe"', "not UTF-8", id="invalid-utf8"),
    pytest.param("\ufeff" + REGION, "not valid TOML", id="byte-order-mark"),
]


def load(*args):
    call_command("load_content", *args, verbosity=0)


@pytest.mark.parametrize(("text", "message"), HOSTILE_FILES)
def test_a_hostile_content_file_is_refused_and_writes_nothing(
    content, tmp_path, text, message
):
    path = tmp_path / "content.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    with nothing_changes(), pytest.raises(CommandError) as error:
        load("--file", str(path))

    assert message in str(error.value)
    assert "Nothing was written" in str(error.value)


@pytest.mark.parametrize(
    "name",
    ["/", ".", "/dev/zero", "/dev/null", "", "a\x00b", "missing.toml", "../" * 20],
)
def test_a_content_file_path_that_is_not_a_file_is_refused(
    content, tmp_path, monkeypatch, name
):
    monkeypatch.chdir(tmp_path)
    with nothing_changes(), pytest.raises(CommandError, match="No content file at"):
        load("--file", name)


@pytest.mark.parametrize("name", ["/etc/passwd", "../../../../../../etc/passwd"])
def test_a_file_outside_the_content_is_refused_without_showing_it(
    content, tmp_path, monkeypatch, name
):
    monkeypatch.chdir(tmp_path)
    with nothing_changes(), pytest.raises(CommandError) as error:
        load("--file", name)

    assert "not valid TOML" in str(error.value)
    assert "root:" not in str(error.value)


toml_strings = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\x7f"), max_size=50
)
toml_values = st.recursive(
    st.one_of(
        toml_strings.map(quote_toml),
        st.integers().map(str),
        st.floats().map(repr),
        st.booleans().map(lambda value: "true" if value else "false"),
        st.dates().map(str),
        st.sampled_from(['"GH"', '"caribbean"', '"https://example.org/"']),
    ),
    lambda children: st.lists(children, max_size=3).map(
        lambda items: "[" + ", ".join(items) + "]"
    ),
    max_leaves=5,
)
record_fields = st.sampled_from(
    [
        "key",
        "name_fr",
        "name_en",
        "slug_fr",
        "slug_en",
        "summary_fr",
        "description_en",
        "countries",
        "display_order",
        "stage",
        "status",
        "regions",
        "id",
        "unknown",
    ]
)


# A valid record of each table, whose fields the examples replace or add to.
BILINGUAL = {"slug_fr": '"fuzz"', "slug_en": '"fuzz"'}
VALID_RECORDS = {
    "regions": BILINGUAL | {"name_fr": '"R"', "name_en": '"R"'},
    "organisations": BILINGUAL | {"name_fr": '"O"', "kind": '"ngo"'},
    "programmes": BILINGUAL
    | {"name_fr": '"P"', "name_en": '"P"', "summary_fr": '"S"', "summary_en": '"S"'}
    | {"description_fr": '"D"', "description_en": '"D"'},
}


@fuzz
@given(
    table=st.sampled_from(list(VALID_RECORDS)),
    fields=st.dictionaries(record_fields, toml_values, max_size=4),
)
def test_any_content_record_loads_or_is_refused_cleanly(
    content, tmp_path, table, fields
):
    record = {"key": '"fuzz"'} | VALID_RECORDS[table] | fields
    body = "\n".join(f"{name} = {value}" for name, value in record.items())
    path = tmp_path / "fuzz.toml"
    path.write_text(f"[[{table}]]\n{body}\n")
    with nothing_changes():
        try:
            load("--file", str(path), "--dry-run")
        except CommandError as error:
            assert "Nothing was written" in str(error)
