"""Anonymous public pages from the cache, fresh the moment content changes.

Visitors are anonymous and read the same pages, so a GET or HEAD of a public
page (under /fr/ and /en/, the sitemap, robots.txt, the feeds and the API) is
answered from Django's cache (Redis at REDIS_URL, else local memory). No time
limit makes it fresh: every cache key holds the *content version*, a token
that changes whenever anything of the programmes app is saved, deleted or has
its many-to-many links changed, however that happens (the admin, its actions,
history restores, load_content, the shell). The old pages are then never read
again and expire on their own.

The token lives where every process of the site reads it: in the cache when
the cache is shared (Redis), in a file of DJANGO_DATA_DIR when each process has
its own memory cache (gunicorn's workers on one machine). A new token that
Redis could not take (an outage) is kept in a file beside it, and this
machine's next request writes it: the pages of the old version must not come
back with Redis.

A scheduled publication changes what is public without any write. Each
content version records when the next one falls due (one query, when the
version is made); the first request after that time makes a new version.

Never cached: requests carrying a session cookie (staff; the admin's previews
are under the admin anyway), other methods than GET and HEAD, and responses
that set a cookie, vary on anything but the language, say no-store, private or
no-cache, stream, or answer another status than 200, 301, 404 or 410 (and,
with a query string, another status than 200: made-up addresses are endless).

Answers from this path, HEAD included, carry an ETag (a hash of the body,
unless the view set one, as the API does) and a Last-Modified (the first
whole second after the content version began, once it has come, unless the
view set one), answer 304 to conditional requests, and tell other caches they
may keep them briefly (DJANGO_PAGE_CACHE_SECONDS).
"""

import functools
import hashlib
import logging
import math
import os
import secrets
import time
import uuid
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import setting_changed
from django.db import DatabaseError, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.utils import timezone
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

# How long the server keeps a page. Freshness never depends on it (the version
# does); it only lets pages nobody asks for leave the cache.
SERVER_TIMEOUT = 60 * 60
CACHEABLE_STATUSES = {200, 301, 404, 410}
VERSION_KEY = "page-cache:version"
# Unprefixed public addresses; everything under a language prefix is public too.
PUBLIC_PATHS = ("/sitemap.xml", "/robots.txt")
PUBLIC_PREFIXES = ("/api/v1/",)
# A response saying any of these is for one visitor, or must be asked again.
REFUSING_DIRECTIVES = {"no-store", "private", "no-cache"}


# --- The content version ---------------------------------------------------------


def new_token():
    """A new content version, "began-random-due".

    When it began (for Last-Modified), something no other process picks, and
    when the next scheduled publication falls due (0: none), so that every
    process knows when the version ends without asking the database.
    """
    return f"{time.time():.6f}-{secrets.token_hex(6)}-{next_publication():.6f}"


def token_time(token):
    return float(token.split("-")[0])


def token_due(token):
    parts = token.split("-")
    return float(parts[2]) if len(parts) == 3 else 0


def version_file():
    return Path(
        getattr(settings, "PAGE_CACHE_VERSION_FILE", None)
        or Path(settings.DATA_DIR) / "page-cache-version"
    )


def pending_file():
    """Says that a new version could not reach the shared cache (Redis was down)."""
    return version_file().with_suffix(".pending")


def last_modified(token):
    """The Last-Modified of the version's pages, or None.

    The first whole second after the version began, and only once that
    second has come: then a version that begins later always has a later
    one, so If-Modified-Since never answers 304 for a page that changed
    within the second (and no date is ever in the future).
    """
    stamp = math.ceil(token_time(token))
    return stamp if stamp <= time.time() else None


def cache_is_shared():
    return not isinstance(caches["default"], LocMemCache)


def read_version():
    if cache_is_shared():
        token = cache.get(VERSION_KEY)
        if token is None:
            token = new_token()
            cache.add(VERSION_KEY, token, None)
            # Another process may have added its own first: read the winner.
            token = cache.get(VERSION_KEY) or token
        return token
    try:
        return version_file().read_text()
    except FileNotFoundError:
        return bump_content_version()


def bump_content_version(**kwargs):
    """Makes every cached page stale; returns the new version.

    Call it after writing public content without a model signal (for example
    with queryset.update()).
    """
    token = new_token()
    if cache_is_shared():
        try:
            write_shared_version(token)
        except Exception:
            # The pages of the old version would come back with Redis: this
            # machine's processes try again at their next request.
            logger.exception(
                "The page cache could not record a content change; "
                "it will try again at the next request."
            )
            write_atomically(pending_file(), token)
        else:
            pending_file().unlink(missing_ok=True)
        return token
    write_atomically(version_file(), token)
    return token


def write_shared_version(token):
    # django-redis drops a failed write in silence (IGNORE_EXCEPTIONS); its
    # client underneath raises, which a lost content change must do.
    client = getattr(cache, "client", None)
    if client is not None and hasattr(client, "set"):
        client.set(VERSION_KEY, token, timeout=None)
    else:
        cache.set(VERSION_KEY, token, None)


def write_atomically(path, token):
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written aside, then renamed: a reader never sees half a token.
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    temporary.write_text(token)
    os.replace(temporary, path)


def content_changed(sender, using=None, action=None, **kwargs):
    if action is not None and not action.startswith("post_"):
        return  # m2m_changed: only once the links have changed.
    # Now, so that the same process and its transaction see the change at
    # once; and after the commit, since a request may have rendered the
    # uncommitted state's predecessor under the first new version meanwhile.
    bump_content_version()
    transaction.on_commit(bump_content_version, using=using)


def watch(app_config):
    """Bump the version on every write of `app_config`'s models (AppConfig.ready)."""
    for model in app_config.get_models(include_auto_created=True):
        if model.__name__.startswith("Historical"):
            continue  # Revisions are written with the object they record.
        uid = f"page-cache-{model._meta.label_lower}"
        post_save.connect(content_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(content_changed, sender=model, dispatch_uid=uid)
        # The sender of m2m_changed is the link table (auto-created or not).
        m2m_changed.connect(content_changed, sender=model, dispatch_uid=uid)
    # Tests change settings that pages show.
    setting_changed.connect(forget_version, dispatch_uid="page-cache-settings")


def forget_version(**kwargs):
    """Makes every cached page stale without a query: the next read makes a version."""
    if cache_is_shared():
        cache.delete(VERSION_KEY)
    else:
        version_file().unlink(missing_ok=True)


def next_publication():
    """When the next scheduled publication falls due (a timestamp), or 0."""
    from programmes.models import PublicationStatus, Publishable

    now = timezone.now()
    dates = [
        model.objects.filter(status=PublicationStatus.PUBLISHED, published_at__gt=now)
        .order_by()
        .values("published_at")
        for model in apps.get_app_config("programmes").get_models()
        if issubclass(model, Publishable)
    ]
    # One query for every publishable model.
    first = dates[0].union(*dates[1:]).order_by("published_at").first()
    return first["published_at"].timestamp() if first else 0


@functools.cache
def code_fingerprint():
    """Changes with the code, templates, translations or configuration.

    Part of every key, so that pages rendered by the previous release are not
    served after a deployment, even from a Redis that outlived it.
    """
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    roots = [base / "interpol_drugs", base / "programmes", base / "templates"]
    roots += [Path(path) for path in settings.LOCALE_PATHS]
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
    return any(path.startswith(f"/{code}/") for code, _name in settings.LANGUAGES)


def directives(response):
    return {
        part.split("=", 1)[0].strip().lower()
        for part in response.get("Cache-Control", "").split(",")
        if part.strip()
    }


def storable(request, response):
    if response.status_code not in CACHEABLE_STATUSES or response.streaming:
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


def freeze(response):
    return (response.status_code, list(response.items()), response.content)


def thaw(entry):
    status, headers, content = entry
    if status == 301:
        response = HttpResponsePermanentRedirect(dict(headers)["Location"])
        response.content = content
    else:
        response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


def cache_control():
    seconds = settings.PAGE_CACHE_SECONDS
    if seconds <= 0:
        return "public, no-cache"
    # Caches may serve a stale copy while they ask again, for a while longer.
    return f"public, max-age={seconds}, stale-while-revalidate={5 * seconds}"


class PageCacheMiddleware:
    """Serves anonymous public pages from the cache (see the module's docstring).

    After LocaleMiddleware (the language is part of the key) and
    CommonMiddleware, before everything that reads the session or the user:
    a hit skips them. Every middleware before it still runs on a hit, so each
    answer gets its own X-Request-ID and the security headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if cache_is_shared() and pending_file().exists():
            bump_content_version()
        if request.method not in ("GET", "HEAD") or not is_public(request.path):
            return self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            # Staff: never from the cache, never into it, never kept by proxies.
            response = self.get_response(request)
            if not response.has_header("Cache-Control"):
                response["Cache-Control"] = "private"
            return response
        try:
            token = read_version()
            if 0 < token_due(token) <= time.time():
                # A scheduled publication is due: a new version, fresh pages.
                token = bump_content_version()
        except DatabaseError:
            # Without the next publication's date, nothing is safe to keep.
            return self.get_response(request)
        if (entry := cache.get(self.page_key(request, token))) is not None:
            response = thaw(entry)
        else:
            response = self.get_response(request)
            if not storable(request, response):
                return response
            if response.status_code == 200 and not response.has_header("ETag"):
                set_response_etag(response)
            # HEAD answers get the same headers, but only GET fills the cache.
            if request.method == "GET":
                cache.set(
                    self.page_key(request, token), freeze(response), SERVER_TIMEOUT
                )
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

    def page_key(self, request, token):
        # The address as the visitor typed it (scheme, host, query string):
        # pages hold absolute links; and the language LocaleMiddleware chose.
        address = f"{request.build_absolute_uri()}|{get_language()}"
        digest = hashlib.sha256(address.encode()).hexdigest()[:32]
        return f"page-cache:page:{code_fingerprint()}:{token}:{digest}"
