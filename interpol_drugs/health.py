"""Probes for the process supervisor and the load balancer (unprefixed URLs)."""

import logging
import uuid

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    """The process answers: no database, no cache, nothing that can hang."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    """The process can serve pages: the database and the cache answer."""
    checks = {"database": database_status(), "cache": cache_status()}
    ready = all(status == "ok" for status in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", **checks},
        status=200 if ready else 503,
    )


def database_status():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("Readiness: the database does not answer", exc_info=True)
        return "unavailable"
    return "ok"


def cache_status():
    # A write then a read: django-redis, set to ignore Redis errors, answers
    # a miss instead of raising, so only a round trip tells.
    key = f"readyz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", timeout=5)
        answered = cache.get(key)
        cache.delete(key)
    except Exception:
        # Any backend, any failure (ConnectionError, TimeoutError...).
        logger.warning("Readiness: the cache does not answer", exc_info=True)
        return "unavailable"
    if answered != "ok":
        logger.warning("Readiness: the cache does not answer")
        return "unavailable"
    return "ok"
