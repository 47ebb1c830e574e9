"""A limit on sign-in attempts per client address, whatever the account name.

django-axes locks one account name from one address; a flood of attempts with
ever-new names never trips it, yet each attempt costs a password hash and
django-axes' writes to the database, which slows every page. Past the limit,
an attempt is refused before any of that. The count lives in Django's cache
SIGN_IN_CACHE, which every worker shares (Redis, or files on one machine).
"""

import time

from django.conf import settings
from django.contrib import admin
from django.core.cache import caches
from django.shortcuts import render
from django.utils.translation import gettext as _

from .lockout import client_ip

WINDOW_SECONDS = 60
clock = time.time  # replaced in tests


def count_attempt(address, now=None):
    """Counts one attempt from `address`; returns (attempts this minute, seconds
    until the minute ends)."""
    now = clock() if now is None else now
    window = int(now // WINDOW_SECONDS)
    key = f"signin-attempts:{address}:{window}"
    cache = caches[settings.SIGN_IN_CACHE]
    # add() then incr(): atomic in Redis, so that workers never lose a count.
    cache.add(key, 0, timeout=WINDOW_SECONDS + 5)
    try:
        attempts = cache.incr(key)
    except ValueError:  # evicted between the two calls
        cache.set(key, 1, timeout=WINDOW_SECONDS + 5)
        attempts = 1
    retry_after = max(1, int((window + 1) * WINDOW_SECONDS - now) + 1)
    return attempts, retry_after


def refuse_if_flooding(request):
    """The 429 answer when this address made too many sign-in attempts in the
    current minute (ADMIN_LOGIN_ATTEMPTS_PER_MINUTE), or None."""
    limit = settings.ADMIN_LOGIN_ATTEMPTS_PER_MINUTE
    if request.method != "POST" or not limit:
        return None
    attempts, retry_after = count_attempt(client_ip(request))
    if attempts <= limit:
        return None
    response = render(
        request,
        "accounts/too_many_attempts.html",
        {
            **admin.site.each_context(request),
            "title": _("Too many sign-in attempts"),
            "seconds": retry_after,
        },
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response
