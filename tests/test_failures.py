"""The site when its database or its cache fails."""

import json
import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connections
from django.db.utils import InterfaceError, OperationalError, ProgrammingError
from django.template import loader
from django.test import Client

from programmes.content import version as content_version

from .helpers import checker_or_skip, nu_html_messages

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PUBLIC_URLS = ["/fr/", "/en/", "/fr/programmes/aircop/", "/en/organisations/unodc/"]


def refuse(*args, **kwargs):
    raise OperationalError("connection refused: is the server running?")


@pytest.fixture
def database_down(monkeypatch):
    """The database refuses every query until the fixture ends (or undo())."""
    monkeypatch.setattr(connections["default"], "ensure_connection", refuse)
    return monkeypatch


# --- Database unavailable ---------------------------------------------------


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_pages_answer_503_while_the_database_is_down(
    client, content, database_down, url
):
    response = client.get(url)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "text/html; charset=utf-8"
    page = response.content.decode()
    assert "Service momentanément indisponible" in page
    assert '<div lang="en" dir="ltr">' in page
    assert "Service temporarily unavailable" in page
    assert "Traceback" not in page and "connection refused" not in page
    assert not response.cookies


def test_the_site_recovers_when_the_database_is_back(client, content, database_down):
    assert client.get("/fr/programmes/").status_code == 503

    database_down.undo()

    assert client.get("/fr/programmes/").status_code == 200
    assert client.get("/en/programmes/").status_code == 200


def test_a_dropped_connection_is_a_503_too(client, content, monkeypatch):
    def dropped(*args, **kwargs):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(connections["default"], "ensure_connection", dropped)

    assert client.get("/en/").status_code == 503


def test_a_dropped_connection_before_any_content_version_is_a_503(
    client, content, monkeypatch
):
    # A worker's first request: the page cache must ask the database for the
    # next publication before it can make a content version.
    content_version.version_file().unlink(missing_ok=True)

    def dropped(*args, **kwargs):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(connections["default"], "ensure_connection", dropped)

    assert client.get("/en/").status_code == 503


def test_the_api_says_it_in_json(client, content, database_down):
    response = client.get("/api/v1/programmes/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["error"]["status"] == 503


def test_the_outage_is_logged_once_with_its_cause(
    client, content, database_down, caplog
):
    with caplog.at_level(logging.INFO):
        client.get("/fr/programmes/?token=secret")

    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1
    (error,) = errors
    assert error.name == "django.request"
    assert error.getMessage() == "Database unavailable: /fr/programmes/"
    assert error.status_code == 503
    assert isinstance(error.exc_info[1], OperationalError)


def test_other_database_errors_stay_server_errors(content, monkeypatch):
    """A bug (bad SQL) is not an outage: no Retry-After, no "come back later"."""

    def bad_sql(*args, **kwargs):
        raise ProgrammingError("relation does not exist")

    monkeypatch.setattr(connections["default"], "ensure_connection", bad_sql)
    response = Client(raise_request_exception=False).get("/en/")

    assert response.status_code == 500
    assert "Retry-After" not in response


def test_developers_see_the_debug_page(client, content, database_down, settings):
    settings.DEBUG = True

    with pytest.raises(OperationalError):
        client.get("/en/")


@pytest.mark.slow  # the Nu HTML Checker, in Java
def test_503_page_is_valid_html(tmp_path):
    checker_or_skip()
    (tmp_path / "503.html").write_text(loader.render_to_string("503.html"))

    messages = nu_html_messages(tmp_path / "503.html")
    assert [m["message"] for m in messages] == []


RECOVERY_SCRIPT = """
import os, django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.test import Client

# Static files as in development: this process ran no collectstatic.
settings.STORAGES = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
client = Client()
print(client.get("/en/programmes/").status_code)
os.mkdir(os.environ["DJANGO_DATA_DIR"])
call_command("migrate", verbosity=0)
print(client.get("/en/programmes/").status_code)
"""


def test_a_real_outage_and_recovery_without_a_restart(tmp_path):
    """SQLite cannot open a database in a missing folder; then the folder comes."""
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "interpol_drugs.settings",
        "DJANGO_SECRET_KEY": "test",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_DATA_DIR": str(tmp_path / "missing"),
        "DJANGO_LOG_FORMAT": "json",
    }
    result = subprocess.run(
        [sys.executable, "-c", RECOVERY_SCRIPT],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.stdout.split() == ["503", "200"], result.stderr
    logged = [json.loads(line) for line in result.stderr.splitlines() if "{" in line]
    assert [entry["message"] for entry in logged if entry["level"] == "ERROR"] == [
        "Database unavailable: /en/programmes/"
    ]


# --- Cache unavailable ------------------------------------------------------


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def caches_for(redis_url):
    """CACHES as the settings build them from REDIS_URL, in a fresh process."""
    code = (
        "import json; from interpol_drugs import settings; "
        "print(json.dumps(settings.CACHES))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SECRET_KEY": "test",
            "REDIS_URL": redis_url,
        },
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.fixture
def redis_down(settings):
    """The production cache configuration, pointed at a port nobody listens on."""
    settings.CACHES = caches_for(f"redis://127.0.0.1:{closed_port()}/0")
    assert settings.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"


@pytest.mark.parametrize("url", [*PUBLIC_URLS, "/api/v1/programmes/", "/healthz"])
def test_pages_are_served_while_the_cache_is_down(client, content, redis_down, url):
    assert client.get(url).status_code == 200


def test_readiness_names_the_cache_when_it_is_down(client, content, redis_down):
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "cache": "unavailable",
    }
