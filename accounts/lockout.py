"""django-axes hooks: the lockout page and the client's address."""

import ipaddress

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib import admin
from django.shortcuts import render
from django.utils.translation import gettext as _


def locked_out(request, original_response=None, credentials=None):
    """The answer after too many failed logins (AXES_LOCKOUT_CALLABLE).

    It never repeats the username, so it tells nothing about which accounts exist.
    """
    cool_off = get_cool_off(request)
    response = render(
        request,
        "axes/lockout.html",
        {
            **admin.site.each_context(request),
            "title": _("Sign-in paused"),
            "failure_limit": get_failure_limit(request, credentials),
            "minutes": int(cool_off.total_seconds() // 60),
        },
        status=429,
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


def client_ip(request):
    """The visitor's address (AXES_CLIENT_IP_CALLABLE).

    Behind the HTTPS proxy (DJANGO_HTTPS=1) REMOTE_ADDR is the proxy's, the same
    for everyone; the last X-Forwarded-For entry is the one our proxy added,
    which a client cannot forge (it can only prepend entries).
    """
    remote_addr = request.META.get("REMOTE_ADDR", "")
    if not settings.SECURE_PROXY_SSL_HEADER:
        return remote_addr
    last = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
    try:
        # Axes stores it in an IP address column: never store anything else.
        return str(ipaddress.ip_address(last))
    except ValueError:
        return remote_addr
