"""One log line per event, tagged with the request it belongs to.

The settings' LOGGING (section 6) uses these: JSON lines in production, text
when developing. The formatter is hand-written rather than python-json-logger
because it must write a fixed list of fields and nothing else: a generic JSON
formatter also writes every `extra` attribute, and Django's request log
records carry the whole request (cookies, headers, query string, POST data).
This module is loaded while logging is configured, before the apps are ready:
it must not import models.
"""

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

# Set by RequestIdMiddleware for the duration of each request.
request_id_var = ContextVar("request_id", default=None)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record ("-" outside a request)."""

    def filter(self, record):
        request_id = request_id_var.get()
        if request_id is None:
            # Django logs 4xx and 5xx responses after the middleware returned;
            # those records carry the request itself.
            request = getattr(record, "request", None)
            request_id = getattr(request, "request_id", None)
        record.request_id = request_id or "-"
        return True


class JsonFormatter(logging.Formatter):
    """A JSON object per line, with only fields known to hold no secret.

    The path is the request's path without its query string (which may hold
    a token); cookies, headers and bodies are never written.
    """

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        # An HttpRequest on django.request's records (runserver's django.server
        # records carry a socket instead).
        request = getattr(record, "request", None)
        for name in ("method", "path"):
            if isinstance(value := getattr(request, name, None), str):
                entry[name] = value
        if (status_code := getattr(record, "status_code", None)) is not None:
            entry["status"] = status_code
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # JSON escapes line breaks: a traceback stays on its entry's one line.
        return json.dumps(entry, default=str)
