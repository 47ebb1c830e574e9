"""The content version: a token that changes whenever the content changes.

Every cached page's key holds it (interpol_drugs/page_cache.py), so a save,
a deletion or a change of many-to-many links of any model of this app,
however it happens (the admin, its actions, history restores, load_content,
the shell), makes every cached page stale at once.

The token lives where every process of the site reads it: in the cache when
the cache is shared (Redis), in a file of DJANGO_DATA_DIR when each process has
its own memory cache (gunicorn's workers on one machine). A new token that
Redis could not take (an outage) is kept in a file beside it, and this
machine's next request writes it: the pages of the old version must not come
back with Redis.

A scheduled publication changes what is public without any write. Each
content version records when the next one falls due (one query, when the
version is made); the first request after that time makes a new version.
"""

import logging
import math
import os
import secrets
import threading
import time
import uuid
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from .bases import PublicationStatus, Publishable

logger = logging.getLogger(__name__)

VERSION_KEY = "page-cache:version"


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


def version_path():
    return os.fspath(
        getattr(settings, "PAGE_CACHE_VERSION_FILE", None)
        or os.path.join(settings.DATA_DIR, "page-cache-version")
    )


def version_file():
    return Path(version_path())


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


# Set by a write of this process that no version has followed yet (content_changed).
unversioned_change = threading.Event()


def read_version():
    if unversioned_change.is_set():
        # This process changed content (its transaction may be open): what it
        # renders from now on belongs to a new version.
        return bump_content_version()
    if cache_is_shared():
        token = cache.get(VERSION_KEY)
        if token is None:
            token = new_token()
            cache.add(VERSION_KEY, token, None)
            # Another process may have added its own first: read the winner.
            token = cache.get(VERSION_KEY) or token
        return token
    try:
        # Every request reads it: a plain open() of a plain string (pathlib
        # costs as much again).
        with open(version_path(), encoding="utf-8") as file:
            return file.read()
    except FileNotFoundError:
        return bump_content_version()


def per_version(function):
    """`function(*arguments)` computed once per content version and arguments
    in this process: for answers that read the whole site (any change of
    content makes a new version, which drops the last version's answers)."""
    answers = {}

    def answer(*arguments):
        version = read_version()
        if answers.get("version") != version:
            answers.clear()
            answers["version"] = version
        if arguments not in answers:
            answers[arguments] = function(*arguments)
        return answers[arguments]

    return answer


def bump_content_version(**kwargs):
    """Makes every cached page stale; returns the new version.

    Call it after writing public content without a model signal (for example
    with queryset.update()).
    """
    # Cleared first: a write made while this one is made needs another.
    unversioned_change.clear()
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
    """A write: a new version for this process's next read, and one for every
    process after the commit.

    Bounded work per write, whatever the size of the site or of the
    transaction: a new version costs a query over every publishable table
    (next_publication) and a file or Redis write, so a save that writes ten
    rows (its translation states, search entries, history...) and an import
    or `load_content` writing thousands in one transaction make one version
    when this process next reads it (read_version), and one after the commit
    (a request may have rendered the uncommitted state's predecessor under
    the first meanwhile), not one per row.
    """
    if action is not None and not action.startswith("post_"):
        return  # m2m_changed: only once the links have changed.
    unversioned_change.set()
    connection = transaction.get_connection(using)
    # run_on_commit: Django's list of (savepoint ids, callback, robust); read
    # by position, whatever else a later Django adds to each entry.
    if connection.in_atomic_block and any(
        isinstance(entry[1], NewVersionAfterCommit) and not entry[1].done
        for entry in connection.run_on_commit
    ):
        return  # Already due after this transaction's commit.
    transaction.on_commit(NewVersionAfterCommit(), using=using)


class NewVersionAfterCommit:
    """A transaction's one new version after its commit (content_changed)."""

    def __init__(self):
        self.done = False

    def __call__(self):
        self.done = True
        bump_content_version()


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
