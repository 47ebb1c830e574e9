"""gunicorn.conf.py: its values, and a real gunicorn started and stopped with it."""

import http.client
import json
import os
import runpy
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from gunicorn.config import Config

# Slow (starts gunicorn): make test-fast leaves it out.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "gunicorn.conf.py"
GUNICORN = Path(sys.executable).with_name("gunicorn")


def load_config(monkeypatch, **environment):
    for name in ("PORT", "GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def gunicorn_settings(namespace):
    """The names gunicorn reads from the file (everything else is a helper)."""
    known = Config().settings
    return {name: value for name, value in namespace.items() if name in known}


def test_every_setting_is_one_gunicorn_knows(monkeypatch):
    namespace = load_config(monkeypatch)
    ours = {
        name
        for name, value in namespace.items()
        if name.islower()
        and not name.startswith("_")
        and not callable(value)
        and name not in {"os", "glogging"}
    }

    assert ours <= set(Config().settings)


def test_workers_follow_the_cores_with_a_cap(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert load_config(monkeypatch)["workers"] == 5
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    assert load_config(monkeypatch)["workers"] == 12
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert load_config(monkeypatch)["workers"] == 3


def test_the_environment_overrides_workers_threads_and_port(monkeypatch):
    namespace = load_config(
        monkeypatch, GUNICORN_WORKERS="2", GUNICORN_THREADS="4", PORT="9123"
    )

    assert namespace["workers"] == 2
    assert namespace["threads"] == 4
    assert namespace["bind"] == ["127.0.0.1:9123"]
    assert load_config(monkeypatch, GUNICORN_BIND="0.0.0.0:80")["bind"] == [
        "0.0.0.0:80"
    ]


def test_the_values(monkeypatch):
    namespace = load_config(monkeypatch)
    config = Config()
    for name, value in gunicorn_settings(namespace).items():
        config.set(name, value)  # gunicorn's own validation

    assert config.bind == ["127.0.0.1:8000"]
    assert config.threads == 1
    assert config.timeout == 40 and config.graceful_timeout == 20
    assert config.keepalive == 5
    assert config.max_requests == 50_000 and config.max_requests_jitter == 5_000
    # What the API's description states (settings.REQUEST_LINE_LIMIT).
    assert config.limit_request_line == settings.REQUEST_LINE_LIMIT == 4094
    assert config.limit_request_fields == 50
    assert config.limit_request_field_size == 8190
    assert config.settings["control_socket_disable"].get() is True
    assert config.settings["wsgi_app"].get() == "interpol_drugs.wsgi:application"
    assert config.accesslog == "-"
    assert "%({x-request-id}o)s" in config.access_log_format
    # No query string (tokens), client address, referrer or user agent.
    for atom in ("%(r)s", "%(q)s", "%(h)s", "%(f)s", "%(a)s"):
        assert atom not in config.access_log_format


def test_the_access_log_escapes_line_breaks_in_paths(monkeypatch):
    logger_class = load_config(monkeypatch)["logger_class"]
    config = Config()
    logger = logger_class(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/fr/%0Afake",
        "PATH_INFO": "/fr/\nfake",
        "SERVER_PROTOCOL": "HTTP/1.1",
    }

    class Response:
        status = "404 Not Found"
        headers = [("X-Request-ID", "abc")]
        sent = 0

    class Elapsed:
        seconds = 0
        microseconds = 1000

    atoms = logger.atoms(Response(), [], environ, Elapsed())

    assert atoms["U"] == "/fr/\\nfake"
    assert atoms["{x-request-id}o"] == "abc"


# --- A real gunicorn --------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, dict(response.headers), response.read()


@pytest.fixture
def server(tmp_path):
    port = free_port()
    environment = {
        "PATH": os.environ["PATH"],
        # Where gunicorn would put its control socket if it opened one.
        "HOME": str(tmp_path / "home"),
        "PORT": str(port),
        "GUNICORN_WORKERS": "1",
        "DJANGO_SECRET_KEY": "test",
        "DJANGO_DATA_DIR": str(tmp_path / "data"),
        "DJANGO_LOG_FORMAT": "json",
    }
    (tmp_path / "home").mkdir()
    (tmp_path / "data").mkdir()
    process = subprocess.Popen(
        [str(GUNICORN), "-c", str(CONFIG)],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            get(url + "/healthz")
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("gunicorn did not start:\n" + process.communicate()[0])
            time.sleep(0.1)
    yield process, url, tmp_path / "home"
    if process.poll() is None:
        process.kill()
        process.wait()


def test_gunicorn_serves_the_probes_and_stops_gracefully(server):
    process, url, home = server

    status, headers, body = get(url + "/healthz")
    assert status == 200 and json.loads(body) == {"status": "ok"}
    request_id = headers["X-Request-ID"]
    status, _headers, body = get(url + "/readyz")
    assert status == 200 and json.loads(body)["database"] == "ok"

    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    output = process.communicate(timeout=10)[0]

    assert process.returncode == 0
    assert time.monotonic() - started < 5
    assert "Shutting down: Master" in output
    assert '"GET /healthz HTTP/1.1" 200 16' in output
    assert f"request_id={request_id}" in output
    assert list(home.iterdir()) == []  # no ~/.gunicorn control socket


def test_gunicorn_refuses_an_overlong_request_line(server):
    _process, url, _home = server

    with pytest.raises(urllib.error.HTTPError) as refused:
        get(url + "/fr/" + "a" * 5000)

    assert refused.value.code == 414  # URI Too Long


def test_gunicorn_and_nginx_draw_the_request_line_at_the_same_length(server):
    # deploy/nginx.conf refuses one byte more too (tests/test_nginx.py).
    _process, url, _home = server
    limit = settings.REQUEST_LINE_LIMIT
    start = "/healthz?q="

    def status(length):
        path = start + "x" * (length - len(f"GET {start} HTTP/1.1"))
        connection = http.client.HTTPConnection(urlsplit(url).netloc, timeout=5)
        try:
            connection.request("GET", path)
            return connection.getresponse().status
        finally:
            connection.close()

    assert status(limit) == 200
    assert status(limit + 1) == 414
