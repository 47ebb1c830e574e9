"""Several application servers: one PostgreSQL, one Redis, nothing else shared.

Two gunicorn servers with DEBUG off, each with a data folder of its own
(DJANGO_DATA_DIR: no shared disk), share the test database and the Redis at
REDIS_URL. A page cached by one is fresh there as soon as an editor saves
through the other: the content version lives in Redis (interpol_drugs/
page_cache.py). docs/operations.md describes such a deployment.

Needs DATABASE_URL pointing at PostgreSQL and REDIS_URL: CI's PostgreSQL run
sets both (.ci/run); elsewhere the test is skipped, saying so.
"""

import http.cookiejar
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connection
from django.urls import reverse
from django.utils import translation
from django.utils.module_loading import import_string

from programmes.models import Programme

from .factories import make_programme
from .hostile import form_data

# Slow (starts two application servers): make test-fast leaves it out.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a long test password"


def test_sessions_are_kept_in_the_database():
    # Any server reads a session another one started: nothing is kept in a
    # process's memory or on its disk.
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")

    assert issubclass(store, DatabaseSessionStore)


# --- Two real servers ----------------------------------------------------------


@pytest.fixture
def redis_and_postgresql():
    """REDIS_URL, when DATABASE_URL is PostgreSQL too; otherwise a skip."""
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if database_url.startswith(("postgres://", "postgresql://")) and redis_url:
        return redis_url
    message = (
        "needs DATABASE_URL=postgres://… and REDIS_URL: CI's PostgreSQL run "
        "sets both (.ci/run shows how to start throwaway servers)"
    )
    if os.environ.get("CI") and database_url:
        pytest.fail(message)
    pytest.skip(message)


def database_address():
    """The test database, as a DATABASE_URL for the servers."""
    values = connection.settings_dict
    user = urllib.parse.quote(values["USER"] or "", safe="")
    if values["PASSWORD"]:
        user += ":" + urllib.parse.quote(values["PASSWORD"], safe="")
    host = values["HOST"] or "localhost"
    return f"postgres://{user}@{host}:{values['PORT'] or 5432}/{values['NAME']}"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """HTTP to one server, keeping its cookies (the admin's session, CSRF)."""

    def __init__(self, url):
        self.url = url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def open(self, path, data=None):
        """(status, final address, body), redirects followed."""
        body = urllib.parse.urlencode(data, doseq=True).encode() if data else None
        try:
            with self.opener.open(self.url + path, body, timeout=10) as response:
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.geturl(), error.read().decode()

    def submit(self, path, form_id, **changes):
        """Sends the form `form_id` of the page at `path`, as a browser would."""
        _status, _address, page = self.open(path)
        fields = form_data(SimpleNamespace(content=page.encode()), form_id)
        return self.open(path, fields | changes)


class Server:
    """`gunicorn -c gunicorn.conf.py`, as make run starts it."""

    def __init__(self, name, folder, environment):
        self.name = name
        self.log = folder / f"{name}.log"
        port = free_port()
        data_dir = folder / name
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [
                    str(Path(sys.executable).with_name("gunicorn")),
                    "-c",
                    "gunicorn.conf.py",
                ],
                cwd=ROOT,
                env={
                    **environment,
                    "PORT": str(port),
                    "DJANGO_DATA_DIR": str(data_dir),
                    "HOME": str(data_dir),
                },
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.browser = Browser(f"http://127.0.0.1:{port}")

    def wait_until_ready(self):
        deadline = time.monotonic() + 30
        while self.process.poll() is None and time.monotonic() < deadline:
            try:
                if self.browser.open("/readyz")[0] == 200:
                    return
            except OSError:
                pass  # not listening yet
            time.sleep(0.2)
        self.stop()
        pytest.fail(f"server {self.name} did not start:\n{self.log.read_text()}")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def two_servers(redis_and_postgresql, transactional_db, tmp_path):
    environment = {
        "PATH": os.environ["PATH"],
        # What every server of a site shares (docs/operations.md).
        "DJANGO_SECRET_KEY": "two-servers-test-secret",
        "DATABASE_URL": database_address(),
        "REDIS_URL": redis_and_postgresql,
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_LOG_LEVEL": "WARNING",
        "GUNICORN_WORKERS": "1",
        # The editor below signs in with a password alone.
        "DJANGO_ADMIN_REQUIRE_2FA": "0",
    }
    # Hashed static files, as a deployment collects them on each server.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=environment | {"DJANGO_DATA_DIR": str(tmp_path / "a")},
        check=True,
    )
    shutil.copytree(tmp_path / "a" / "static", tmp_path / "b" / "static")
    servers = [Server(name, tmp_path, environment) for name in ("a", "b")]
    try:
        for server in servers:
            server.wait_until_ready()
        yield [server.browser for server in servers]
    finally:
        for server in servers:
            server.stop()


def test_an_edit_through_one_server_is_served_fresh_by_the_other(two_servers):
    server_a, server_b = two_servers
    programme = make_programme(name_fr="Nom d’avant", name_en="Former name")
    User.objects.create_superuser("chief", "chief@example.org", PASSWORD)
    with translation.override("en"):
        page = programme.get_absolute_url()

    status, _address, before = server_b.open(page)
    assert status == 200 and "Former name" in before
    # Changed without telling the cache (no signal): B keeps serving its copy.
    Programme.objects.filter(pk=programme.pk).update(name_en="Changed unseen")
    assert server_b.open(page)[2] == before

    # An editor saves the programme through server A's admin.
    login = reverse("admin:login")
    status, address, _body = server_a.submit(
        f"{login}?next=/admin/", "login-form", username="chief", password=PASSWORD
    )
    assert (status, urllib.parse.urlsplit(address).path) == (200, "/admin/")
    change = reverse("admin:programmes_programme_change", args=[programme.pk])
    status, address, _body = server_a.submit(
        change, "programme_form", name_fr="Nom d’après", name_en="Latter name"
    )
    assert status == 200 and not address.endswith(change), "the save was refused"

    status, _address, after = server_b.open(page)
    assert status == 200
    assert "Latter name" in after
    assert "Former name" not in after and "Changed unseen" not in after
