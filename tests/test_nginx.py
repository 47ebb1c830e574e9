"""deploy/nginx.conf: a real nginx in front of the live test server.

nginx serves static files and uploads from disk and keeps anonymous public
pages for one second; never the admin, POSTs, staff (session or CSRF cookie),
or answers that set a cookie or are private. bench/servers.py renders the
template into a temporary folder, as `make bench` does.
"""

import http.client
import re
import shutil
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.urls import path
from django.utils import translation

from bench import servers

from .factories import make_programme
from .helpers import needs
from .hostile import (
    API_PAGE_CASES,
    BOGUS_HOSTS,
    FILTER_CASES,
    HEADER_NAMES,
    ODD_ACCEPT_LANGUAGES,
    ODD_HEADER_VALUES,
    ODD_PATHS,
    OPEN_REDIRECT_PATHS,
)

# Slow (starts nginx and gunicorn): make test-fast leaves it out.
pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def nginx_installed():
    needs(
        shutil.which("nginx") is not None,
        "nginx is not installed (Debian: apt-get install nginx-light)",
    )


# The micro-cache's validity in deploy/nginx.conf (proxy_cache_valid), and how
# long nginx may keep using a cached page's file once it was replaced
# (open_file_cache_valid).
VALIDITY = 1.0
OPEN_FILE_VALIDITY = 1.0


# --- Answers with chosen headers (ROOT_URLCONF = this module) --------------------

counted = {"requests": 0}
counted_lock = threading.Lock()


def with_headers(cache_control, cookie=False):
    def view(request):
        response = HttpResponse(f"probe {time.monotonic()}")
        if cache_control:
            response["Cache-Control"] = cache_control
        if cookie:
            response.set_cookie("probe", "1")
        return response

    return view


def slow_counted(request):
    with counted_lock:
        counted["requests"] += 1
    time.sleep(0.3)  # long enough for the other visitors to arrive meanwhile
    response = HttpResponse(f"counted {counted['requests']}")
    response["Cache-Control"] = "public, max-age=60"
    return response


def flaky(request):
    if counted["failing"]:
        return HttpResponse("broken", status=500)
    response = HttpResponse("the last good page")
    response["Cache-Control"] = "public, max-age=60"
    return response


PUBLIC = "public, max-age=60"
urlpatterns = [
    path("probe/public", with_headers(PUBLIC)),
    path("probe/set-cookie", with_headers(PUBLIC, cookie=True)),
    path("probe/private", with_headers("private, max-age=60")),
    path("probe/no-store", with_headers("public, no-store")),
    path("probe/no-cache", with_headers("public, no-cache")),
    path("probe/unmarked", with_headers("")),
    path("probe/counted", slow_counted),
    path("probe/flaky", flaky),
    path(f"{settings.ADMIN_PATH}probe", with_headers(PUBLIC)),
]


# --- nginx in front of the live server --------------------------------------------


class Front:
    def __init__(self, port, data):
        self.port = port
        self.data = data

    def fetch(self, path, method="GET", headers=None, body=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def status(self, path, **kwargs):
        """X-Cache-Status of the answer ("" when nginx did not use the cache)."""
        return self.fetch(path, **kwargs)[1].get("X-Cache-Status", "")


def site_values(tmp_path, port, upstream):
    return {
        "NGINX_LISTEN": f"127.0.0.1:{port}",
        "NGINX_SERVER_NAME": "127.0.0.1 localhost",
        "NGINX_UPSTREAM": upstream,
        "NGINX_DATA_DIR": tmp_path / "data",
        "NGINX_ADMIN_PATH": settings.ADMIN_PATH.strip("/"),
        "NGINX_CACHE_DIR": tmp_path / "cache",
    }


@pytest.fixture
def front(live_server, transactional_db, tmp_path):
    upstream_port = urlsplit(live_server.url).port
    port = servers.free_port()
    data = tmp_path / "data"
    (data / "static").mkdir(parents=True)
    (data / "media").mkdir()
    config = servers.write_nginx(
        tmp_path / "nginx", site_values(tmp_path, port, f"127.0.0.1:{upstream_port}")
    )
    process = servers.start_nginx(config)
    try:
        if not servers.wait_for_port(port, process, timeout=10):
            log = (tmp_path / "nginx" / "error.log").read_text(errors="replace")
            pytest.fail(f"nginx did not start:\n{log}")
        yield Front(port, data)
    finally:
        servers.stop(process)


@pytest.fixture
def probes(settings):
    settings.ROOT_URLCONF = __name__
    counted["requests"] = 0
    counted["failing"] = False


def public_url(obj, language="fr"):
    with translation.override(language):
        return obj.get_absolute_url()


# --- The configuration ------------------------------------------------------------


def test_the_rendered_configuration_passes_nginx_t(tmp_path):
    config = servers.write_nginx(
        tmp_path / "nginx", site_values(tmp_path, 8080, "127.0.0.1:8000")
    )

    result = servers.check_config(config)

    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr
    assert "${NGINX_" not in (tmp_path / "nginx" / "site.conf").read_text()


def test_open_files_are_checked_as_often_as_cached_pages_expire():
    # A hit skips open() and stat() (make bench: the front went from 0.72-0.78
    # to 0.90-0.96 of nginx's static speed); a replaced page's file is seen
    # within open_file_cache_valid, which the staleness bound above counts.
    text = servers.TEMPLATE.read_text()
    assert re.search(r"^\s*open_file_cache max=\d+ inactive=\d+s;", text, re.M)
    assert f"open_file_cache_valid {OPEN_FILE_VALIDITY:.0f}s;" in text
    assert f"proxy_cache_valid 200 301 404 410 {VALIDITY:.0f}s;" in text


def test_the_documented_envsubst_line_names_every_placeholder():
    text = servers.TEMPLATE.read_text()
    envsubst = next(line for line in text.splitlines() if "envsubst '" in line)

    assert servers.placeholders(text) == servers.placeholders(
        envsubst.replace("$NGINX", "${NGINX").replace(" ", "} ").replace("'", "}'")
    )
    for name in servers.placeholders(text):
        assert f"export {name}=" in text


def test_rendering_refuses_a_missing_value():
    with pytest.raises(KeyError, match="NGINX_UPSTREAM"):
        servers.render("server ${NGINX_UPSTREAM}; $host", {})
    # nginx's own variables are left alone.
    assert servers.render("${NGINX_A} $host", {"NGINX_A": "x"}) == "x $host"


# --- Pages ------------------------------------------------------------------------


def test_a_public_page_is_a_miss_then_a_hit(front):
    programme = make_programme(acronym="MICRO")
    url = public_url(programme)

    status, headers, first = front.fetch(url)
    assert status == 200 and headers["X-Cache-Status"] == "MISS"
    status, headers, second = front.fetch(url)

    assert status == 200 and headers["X-Cache-Status"] == "HIT"
    assert second == first and b"MICRO" in second
    # The app's headers are kept; the request id is this request's own.
    assert "public" in headers["Cache-Control"]
    assert headers["X-Frame-Options"] == "DENY"
    assert front.fetch(url)[1]["X-Request-ID"] != headers["X-Request-ID"]


def test_the_host_is_part_of_the_key(front):
    front.fetch("/fr/")
    other_host = {"Host": f"localhost:{front.port}"}

    status, headers, body = front.fetch("/fr/", headers=other_host)

    # Pages hold absolute links made from the Host header.
    assert status == 200 and headers["X-Cache-Status"] == "MISS"
    assert f"http://localhost:{front.port}/".encode() in body
    assert f"http://127.0.0.1:{front.port}/".encode() in front.fetch("/fr/")[2]


def test_head_is_answered_from_the_cache_too(front):
    front.fetch("/fr/")

    status, headers, body = front.fetch("/fr/", method="HEAD")

    assert status == 200 and headers["X-Cache-Status"] == "HIT" and body == b""


@pytest.mark.parametrize("cookie", ["sessionid=abc", "a=1; csrftoken=abc"])
def test_staff_cookies_bypass_the_cache_and_are_never_stored(front, cookie):
    url = "/fr/"

    assert front.status(url, headers={"Cookie": cookie}) == "BYPASS"
    # The staff answer was not stored for anonymous visitors.
    assert front.status(url) == "MISS"
    assert front.status(url) == "HIT"
    # Once cached, still never served to staff.
    status, headers, _body = front.fetch(url, headers={"Cookie": cookie})
    assert status == 200 and headers["X-Cache-Status"] == "BYPASS"
    if cookie.startswith("sessionid"):
        assert headers["Cache-Control"] == "private"  # the app's own answer


def test_other_cookies_do_not_bypass_the_cache(front):
    front.fetch("/fr/")

    assert front.status("/fr/", headers={"Cookie": "mysessionid=1"}) == "HIT"


def test_sign_in_attempts_are_limited_per_address(front):
    login = "/" + settings.ADMIN_PATH + "login/"
    # No CSRF token: the application refuses each (403) without checking any
    # password, so that every 429 comes from nginx itself.
    statuses = [
        front.fetch(login, method="POST", body=b"username=x&password=y")[0]
        for _attempt in range(15)
    ]

    # 10 a minute after a burst of 10: the 12th within the second is refused.
    assert statuses[:10] == [403] * 10
    assert statuses[-1] == 429
    # Only sign-in attempts: the form itself and other POSTs still pass.
    assert front.fetch(login)[0] == 200
    assert front.fetch("/fr/", method="POST", body=b"x=1")[0] == 403


def test_the_admin_is_never_cached(front):
    admin = "/" + settings.ADMIN_PATH
    assert front.fetch(admin)[0] == 302  # to the sign-in page
    bodies = set()
    for _attempt in range(2):
        status, headers, body = front.fetch(admin + "login/")
        assert status == 200 and "X-Cache-Status" not in headers
        bodies.add(body)
    assert len(bodies) == 2  # each with its own CSRF token


def test_the_admin_path_is_never_cached_even_when_marked_public(front, probes):
    bodies = {front.fetch(f"/{settings.ADMIN_PATH}probe")[2] for _n in range(3)}

    assert len(bodies) == 3


def test_a_post_is_neither_cached_nor_stored(front):
    for _attempt in range(2):
        status, headers, _body = front.fetch("/fr/", method="POST", body=b"a=1")
        assert status in (403, 405)  # no CSRF token; public pages only read
        assert headers.get("X-Cache-Status", "") != "HIT"

    assert front.status("/fr/") == "MISS"


def test_the_probe_answers_are_cached_when_public(front, probes):
    # The control for the tests below: the same view, only the headers differ.
    assert front.status("/probe/public") == "MISS"
    assert front.status("/probe/public") == "HIT"


@pytest.mark.parametrize(
    "path",
    [
        "/probe/set-cookie",
        "/probe/private",
        "/probe/no-store",
        "/probe/no-cache",
        "/probe/unmarked",
    ],
)
def test_answers_that_set_a_cookie_or_refuse_caches_are_not_kept(front, probes, path):
    bodies = set()
    for _attempt in range(3):
        status, headers, body = front.fetch(path)
        assert status == 200 and headers["X-Cache-Status"] == "MISS"
        bodies.add(body)

    assert len(bodies) == 3  # each one rendered by the application


def test_one_request_per_expired_page_reaches_the_application(front, probes):
    def visit(_number):
        return front.fetch("/probe/counted")

    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(visit, range(20)))
    assert all(status == 200 for status, _headers, _body in answers)
    assert counted["requests"] == 1  # proxy_cache_lock

    time.sleep(VALIDITY + 1.1)
    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(visit, range(20)))
    statuses = {headers["X-Cache-Status"] for _status, headers, _body in answers}
    # The first visitor after expiry gets the previous copy at once and the
    # page is rendered once behind the scenes; nobody waits for it.
    assert statuses <= {"STALE", "UPDATING", "HIT"} and "STALE" in statuses
    time.sleep(0.5)
    assert counted["requests"] == 2


def test_the_last_copy_is_served_while_the_application_fails(front, probes):
    assert front.fetch("/probe/flaky")[2] == b"the last good page"
    counted["failing"] = True
    time.sleep(VALIDITY + 1.1)

    for _attempt in range(3):
        status, headers, body = front.fetch("/probe/flaky")
        assert status == 200 and body == b"the last good page"
        assert headers["X-Cache-Status"] in {"STALE", "UPDATING"}
        time.sleep(0.2)


def test_an_edit_is_served_within_the_micro_cache_validity(front):
    programme = make_programme(acronym="BEFORE")
    url = public_url(programme)
    front.fetch(url)
    assert b"BEFORE" in front.fetch(url)[2]

    programme.acronym = "AFTER"
    programme.save()  # the application's page cache is fresh at once
    edited = time.monotonic()
    # Staff never see the old page.
    assert b"AFTER" in front.fetch(url, headers={"Cookie": "sessionid=x"})[2]
    bound = VALIDITY + OPEN_FILE_VALIDITY + 1.5
    while b"AFTER" not in front.fetch(url)[2]:
        assert time.monotonic() - edited < bound, "still the old page"
        time.sleep(0.05)
    # The staleness bound of deploy/nginx.conf: the validity, the open file's,
    # plus one render.
    assert time.monotonic() - edited <= bound


# --- Long addresses ---------------------------------------------------------------


def with_request_line(length, start="/en/search/?q="):
    """`start` followed by x's, making the request line `length` bytes long."""
    return start + "x" * (length - len(f"GET {start} HTTP/1.1"))


@pytest.mark.parametrize(
    "start",
    ["/en/search/?q=", "/fr/?q=", "/fr/programmes/?q=", "/api/v1/programmes/?q="],
)
def test_a_long_query_string_is_answered_not_a_502(front, start):
    # The cache key ($request_uri) and the application's headers share one
    # buffer (proxy_buffer_size): a query of some 3,000 characters overflowed
    # the default one ("upstream sent too big header").
    for length in (3_000, settings.REQUEST_LINE_LIMIT):
        for _attempt in range(2):  # stored, then from the cache
            status, _headers, _body = front.fetch(with_request_line(length, start))
            assert status == 200, (start, length)


def test_a_request_line_over_the_limit_is_a_414_from_nginx(front):
    limit = settings.REQUEST_LINE_LIMIT

    status, headers, _body = front.fetch(with_request_line(limit + 1))

    # nginx's own refusal, the one gunicorn gives over the same limit
    # (tests/test_gunicorn.py).
    assert status == 414
    assert "X-Request-ID" not in headers


# --- Hostile requests (tests/hostile.py) ----------------------------------------


def raw_status(port, path, headers):
    """The status nginx answers to bytes sent as they are (http.client checks them)."""
    request = f"GET {path} HTTP/1.1\r\n"
    request += "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request.encode("latin-1") + b"Connection: close\r\n\r\n")
        answer = b""
        while b"\r\n" not in answer:
            chunk = connection.recv(4096)
            if not chunk:
                break
            answer += chunk
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else None


def hostile_requests(host):
    """(address, headers) of the HTTP cases test_hostile_input.py sends to Django."""
    for address in [*ODD_PATHS.values(), *OPEN_REDIRECT_PATHS]:
        # nginx passes /static/%2E%2E/... on as it is (no static file matches
        # once decoded); the live server here serves static files with Django's
        # StaticFilesHandler, which answers 500 to the traversal, but production
        # has WhiteNoise's middleware, which test_hostile_input.py checks.
        if not address.startswith("/static/"):
            yield address, {"Host": host}
    for bogus in BOGUS_HOSTS:
        for address in ("/fr/", "/api/v1/programmes/"):
            yield address, {"Host": bogus}
    for name in HEADER_NAMES:
        for value in ODD_HEADER_VALUES + ODD_ACCEPT_LANGUAGES:
            yield "/fr/", {"Host": host, name: value}
    for value in ODD_ACCEPT_LANGUAGES:
        yield "/", {"Host": host, "Accept-Language": value}
    for cookie in ['sessionid="abcdefgh\\000ijkl"', "csrftoken=" + "a" * 5_000, ";;"]:
        yield "/fr/", {"Host": host, "Cookie": cookie}
    for query in FILTER_CASES:
        yield "/fr/programmes/?" + urlencode(query, doseq=True), {"Host": host}
    for query, _status in API_PAGE_CASES:
        yield "/api/v1/programmes/?" + query, {"Host": host}


def test_hostile_requests_through_nginx_are_never_a_5xx(front):
    host = f"127.0.0.1:{front.port}"
    answers = [
        (address[:60], repr(headers)[:120], raw_status(front.port, address, headers))
        for address, headers in hostile_requests(host)
    ]

    assert len(answers) > 300
    # nginx answers every one (414 and 400 for what it refuses itself), and
    # none with an error of its own or the application's.
    assert [answer for answer in answers if not 100 <= (answer[2] or 0) < 500] == []


# --- Files ------------------------------------------------------------------------


def test_hashed_static_files_are_served_by_nginx_for_a_year(front):
    css = front.data / "static" / "css"
    css.mkdir()
    (css / "site.0123456789ab.css").write_text("body { color: black; }")
    (css / "site.0123456789ab.css.gz").write_bytes(b"gzipped bytes")
    (css / "site.css").write_text("body { color: black; }")

    status, headers, body = front.fetch("/static/css/site.0123456789ab.css")
    assert status == 200 and body == b"body { color: black; }"
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["Content-Type"].startswith("text/css")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "X-Request-ID" not in headers  # never reached the application
    # WhiteNoise's compressed copy, for clients that accept it.
    status, headers, body = front.fetch(
        "/static/css/site.0123456789ab.css", headers={"Accept-Encoding": "gzip"}
    )
    assert headers["Content-Encoding"] == "gzip" and body == b"gzipped bytes"
    # A name without its hash may change content: an hour only.
    status, headers, _body = front.fetch("/static/css/site.css")
    assert status == 200 and headers["Cache-Control"] == "public, max-age=3600"
    assert front.fetch("/static/css/missing.css")[0] == 404


def test_uploads_are_served_by_nginx_and_nothing_else_of_the_data_folder(front):
    (front.data / "media" / "images").mkdir()
    (front.data / "media" / "images" / "photo.jpg").write_bytes(b"\xff\xd8jpeg")
    (front.data / "db.sqlite3").write_bytes(b"secret")

    status, headers, body = front.fetch("/media/images/photo.jpg")
    assert status == 200 and body == b"\xff\xd8jpeg"
    assert headers["Content-Type"] == "image/jpeg"
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "sandbox" in headers["Content-Security-Policy"]
    for address in ("/media/../db.sqlite3", "/static/../db.sqlite3", "/db.sqlite3"):
        assert b"secret" not in front.fetch(address)[2]


# What the application's middleware puts on every answer; nginx puts the same
# on the files it serves without the application.
SECURITY_HEADERS = [
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Resource-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Frame-Options",
    "Permissions-Policy",
]


def test_files_served_by_nginx_carry_the_applications_security_headers(front):
    (front.data / "static" / "site.css").write_text("body { color: black; }")
    (front.data / "media" / "photo.jpg").write_bytes(b"\xff\xd8jpeg")
    page = front.fetch("/fr/")[1]
    files = [
        ("/static/site.css", 200),
        ("/static/missing.css", 404),
        ("/media/photo.jpg", 200),
        ("/media/missing.jpg", 404),
    ]

    for address, status in files:
        answer_status, headers, _body = front.fetch(address)
        assert answer_status == status, address
        assert "X-Request-ID" not in headers  # nginx's own answer
        for name in SECURITY_HEADERS:
            assert len(headers.get_all(name) or []) == 1, (address, name)
            if name != "Content-Security-Policy":
                assert headers[name] == page[name], (address, name)
        if address.startswith("/media/"):
            # Stricter: a visitor's browser never runs an upload as a page.
            assert policy(headers) == {
                "default-src": {"'none'"},
                "frame-ancestors": {"'none'"},
                "sandbox": set(),
            }
        else:
            assert policy(headers) == policy(page), address


def policy(headers):
    """{directive: sources}: django-csp writes the directives in any order."""
    directives = headers["Content-Security-Policy"].split(";")
    return {name: set(sources) for name, *sources in map(str.split, directives)}
