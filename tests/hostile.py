"""Hostile input: the requests and payloads, and the helpers that check them.

Shared by tests/test_hostile_input.py (through Django) and tests/test_nginx.py
(through the nginx front): database snapshots, forms, payloads, and the odd
addresses, hosts, headers and query strings of the HTTP cases.
"""

import hashlib
import io
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

import html5lib
from django.apps import apps
from django.db import connection
from django.utils.http import url_has_allowed_host_and_scheme
from PIL import Image

# --- Requests -----------------------------------------------------------------

EVIL = "evil.example"

ODD_PATHS = {
    "nul": "/fr/%00/",
    "nul-slug": "/fr/programmes/%00/",
    "invalid-utf8": "/en/programmes/%FF/",
    "overlong-utf8-slash": "/fr/programmes/%C0%AF/",
    "overlong-utf8-dots": "/fr/%C0%AE%C0%AE/%C0%AE%C0%AE/",
    "utf8-surrogate": "/fr/pays/%ED%A0%80/",
    "fullwidth-country-code": "/en/countries/%EF%BC%A7%EF%BC%A8/",
    "crlf-header-injection": "/fr/%0D%0ASet-Cookie:%20injected=1/",
    "crlf-location-injection": "/fr/programmes/a%0D%0ALocation:%20https://evil.example/",
    "dot-segments": "/fr/organisations/%2E%2E/%2E%2E/etc/passwd/",
    "static-traversal": "/static/..%2F..%2Finterpol_drugs/settings.py",
    "static-traversal-dots": "/static/%2E%2E/var/db.sqlite3",
    "api-nul": "/api/v1/%00/",
    "api-invalid-utf8": "/api/v1/programmes/%FF/",
    "api-country-nul": "/api/v1/countries/%00/",
    "unprefixed-invalid-utf8": "/%FF/",
    "overlong-slug": "/fr/programmes/" + "a" * 10_000 + "/",
    "overlong-country": "/fr/pays/" + "x" * 10_000 + "/",
    "overlong-unprefixed": "/" + "a" * 10_000,
    "overlong-many-segments": "/fr/" + "a/" * 5_000,
    "api-overlong-id": "/api/v1/programmes/" + "9" * 10_000 + "/",
}

# Hosts outside ALLOWED_HOSTS (the test client's own "testserver" is allowed).
BOGUS_HOSTS = [
    EVIL,
    f"{EVIL}:443",
    f"testserver.{EVIL}",
    f"testserver@{EVIL}",
    f"testserver:80@{EVIL}",
    "testserver:abc",
    "testserver\r\nX-Injected: 1",
    "",
    " ",
    "a" * 10_000,
    "[::1",
    "127.0.0.1:80:80",
    f"localhost\x00.{EVIL}",
]

OPEN_REDIRECT_PATHS = [
    "//evil.example",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example",
    "/\\/evil.example/",
    "/%2F%2Fevil.example",
    "/%5C%5Cevil.example",
    "/%09/evil.example",
    "/fr//evil.example",
    "/fr/programmes//evil.example",
    "/fr/programmes/aircop//evil.example",
    "/https://evil.example",
    "/api/v1//evil.example",
    "/api/v1/programmes//evil.example",
    "/.evil.example",
    "//evil.example/%2E%2E",
]

ODD_ACCEPT_LANGUAGES = [
    "//evil.example",
    "https://evil.example",
    "fr\r\nLocation: https://evil.example",
    "x" * 10_240,
    ",".join(["en;q=0.5"] * 1_500),
    "en-" + "a" * 5_000,
    "*",
    "zz",
    "\x00",
    "é",
    "en;q=nan",
    "en;q=-1",
    "en;q=1e999",
    "../../",
    ";;;,,,==",
]

# Request headers the site reads, or that proxies and caches do.
HEADER_NAMES = [
    "Accept-Language",
    "If-None-Match",
    "If-Modified-Since",
    "Referer",
    "User-Agent",
    "X-Forwarded-For",
    "X-Forwarded-Proto",
    "X-Forwarded-Host",
    "X-Request-ID",
    "Range",
    "Origin",
]
ODD_HEADER_VALUES = ["x" * 10_240, "\x00", '"\\000"', 'W/"x", *', "-1", "1e999"]

FILTER_CASES = [
    {"region": "\x00"},
    {"region": "x" * 10_000},
    {"country": "../../etc/passwd"},
    {"country": "\u202egh"},
    {"partner": "<script>alert(1)</script>"},
    {"funder": "' OR 1=1 --"},
    {"region": ["caraibes", "<script>alert(2)</script>"]},
    {"partner": "%", "funder": "_"},
]

API_PAGE_CASES = [
    ("page_size=101", 400),
    ("page_size=1000000000", 400),
    ("page=999999999", 404),
    ("page=1&page=abc", 400),  # the last value counts, as in Django
    ("page=abc&page=1", 200),
    ("page_size=1&page_size=" + "9" * 5_000, 400),
    ("page=%FF%FE", 400),
    ("page=%00", 400),
    ("page" * 2_000 + "=1", 200),  # unknown parameters are ignored
]


# --- Nothing changed ----------------------------------------------------------


def database_state(ignore=(), new_revisions=False):
    """{table: (row count, hash of every row)} for the programmes app's tables.

    Raw SQL over every column, the many-to-many tables included, so that any
    write shows, whatever the model layer (modeltranslation) would hide.
    `ignore` holds (table, column) pairs left out, e.g. the updated_at that a
    valid save sets. `new_revisions` leaves out the history tables, to which
    every valid save adds a revision.
    """
    models = apps.get_app_config("programmes").get_models(include_auto_created=True)
    tables = sorted(
        model._meta.db_table
        for model in models
        if not (new_revisions and "historical" in model._meta.db_table)
    )
    state = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [column[0] for column in cursor.description]
            kept = [i for i, name in enumerate(columns) if (table, name) not in ignore]
            rows = sorted(repr([row[i] for i in kept]) for row in cursor.fetchall())
            digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
            state[table] = (len(rows), digest)
    return state


def saved_unchanged(table):
    """What a valid save that changes nothing still writes to `table`."""
    return {(table, "updated_at"), (table, "version")}


@contextmanager
def nothing_changes(ignore=(), new_revisions=False):
    """Asserts that the programmes app's tables are the same after the block."""
    before = database_state(ignore, new_revisions)
    yield
    after = database_state(ignore, new_revisions)
    changed = sorted(table for table in before if after[table] != before[table])
    assert not changed, f"the data changed in {', '.join(changed)}"


# --- Responses ----------------------------------------------------------------


def is_local_redirect(response):
    """No Location, or one that stays on the site (not //evil, /\\evil...)."""
    location = response.get("Location")
    return location is None or url_has_allowed_host_and_scheme(
        location, allowed_hosts={"testserver"}
    )


def has_form_errors(response):
    """The admin's answer to an invalid form: the form again, with its errors."""
    return response.status_code == 200 and b'class="errornote"' in response.content


# --- Admin forms --------------------------------------------------------------

SKIPPED_INPUTS = {"submit", "button", "reset", "image", "file"}


def form_data(response, form_id):
    """The fields a browser would submit from the form `form_id` of a page.

    Returns a dict of name -> value, or -> list of values for a multiple
    select. Empty inline rows (__prefix__) are left out, as a browser would
    leave them out of the formset's count.
    """
    tree = html5lib.parse(response.content.decode(), namespaceHTMLElements=False)
    form = tree.find(f".//form[@id='{form_id}']")
    assert form is not None, f"no form {form_id}"
    data = {}
    for element in form.iter():
        name = element.get("name")
        if not name or "__prefix__" in name:
            continue
        if element.tag == "input":
            kind = element.get("type", "text")
            if kind in SKIPPED_INPUTS:
                continue
            if kind in ("checkbox", "radio") and element.get("checked") is None:
                continue
            data[name] = element.get("value", "on" if kind == "checkbox" else "")
        elif element.tag == "textarea":
            data[name] = element.text or ""
        elif element.tag == "select":
            options = element.findall(".//option")
            chosen = [o for o in options if o.get("selected") is not None]
            values = [o.get("value", o.text or "") for o in chosen]
            if element.get("multiple") is not None:
                data[name] = values
            elif values or options:
                data[name] = values[0] if values else options[0].get("value", "")
    return data


# --- Uploads ------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """A hostile file. `refused`: no image field may ever accept it."""

    name: str
    filename: str
    content_type: str
    make: object  # () -> bytes
    refused: bool = True

    def file(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        return SimpleUploadedFile(self.filename, self.make(), self.content_type)


def _image_bytes(format_name, size=(8, 8)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format_name)
    return buffer.getvalue()


@cache
def decompression_bomb_png():
    # 27 kB on disk, 225 million pixels once decoded: past twice Pillow's
    # MAX_IMAGE_PIXELS, where Image.open() raises DecompressionBombError.
    buffer = io.BytesIO()
    Image.new("1", (15_000, 15_000)).save(buffer, "PNG")
    return buffer.getvalue()


def polyglot_gif():
    # Starts as a GIF and is also JavaScript: GIF89a/*...*/=alert(1);
    gif = _image_bytes("GIF")
    return b"GIF89a/*" + gif[8:] + b"*/=alert(document.domain);"


def script_svg():
    return (
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
        b"<script>alert(document.cookie)</script></svg>"
    )


def html_as_jpeg():
    return b"<!DOCTYPE html><html><script>alert(1)</script></html>"


def truncated_jpeg():
    jpeg = _image_bytes("JPEG", (64, 64))
    return jpeg[: len(jpeg) // 2]


UPLOADS = [
    Upload("decompression-bomb", "bomb.png", "image/png", decompression_bomb_png),
    Upload("polyglot-gif-js", "photo.gif", "image/gif", polyglot_gif),
    Upload("svg-with-script", "logo.svg", "image/svg+xml", script_svg),
    Upload("html-named-jpeg", "photo.jpg", "image/jpeg", html_as_jpeg),
    Upload(
        "png-named-pdf", "report.pdf", "application/pdf", lambda: _image_bytes("PNG")
    ),
    Upload("truncated-jpeg", "photo.jpg", "image/jpeg", truncated_jpeg),
    # A valid image: accepted or not, it must never be stored outside MEDIA_ROOT
    # or under a name that climbs out of its folder.
    Upload(
        "traversal-filename",
        "../../etc/passwd.png",
        "image/png",
        lambda: _image_bytes("PNG"),
        refused=False,
    ),
    Upload(
        "overlong-filename",
        "a" * 300 + ".png",
        "image/png",
        lambda: _image_bytes("PNG"),
        refused=False,
    ),
]
