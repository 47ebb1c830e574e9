"""Request ids for the logs, and a 503 page while the database is unreachable."""

import re
import uuid

from django.conf import settings
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.log import log_response

from .logs import request_id_var

# A proxy's X-Request-ID is kept only when it is a plain token: anything else
# (spaces, quotes, line breaks, kilobytes) could forge or bloat log lines.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")


class RequestIdMiddleware:
    """Gives each request an id, in every log line and in X-Request-ID.

    The id comes from the proxy's X-Request-ID header when it is a safe token
    (so that the proxy's and the site's logs can be matched), else a uuid4.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.request_id = (
            given if SAFE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        )
        token = request_id_var.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response.headers["X-Request-ID"] = request.request_id
        return response


class DatabaseUnavailableMiddleware:
    """Answers 503 with Retry-After when the database cannot be reached.

    OperationalError and InterfaceError mean the server is down, refuses
    connections, times out or dropped the connection; nothing the visitor can
    fix. Django closes a broken connection at the end of the request and opens
    a new one for the next, so the site recovers by itself once the database
    is back. Other database errors are bugs: they stay 500s.
    """

    RETRY_AFTER_SECONDS = 30

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if settings.DEBUG or not isinstance(
            exception, OperationalError | InterfaceError
        ):
            # Developers get Django's debug page (an unmigrated SQLite
            # database raises OperationalError too).
            return None
        response = self.service_unavailable(request)
        # Logged here, once, with the cause; Django then skips its own line.
        log_response(
            "Database unavailable: %s",
            request.path,
            response=response,
            request=request,
            exception=exception,
        )
        return response

    def service_unavailable(self, request):
        match = request.resolver_match
        if match and "api" in match.namespaces:
            # The open data API answers errors in its own JSON shape.
            message = "The service is temporarily unavailable; try again later."
            response = JsonResponse(
                {"error": {"status": 503, "message": message}}, status=503
            )
        else:
            # Self-contained like 500.html: no context processor, no database.
            response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        # A proxy must not keep serving the outage once the site is back.
        response["Cache-Control"] = "no-store"
        return response
