"""The home page's latency while anonymous sign-in attempts flood the admin.

`.venv/bin/python -m bench.signin_flood`: prepares a throwaway data folder
(migrate, load_content, collectstatic: SQLite, as `make run` without
DATABASE_URL), starts gunicorn as `make run` does (bench/servers.py), then for
BENCH_FLOOD_SECONDS (30) sends BENCH_FLOOD_RATE (6) sign-in attempts a second,
each with a new random account name (django-axes' lock per name never trips),
while BENCH_FLOOD_READERS (2) visitors load the home page one request after
another. It prints the home page's p50 and p99, quiet and during the flood,
and the answers by status ("no answer": none within 60 s); it exits 1 when any
request got a 5xx.
GUNICORN_WORKERS and GUNICORN_THREADS apply as to `make run`.
"""

import http.client
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from . import servers
from .run import environment_seconds, say

HOME = "/fr/"
LOGIN = (
    "/" + os.environ.get("DJANGO_ADMIN_PATH", "admin").strip().strip("/") + "/login/"
)
# A connection refused, dropped or unanswered within the timeout.
NO_ANSWER = 599
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Answers:
    """Statuses and latencies (seconds) of one kind of request, from threads."""

    statuses: Counter = field(default_factory=Counter)
    latencies: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, status, seconds):
        with self.lock:
            self.statuses[status] += 1
            self.latencies.append(seconds)

    @property
    def server_errors(self):
        return sum(
            n for status, n in self.statuses.items() if 500 <= status != NO_ANSWER
        )

    def percentile_ms(self, percent):
        if len(self.latencies) < 2:
            return 1000 * sum(self.latencies)
        return 1000 * statistics.quantiles(self.latencies, n=100)[percent - 1]


def request(port, method, path, body=None, headers=None):
    """(status, headers, body, seconds); NO_ANSWER when there was none."""
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        answer = response.status, response.headers, response.read()
    except OSError:
        answer = NO_ANSWER, {}, b""
    finally:
        connection.close()
    return (*answer, time.perf_counter() - start)


def sign_in_form(port):
    """The CSRF cookie and token a browser gets with the sign-in page."""
    status, headers, body, _seconds = request(port, "GET", LOGIN)
    cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", ""))
    token = TOKEN.search(body)
    if status != 200 or not (cookie and token):
        raise RuntimeError(f"No sign-in form at {LOGIN} (status {status})")
    return cookie[1], token[1].decode()


def attempt_sign_in(port, cookie, token, answers):
    body = urlencode(
        {
            "csrfmiddlewaretoken": token,
            "username": f"flood-{secrets.token_hex(6)}",
            "password": secrets.token_urlsafe(12),
            "next": "/admin/",
        }
    )
    status, _headers, _body, seconds = request(
        port,
        "POST",
        LOGIN,
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie}",
        },
    )
    answers.add(status, seconds)


def flood(port, rate, seconds, answers, stop=None):
    """`rate` sign-in attempts a second for `seconds`, on schedule whatever the
    answers' delay (an attacker does not wait)."""
    cookie, token = sign_in_form(port)
    stop = stop or threading.Event()
    with ThreadPoolExecutor(max_workers=64) as pool:
        start = time.monotonic()
        for number in range(int(rate * seconds)):
            delay = start + number / rate - time.monotonic()
            if stop.wait(max(0, delay)):
                break
            pool.submit(attempt_sign_in, port, cookie, token, answers)


def load_page(port, path, answers, stop):
    """One visitor loading `path` again and again until `stop` is set."""
    while not stop.is_set():
        status, _headers, _body, seconds = request(port, "GET", path)
        answers.add(status, seconds)


def read_pages(port, readers, seconds, path=HOME):
    answers = Answers()
    stop = threading.Event()
    threads = [
        threading.Thread(target=load_page, args=(port, path, answers, stop))
        for _reader in range(readers)
    ]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    return answers


def prepare_data(data):
    """A data folder with the site's content and collected static files."""
    environment = {**os.environ, "DJANGO_DATA_DIR": str(data)}
    environment.pop("DATABASE_URL", None)
    for command in (
        ["migrate", "--no-input"],
        ["load_content"],
        ["sync_roles"],
        ["collectstatic", "--no-input"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command, "--verbosity", "0"],
            cwd=servers.ROOT,
            env=environment,
            check=True,
            capture_output=True,
        )


def start_site(data, log):
    """gunicorn on a free port with `data`; returns (process, port)."""
    port = servers.free_port()
    process = servers.start_gunicorn(
        port, log, DJANGO_DATA_DIR=str(data), DJANGO_LOG_LEVEL="ERROR"
    )
    if not servers.wait_for_port(port, process, timeout=60):
        servers.stop(process)
        raise RuntimeError("gunicorn did not start")
    servers.wait_until_idle([process])
    return process, port


def during_flood(port, rate, seconds, readers):
    """(home page answers, sign-in answers) while the flood runs."""
    attempts = Answers()
    flooding = threading.Thread(target=flood, args=(port, rate, seconds, attempts))
    flooding.start()
    pages = read_pages(port, readers, seconds)
    flooding.join()
    return pages, attempts


def describe(name, answers):
    statuses = ", ".join(
        f"{n} × {'no answer' if s == NO_ANSWER else s}"
        for s, n in sorted(answers.statuses.items())
    )
    return (
        f"{name:<22} {len(answers.latencies):>6} requests  "
        f"p50 {answers.percentile_ms(50):8.1f} ms  "
        f"p99 {answers.percentile_ms(99):8.1f} ms  ({statuses})"
    )


def main():
    seconds = environment_seconds("BENCH_FLOOD_SECONDS", 30)
    rate = environment_seconds("BENCH_FLOOD_RATE", 6)
    readers = environment_seconds("BENCH_FLOOD_READERS", 2)
    with tempfile.TemporaryDirectory(prefix="bench-flood-") as temporary:
        data = Path(temporary) / "data"
        say("==> Preparing a data folder (migrate, load_content, collectstatic)")
        prepare_data(data)
        with open(Path(temporary) / "gunicorn.log", "wb") as log:
            say("==> Starting gunicorn")
            process, port = start_site(data, log)
            try:
                request(port, "GET", HOME)  # into the page cache
                say(f"==> Home page alone, {readers} visitors, {seconds} s")
                quiet = read_pages(port, readers, seconds)
                say(
                    f"==> The same during {rate} sign-in attempts a second "
                    "with random account names"
                )
                pages, attempts = during_flood(port, rate, seconds, readers)
            finally:
                servers.stop(process)
    say("")
    say(describe("home page, quiet", quiet))
    say(describe("home page, flood", pages))
    say(describe("sign-in attempts", attempts))
    errors = quiet.server_errors + pages.server_errors + attempts.server_errors
    say(f"5xx answers: {errors}")
    return 1 if errors else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit("Interrupted: gunicorn has been stopped.")
