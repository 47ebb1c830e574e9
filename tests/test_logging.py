"""One structured line per logged event, with the request id and no secret."""

import io
import json
import logging
import os
import subprocess
import sys
import uuid

import pytest
from django.urls import path

from interpol_drugs.logs import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db

SESSION = "s3ss10n-c00k1e-value"
PASSWORD = "correct-horse-battery-staple"
TOKEN = "t0k3n-in-the-query"
AUTHORIZATION = "Bearer 4uth0r1z4t10n"


def broken(request):
    raise RuntimeError("something broke")


# The tests marked urls(__name__) use these addresses.
urlpatterns = [path("broken/", broken)]


def site_handler():
    """The handler the settings' LOGGING configured on the root logger."""
    (handler,) = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, RequestIdFilter) for f in handler.filters)
    ]
    return handler


@pytest.fixture
def log_lines():
    """What the site's log handler writes, line by line."""
    handler = site_handler()
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield lambda: stream.getvalue().splitlines()
    handler.setStream(previous)


@pytest.fixture
def json_lines(log_lines):
    handler = site_handler()
    handler_formatter = handler.formatter
    handler.setFormatter(JsonFormatter())
    yield lambda: [json.loads(line) for line in log_lines()]
    handler.setFormatter(handler_formatter)


def hostile_post(client, headers=None):
    # A visitor with a session, a password in the form, a token in the query
    # and credentials in a header, on a page that fails.
    client.raise_request_exception = False
    client.cookies["sessionid"] = SESSION
    return client.post(
        f"/broken/?token={TOKEN}",
        {"username": "editor", "password": PASSWORD},
        headers={"authorization": AUTHORIZATION, **(headers or {})},
    )


# --- Request ids ------------------------------------------------------------


def test_every_response_carries_a_new_request_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]

    assert first != second
    assert uuid.UUID(first).version == 4 and uuid.UUID(second).version == 4


def test_the_proxys_request_id_is_kept(client):
    response = client.get("/healthz", headers={"x-request-id": "edge-7f3a.91_b"})

    assert response["X-Request-ID"] == "edge-7f3a.91_b"


@pytest.mark.parametrize(
    "given",
    ["", "two words", 'quote"d', "line\\nbreak", "é", "x" * 129, "a;b=c"],
)
def test_an_unsafe_request_id_is_replaced(client, given):
    response = client.get("/healthz", headers={"x-request-id": given})

    assert response["X-Request-ID"] != given
    assert uuid.UUID(response["X-Request-ID"]).version == 4


# --- Error lines ------------------------------------------------------------


@pytest.mark.urls(__name__)
def test_an_error_is_one_json_line_with_request_id_and_path(client, json_lines):
    response = hostile_post(client, headers={"x-request-id": "req-42"})

    assert response.status_code == 500
    (entry,) = [entry for entry in json_lines() if entry["level"] == "ERROR"]
    assert entry["request_id"] == "req-42"
    assert entry["path"] == "/broken/"
    assert entry["method"] == "POST"
    assert entry["status"] == 500
    assert entry["logger"] == "django.request"
    assert "RuntimeError: something broke" in entry["exception"]


@pytest.mark.urls(__name__)
def test_an_error_line_holds_no_secret(client, log_lines, json_lines):
    hostile_post(client)

    logged = "\n".join(log_lines())
    assert "/broken/" in logged
    for secret in (SESSION, PASSWORD, TOKEN, AUTHORIZATION, "4uth0r1z4t10n"):
        assert secret not in logged


@pytest.mark.urls(__name__)
def test_text_lines_carry_the_request_id_too(client, log_lines, settings):
    handler = site_handler()
    previous = handler.formatter
    handler.setFormatter(
        logging.Formatter(settings.LOGGING["formatters"]["text"]["format"])
    )
    try:
        hostile_post(client, headers={"x-request-id": "req-43"})
    finally:
        handler.setFormatter(previous)

    (line,) = [line for line in log_lines() if " ERROR " in line]
    assert "[req-43] Internal Server Error: /broken/" in line
    assert TOKEN not in line and SESSION not in line


def test_a_404_warning_names_its_request_after_the_middleware_returned(
    client, json_lines
):
    response = client.get("/en/no-such-page/", headers={"x-request-id": "req-44"})

    (entry,) = [entry for entry in json_lines() if entry["level"] == "WARNING"]
    assert entry["message"] == "Not Found: /en/no-such-page/"
    assert entry["request_id"] == "req-44" == response["X-Request-ID"]


def test_lines_outside_a_request_have_no_id(json_lines):
    logging.getLogger("programmes").warning("multi\nline")

    (entry,) = json_lines()
    assert entry["request_id"] == "-"
    assert entry["message"] == "multi\nline"


def test_runservers_records_with_a_socket_for_request_are_written_too(json_lines):
    logging.getLogger("django.server").info(
        '"GET / HTTP/1.1" 200 5', extra={"request": object(), "status_code": 200}
    )

    (entry,) = json_lines()
    assert entry["status"] == 200
    assert "method" not in entry and "path" not in entry


def test_djangos_own_handlers_do_not_repeat_the_lines():
    assert logging.getLogger("django").handlers == []
    assert logging.getLogger("django").propagate


# --- Configuration ----------------------------------------------------------


def log_format(**environment):
    env = {"PATH": os.environ["PATH"], "DJANGO_SECRET_KEY": "test", **environment}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from interpol_drugs import settings as s; "
            "print(s.LOGGING['handlers']['console']['formatter'])",
        ],
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "json"),
        ({"DJANGO_DEBUG": "1"}, "text"),
        ({"DJANGO_LOG_FORMAT": "text"}, "text"),
        ({"DJANGO_DEBUG": "1", "DJANGO_LOG_FORMAT": "json"}, "json"),
    ],
)
def test_json_in_production_text_when_debugging(environment, expected):
    assert log_format(**environment).stdout.strip() == expected


def test_an_unknown_log_format_is_refused():
    result = log_format(DJANGO_LOG_FORMAT="xml")

    assert result.returncode != 0
    assert "DJANGO_LOG_FORMAT must be json or text" in result.stderr
