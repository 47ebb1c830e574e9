"""deploy/nginx.conf: a real nginx in front of the live test server.

nginx serves static files and uploads from disk and keeps anonymous public
pages for one second; never the admin, POSTs, staff (session or CSRF cookie),
or answers that set a cookie or are private. bench/servers.py renders the
template into a temporary folder, as `make bench` does.
"""

import http.client
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.urls import path
from django.utils import translation

from bench import servers

from .factories import make_programme
from .helpers import needs

# Slow (starts nginx and gunicorn): make test-fast leaves it out.
pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def nginx_installed():
    needs(
        shutil.which("nginx") is not None,
        "nginx is not installed (Debian: apt-get install nginx-light)",
    )


# The micro-cache's validity in deploy/nginx.conf (proxy_cache_valid).
VALIDITY = 1.0


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
    while b"AFTER" not in front.fetch(url)[2]:
        assert time.monotonic() - edited < VALIDITY + 1.5, "still the old page"
        time.sleep(0.05)
    # The staleness bound of deploy/nginx.conf: the validity plus one render.
    assert time.monotonic() - edited <= VALIDITY + 1.5


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
