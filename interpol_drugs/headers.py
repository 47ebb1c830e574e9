"""Response headers the whole site shares (see "Security headers" in README.md).

Django's SecurityMiddleware and XFrameOptionsMiddleware already send HSTS,
X-Content-Type-Options, Referrer-Policy, Cross-Origin-Opener-Policy and
X-Frame-Options; django-csp sends Content-Security-Policy. This module adds
what neither does: Permissions-Policy, Cross-Origin-Resource-Policy, noindex
on the admin, refusing TRACE.
"""

from django.conf import settings
from django.http import HttpResponseNotAllowed

# Every powerful feature the site never uses, denied to the page and to any
# frame (feature=()). Only features Chromium knows: it reports an unknown one
# as an error on every page (so "bluetooth" is left out, and "interest-cohort",
# the switch of the abandoned FLoC, gives way to its successor browsing-topics).
DENIED_FEATURES = (
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "camera",
    "display-capture",
    "encrypted-media",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in DENIED_FEATURES)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # No other site's page may embed the site's answers (images, scripts,
        # JSON) without asking: CORS reads of the API, which allows any
        # origin, are not concerned, nor are links followed.
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if request.path_info.startswith("/" + settings.ADMIN_PATH):
            # Search engines must not list the admin's login page, wherever
            # DJANGO_ADMIN_PATH puts it (robots.txt does not name a custom path).
            response.headers.setdefault("X-Robots-Tag", "noindex, nofollow")
        return response


class RefuseTraceMiddleware:
    """TRACE (and Microsoft's TRACK) echo the request back: refused everywhere."""

    REFUSED_METHODS = {"TRACE", "TRACK"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in self.REFUSED_METHODS:
            return HttpResponseNotAllowed(["GET", "HEAD", "OPTIONS", "POST"])
        return self.get_response(request)
