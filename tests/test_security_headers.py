"""Security headers, cookies, TRACE and the admin's address (issue 7)."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from programmes.editing.roles import EDITORS

from .helpers import staff_member
from .pages import PUBLIC_PAGES

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent

# Nothing by default; then only what the pages and the admin use, from the
# site itself (the admin's autocomplete asks the server with XMLHttpRequest).
EXPECTED_POLICY = {
    "default-src": {"'none'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'"},
    "connect-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'none'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}
DENIED_FEATURES = {"camera", "microphone", "geolocation", "payment", "usb"}

# Everything anonymous visitors and machines read, besides the pages.
OTHER_PUBLIC_ADDRESSES = [
    "/",
    "/robots.txt",
    "/sitemap.xml",
    "/fr/flux/",
    "/en/feed/",
    "/api/v1/",
    "/api/v1/openapi.json",
    "/api/v1/programmes/",
    "/api/v1/organisations/",
    "/api/v1/regions/",
    "/api/v1/countries/gh/",
    "/api/v1/programmes.csv",
    "/api/v1/no-such-thing/",
]
PUBLIC_ADDRESSES = [path for _name, path in PUBLIC_PAGES] + OTHER_PUBLIC_ADDRESSES


def policy(response):
    directives = (d.split() for d in response["Content-Security-Policy"].split(";"))
    return {name: set(sources) for name, *sources in directives}


def permissions(response):
    return dict(
        item.strip().split("=", 1) for item in response["Permissions-Policy"].split(",")
    )


def assert_security_headers(response):
    assert policy(response) == EXPECTED_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    # Other sites' pages may not embed what the site answers (CORS reads of
    # the API are not concerned).
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    # Every feature named is denied outright (feature=()), these among them.
    assert set(permissions(response).values()) == {"()"}
    assert DENIED_FEATURES.issubset(permissions(response))


@pytest.mark.parametrize("path", PUBLIC_ADDRESSES)
def test_public_responses_carry_the_security_headers_and_no_cookie(
    client, content, path
):
    response = client.get(path)

    assert response.status_code in {200, 302, 404}, path
    assert_security_headers(response)
    # No cookie, and nothing that tells a cache to keep a copy per cookie...
    assert response.cookies == {}
    assert "Set-Cookie" not in response
    if path != "/":
        assert "cookie" not in response.get("Vary", "").lower()


def test_only_the_language_redirect_varies_on_cookie(client, db):
    # ...but "/", whose redirect Django's LocaleMiddleware chooses from the
    # django_language cookie (which this site never sets) as well as from
    # Accept-Language: a cache must not serve one visitor's choice to another.
    response = client.get("/")

    assert response.status_code == 302
    assert response["Vary"] == "Accept-Language, Cookie"


def test_public_pages_set_no_cookie_for_a_visitor_with_a_language_preference(
    client, content
):
    response = client.get("/", headers={"accept-language": "en"})

    assert response.status_code == 302 and response["Location"] == "/en/"
    assert response.cookies == {}


def test_admin_pages_have_the_same_policy_and_stay_out_of_search_engines(
    admin_client,
):
    for path in ["/admin/login/", "/admin/", "/admin/programmes/programme/"]:
        response = admin_client.get(path)

        assert_security_headers(response)
        assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_public_pages_are_not_marked_noindex_by_the_admin_rule(client, content):
    assert "X-Robots-Tag" not in client.get("/fr/")


INLINE_CODE = re.compile(
    r"<style\b"  # a style element
    r"|\sstyle\s*="  # a style attribute
    r"|\son[a-z]+\s*="  # an event handler attribute
    r"|javascript:"
    r"|<script\b(?![^>]*\bsrc=)",  # a script without src
    re.IGNORECASE,
)


def test_no_template_has_inline_script_or_style():
    # The browser tests visit the pages; this covers the ones they cannot reach
    # (503, CSRF failure, lockout...). JSON-LD is written by
    # programmes/public/metadata.py.
    templates = [
        path
        for folder in [BASE_DIR / "templates", *BASE_DIR.glob("*/templates")]
        for path in folder.rglob("*.html")
    ]
    found = {
        str(path.relative_to(BASE_DIR)): INLINE_CODE.findall(path.read_text())
        for path in templates
    }

    assert len(templates) > 20
    assert {path: hits for path, hits in found.items() if hits} == {}


# --- TRACE -------------------------------------------------------------------


@pytest.mark.parametrize("method", ["TRACE", "TRACK"])
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/fr/",
        "/en/programmes/aircop/",
        "/robots.txt",
        "/sitemap.xml",
        "/api/v1/programmes/",
        "/admin/",
        "/admin/login/",
        "/static/css/site.css",
        "/no-such-address/",
    ],
)
def test_trace_is_refused_everywhere(client, content, method, path):
    response = client.generic(method, path, headers={"x-secret": "echo-me"})

    assert response.status_code == 405
    assert "TRACE" not in response["Allow"] and "GET" in response["Allow"]
    assert b"echo-me" not in response.content
    assert_security_headers(response)


# --- Staff cookies -----------------------------------------------------------


def cookie_flags(cookie):
    return {
        "secure": bool(cookie["secure"]),
        "httponly": bool(cookie["httponly"]),
        "samesite": cookie["samesite"],
    }


@pytest.mark.parametrize("https", [True, False], ids=["https", "http"])
def test_staff_cookies_are_secure_httponly_and_samesite_lax(client, settings, https):
    # What DJANGO_HTTPS sets (tests/test_settings.py checks that it does).
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = https
    staff_member(EDITORS, "editor", password="correct-horse-battery")

    login_page = client.get("/admin/login/", secure=https)
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": "correct-horse-battery"},
        secure=https,
    )

    assert response.status_code == 302 and response["Location"] == "/admin/"
    expected = {"secure": https, "httponly": True, "samesite": "Lax"}
    assert cookie_flags(login_page.cookies["csrftoken"]) == expected
    assert cookie_flags(response.cookies["sessionid"]) == expected


# --- Settings as a fresh process computes them -------------------------------


def run_django(code, tmp_path, **environment):
    """Runs `code` after django.setup() in a fresh process; returns its JSON."""
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SECRET_KEY": "k" * 50,
        "DJANGO_DATA_DIR": str(tmp_path),
        **environment,
    }
    script = (
        "import json, django\n"
        "from django.conf import settings\n"
        "from django.test import Client\n"
        "django.setup()\n" + code
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**env, "DJANGO_SETTINGS_MODULE": "interpol_drugs.settings"},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_HTTPS": "1",
    "DJANGO_ALLOWED_HOSTS": "example.org",
}


def test_https_turns_on_every_transport_setting(tmp_path):
    values = run_django(
        "print(json.dumps({name: getattr(settings, name) for name in ["
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT',"
        "'SECURE_PROXY_SSL_HEADER', 'SECURE_HSTS_SECONDS',"
        "'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD',"
        "'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_HTTPONLY',"
        "'SESSION_COOKIE_SAMESITE', 'CSRF_COOKIE_SAMESITE']}))",
        tmp_path,
        **PRODUCTION,
    )

    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SAMESITE": "Lax",
    }


GET_ROBOTS = """
client = Client()
http = client.get("/robots.txt", headers={"host": "example.org"})
https = client.get(
    "/robots.txt", headers={"host": "example.org", "x-forwarded-proto": "https"}
)
print(json.dumps({
    "http": [http.status_code, http.get("Location")],
    "https": [https.status_code, dict(https.headers)],
}))
"""


def test_production_redirects_to_https_and_sends_hsts(tmp_path):
    answers = run_django(GET_ROBOTS, tmp_path, **PRODUCTION)

    assert answers["http"] == [301, "https://example.org/robots.txt"]
    status, headers = answers["https"]
    assert status == 200
    assert (
        headers["Strict-Transport-Security"]
        == "max-age=31536000; includeSubDomains; preload"
    )
    assert "Set-Cookie" not in headers


# --- DJANGO_ADMIN_PATH -------------------------------------------------------

ADMIN_ADDRESSES = """
from django.urls import Resolver404, resolve, reverse
def resolves(path):
    try:
        resolve(path)
        return True
    except Resolver404:
        return False
client = Client(headers={"host": "localhost"})
print(json.dumps({
    "setting": settings.ADMIN_PATH,
    "index": reverse("admin:index"),
    "old_address_resolves": resolves("/admin/login/"),
    "robots": client.get("/robots.txt").content.decode(),
    "login_robots_tag": client.get(reverse("admin:login"))["X-Robots-Tag"],
}))
"""


def test_the_admin_moves_to_a_custom_path_that_robots_txt_keeps_quiet(tmp_path):
    answers = run_django(
        ADMIN_ADDRESSES, tmp_path, DJANGO_DEBUG="1", DJANGO_ADMIN_PATH="/backstage-7"
    )

    assert answers["setting"] == "backstage-7/"
    assert answers["index"] == "/backstage-7/"
    assert answers["old_address_resolves"] is False
    # Naming the custom address in a public file would publish it.
    assert "backstage" not in answers["robots"]
    assert "Disallow" not in answers["robots"]
    assert "Sitemap: http://localhost/sitemap.xml" in answers["robots"]
    assert answers["login_robots_tag"] == "noindex, nofollow"


def test_the_default_admin_path_is_disallowed_in_robots_txt(tmp_path):
    answers = run_django(ADMIN_ADDRESSES, tmp_path, DJANGO_DEBUG="1")

    assert answers["index"] == "/admin/"
    assert "Disallow: /admin/" in answers["robots"].splitlines()


def test_an_empty_admin_path_is_refused(tmp_path):
    with pytest.raises(subprocess.CalledProcessError) as error:
        run_django("", tmp_path, DJANGO_ADMIN_PATH="/")

    assert "DJANGO_ADMIN_PATH must not be empty" in error.value.stderr
