"""Anonymous public pages from the cache, fresh the moment content changes.

Visitors are anonymous and read the same pages, so a GET or HEAD of a public
page (under /fr/ and /en/, the sitemap, robots.txt, the feeds and the API) is
answered from Django's cache (Redis at REDIS_URL, else local memory). No time
limit makes it fresh: every cache key holds the *content version*, a token
that changes whenever anything of the programmes app is saved, deleted or has
its many-to-many links changed, however that happens (the admin, its actions,
history restores, load_content, the shell). The old pages are then never read
again and expire on their own. Where the version lives, and how a scheduled
publication makes a new one: programmes/content/version.py.

Never cached: requests carrying a session cookie (staff; the admin's previews
are under the admin anyway), other methods than GET and HEAD, and responses
that set a cookie, vary on anything but the language, say no-store, private or
no-cache, stream, or answer another status than 200, 301, 404 or 410 (and,
with a query string, another status than 200: made-up addresses are endless).

Two middlewares: PageCacheMiddleware, after LocaleMiddleware, judges which
answers are for anyone and marks them with their key; PageCacheFrontMiddleware,
near the top, keeps them as they left every middleware and serves hits before
the middlewares a hit does not need (see its docstring).

Answers from this path, HEAD included, carry an ETag (a hash of the body,
unless the view set one, as the API does) and a Last-Modified (the first
whole second after the content version began, once it has come, unless the
view set one), answer 304 to conditional requests, and tell other caches they
may keep them briefly (DJANGO_PAGE_CACHE_SECONDS).
"""

import functools
import hashlib
import os
import sys
import time
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.utils import translation
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import get_language

from programmes.content.version import (
    bump_content_version,
    cache_is_shared,
    last_modified,
    pending_file,
    read_version,
    token_due,
)

# How long the server keeps a page. Freshness never depends on it (the version
# does); it only lets pages nobody asks for leave the cache.
SERVER_TIMEOUT = 60 * 60
CACHEABLE_STATUSES = {200, 301, 404, 410}
# Unprefixed public addresses; everything under a language prefix is public too.
PUBLIC_PATHS = ("/sitemap.xml", "/robots.txt")
PUBLIC_PREFIXES = ("/api/v1/",)
# A response saying any of these is for one visitor, or must be asked again.
REFUSING_DIRECTIVES = {"no-store", "private", "no-cache"}


def source_folders(base):
    """The project's own code, templates and catalogues: its package, every
    installed app that lives in the project, the template and locale folders.
    Derived from the settings, so that moved or added code is never left out."""
    project = Path(import_module(settings.ROOT_URLCONF).__file__).parent
    installed = Path(sys.prefix)
    apps_here = [
        Path(config.path)
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(base)
        # A virtual environment inside the project holds Django's apps.
        and not Path(config.path).is_relative_to(installed)
    ]
    templates = [
        Path(folder) for engine in settings.TEMPLATES for folder in engine["DIRS"]
    ]
    locales = [Path(path) for path in settings.LOCALE_PATHS]
    return sorted({project, *apps_here, *templates, *locales})


@functools.cache
def code_fingerprint():
    """Changes with the code, templates, translations or configuration.

    Part of every key, so that pages rendered by the previous release are not
    served after a deployment, even from a Redis that outlived it.
    """
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    roots = source_folders(base)
    suffixes = {".py", ".html", ".txt", ".xml", ".mo", ".json"}
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in suffixes and path.is_file():
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    for name, value in sorted(os.environ.items()):
        if name.startswith("DJANGO_"):
            digest.update(f"{name}={value}\n".encode())
    return digest.hexdigest()[:16]


# --- The middleware --------------------------------------------------------------


def is_public(path):
    if path.startswith("/" + settings.ADMIN_PATH):
        return False
    if path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES):
        return True
    if path.startswith("/sitemap-") and path.endswith(".xml"):  # its sections
        return True
    return any(path.startswith(f"/{code}/") for code, _name in settings.LANGUAGES)


def directives(response):
    return {
        part.split("=", 1)[0].strip().lower()
        for part in response.get("Cache-Control", "").split(",")
        if part.strip()
    }


def storable(request, response):
    if response.status_code not in CACHEABLE_STATUSES:
        return False
    if response.status_code != 200 and request.META.get("QUERY_STRING"):
        # Made-up addresses are endless: keeping each would push real pages out.
        return False
    if response.cookies or directives(response) & REFUSING_DIRECTIVES:
        return False
    vary = {
        header.strip().lower()
        for header in response.get("Vary", "").split(",")
        if header.strip()
    }
    if vary - {"accept-language"}:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.accessed:
        return False
    return not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")


def kept(status, headers, content):
    """The answer as the cache keeps it: a plain response, pickled as it is.

    Its headers are checked once, here; a hit only unpickles it, as
    Django's own cache_page does.
    """
    if status == 301:
        response = HttpResponsePermanentRedirect(dict(headers)["Location"])
        response.content = content
    else:
        response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


def freeze(response):
    return kept(response.status_code, list(response.items()), response.content)


# A streamed answer (a CSV download) is kept once sent, up to this size.
MAX_STREAMED_BYTES = 32 * 1024 * 1024


def keep_when_sent(response, key):
    """Streams `response` as it is, and stores it under `key` once all sent.

    The visitor gets each part as it is made; the cache gets the whole, so the
    next request is a hit like any page's. Parts past MAX_STREAMED_BYTES are
    sent but the answer is then not kept.
    """
    status, headers, parts = response.status_code, list(response.items()), []
    stream = response.streaming_content

    def sending():
        size = 0
        for part in stream:
            if size <= MAX_STREAMED_BYTES:
                parts.append(part)
                size += len(part)
            yield part
        if size <= MAX_STREAMED_BYTES:
            cache.set(key, kept(status, headers, b"".join(parts)), SERVER_TIMEOUT)

    response.streaming_content = sending()


def cache_control():
    seconds = settings.PAGE_CACHE_SECONDS
    if seconds <= 0:
        return "public, no-cache"
    # Caches may serve a stale copy while they ask again, for a while longer.
    return f"public, max-age={seconds}, stale-while-revalidate={5 * seconds}"


def language_of(request):
    """The language LocaleMiddleware will choose for `request`, without it.

    The address's prefix, else what the request asks (cookie, Accept-Language).
    Only the front's guess for a lookup: pages are stored under the language
    LocaleMiddleware chose, so a wrong guess could only miss, never serve a
    page in another language.
    """
    return translation.get_language_from_path(
        request.path_info
    ) or translation.get_language_from_request(request)


def page_key(request, token, language):
    # The address as the visitor typed it (scheme, host, query string):
    # pages hold absolute links; and the language LocaleMiddleware chose.
    address = f"{request.build_absolute_uri()}|{language}"
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    return f"page-cache:page:{code_fingerprint()}:{token}:{digest}"


def for_anyone(request):
    """A GET or HEAD of a public address by a visitor without a session."""
    return (
        request.method in ("GET", "HEAD")
        and is_public(request.path)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def validated(request, response, token):
    """Adds Last-Modified and Cache-Control; 304 when the visitor's copy is fresh."""
    stamp = last_modified(token)
    if response.status_code == 200 and stamp and "Last-Modified" not in response:
        response["Last-Modified"] = http_date(stamp)
    response["Cache-Control"] = cache_control()
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
        response=response,
    )


class PageCacheFrontMiddleware:
    """Serves a cached page before the middlewares a hit does not need.

    Near the top of MIDDLEWARE: after the request id (each answer gets its
    own) and the 503 page, before the security headers, sessions, language,
    CSRF, users and messages. The page is kept *as it left them all*, security
    headers, Content-Language and Vary included, so a hit sends the very
    headers the first visitor got; only X-Request-ID, Last-Modified (once its
    second has come), Cache-Control and the 304 are made per request.

    Only answers that PageCacheMiddleware, further down, judged fit for anyone
    are kept, under the key it made with the language LocaleMiddleware chose:
    requests that something before it refuses or redirects (a host not
    allowed, HTTPS required, TRACE) are never kept, so never served here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if cache_is_shared() and pending_file().exists():
            bump_content_version()
        if not for_anyone(request):
            return self.get_response(request)
        try:
            token = read_version()
            if 0 < token_due(token) <= time.time():
                # A scheduled publication is due: a new version, fresh pages.
                token = bump_content_version()
        except (DatabaseError, InterfaceError):
            # Without the next publication's date, nothing is safe to keep. A
            # dropped connection is an InterfaceError, which is no DatabaseError:
            # the view then meets it too and answers 503.
            return self.get_response(request)
        request.page_cache_token = token
        entry = cache.get(page_key(request, token, language_of(request)))
        if entry is not None:
            return validated(request, entry, token)
        response = self.get_response(request)
        key = getattr(request, "page_cache_key", None)
        if key is None:
            return response
        # HEAD answers get the same headers, but only GET fills the cache.
        if request.method == "GET" and not response.cookies:
            if response.streaming:
                keep_when_sent(response, key)
            else:
                cache.set(key, freeze(response), SERVER_TIMEOUT)
        return validated(request, response, token)


class PageCacheMiddleware:
    """Judges which answers are for anyone, for PageCacheFrontMiddleware.

    After LocaleMiddleware (the language is part of the key) and
    CommonMiddleware, before everything that reads the session or the user.
    An answer fit for anyone gets its ETag and is marked with its key; the
    front keeps it once every middleware has added its headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = getattr(request, "page_cache_token", None)
        if (
            request.method in ("GET", "HEAD")
            and is_public(request.path)
            and settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            # Staff: never from the cache, never into it, never kept by proxies.
            response = self.get_response(request)
            if not response.has_header("Cache-Control"):
                response["Cache-Control"] = "private"
            return response
        if token is None or not for_anyone(request):
            return self.get_response(request)
        response = self.get_response(request)
        if not storable(request, response):
            return response
        if response.status_code == 200 and not response.has_header("ETag"):
            set_response_etag(response)
        request.page_cache_key = page_key(request, token, get_language())
        return response
