"""`make bench`: requests per second and latency of the site, measured with wrk.

Starts the site as `make run` does (gunicorn -c gunicorn.conf.py, DEBUG off,
the data of DJANGO_DATA_DIR), then, for the home page, a programme page and an
organisation page, measures in turns (each round runs every server once):

- app uncached: a second gunicorn with bench.uncached_settings (the site without
  its page cache), so that every request renders the page;
- app cached:   the site's gunicorn, every request a page cache hit;
- cache_page ref: a bare Django app serving the same bytes with cache_page
  (bench/reference.py), every request a hit: the reference for a hit;
- nginx front:  deploy/nginx.conf in front of that gunicorn (micro-cache);
- static limit: the same nginx serving the same bytes as a file.

Then a bounded load (64 connections, the three pages in turn) through the front
and through the application: any error (status 400 or more, socket error,
timeout) fails it. It prints the table and the targets, and exits 1 when one is
missed. It installs nothing: it needs Debian's wrk and nginx-light.

Environment: BENCH_SECONDS (10) per measurement, BENCH_ROUNDS (3),
BENCH_LOAD_SECONDS (60), BENCH_PORT (first of five ports; free ones otherwise).
A quick run: BENCH_SECONDS=1 BENCH_ROUNDS=1 BENCH_LOAD_SECONDS=5 make bench.
GUNICORN_WORKERS and GUNICORN_THREADS apply to both gunicorns.
"""

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from . import servers

ROOT = servers.ROOT
# The commands this needs, and the Debian packages that provide them.
PACKAGES = {"wrk": "wrk", "nginx": "nginx-light"}
CONNECTIONS = 32
LOAD_CONNECTIONS = 64

UNCACHED, CACHED, REFERENCE, FRONT, LIMIT = (
    "app uncached",
    "app cached",
    "cache_page ref",
    "nginx front",
    "static limit",
)
KINDS = (UNCACHED, CACHED, REFERENCE, FRONT, LIMIT)
# The targets, as ratios to the static limit measured in the same run.
MINIMUM_RATIOS = {FRONT: 0.8, CACHED: 0.04, UNCACHED: 0.005}
# And a page cache hit against Django's bare cache_page hit of the same bytes.
MINIMUM_REFERENCE_RATIO = 0.9
MAXIMUM_P99_MS = 50  # at CONNECTIONS connections, for the cached pages
CACHED_KINDS = (CACHED, FRONT)

# Turns the three pages for the bounded load (each wrk thread has its own counter).
ROTATE_LUA = """
local paths = {%s}
local next_path = 0
request = function()
  next_path = next_path %% #paths + 1
  return wrk.format("GET", paths[next_path])
end
"""


# --- wrk's output -----------------------------------------------------------------


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int = 0
    # Answers with a status of 400 or more (wrk: "Non-2xx or 3xx responses").
    bad_statuses: int = 0
    socket_errors: dict = field(default_factory=dict)

    @property
    def errors(self):
        return self.bad_statuses + sum(self.socket_errors.values())


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
DURATION = re.compile(r"([\d.]+)(us|ms|s|m|h)\b")


def to_ms(text):
    """wrk's durations ("850.00us", "1.23ms", "2.01s") in milliseconds."""
    match = DURATION.fullmatch(text.strip())
    if not match:
        raise ValueError(f"Not a wrk duration: {text!r}")
    return float(match[1]) * UNITS_MS[match[2]]


def parse_wrk(output):
    """The figures of `wrk --latency`'s report."""
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    if not (rate and p50 and p99):
        raise ValueError(f"Not a report of wrk --latency:\n{output}")
    requests = re.search(r"^\s+(\d+) requests in", output, re.MULTILINE)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    names = ("connect", "read", "write", "timeout")
    return Result(
        requests_per_second=float(rate[1]),
        p50_ms=to_ms(p50[1]),
        p99_ms=to_ms(p99[1]),
        requests=int(requests[1]) if requests else 0,
        bad_statuses=int(bad[1]) if bad else 0,
        socket_errors=dict(zip(names, map(int, sockets.groups()), strict=True))
        if sockets
        else {},
    )


# --- Ratios and targets -----------------------------------------------------------


def ratio(value, limit):
    return value / limit if limit else 0.0


def median_result(results):
    """The run with the median requests per second (its latencies with it)."""
    ordered = sorted(results, key=lambda result: result.requests_per_second)
    return ordered[(len(ordered) - 1) // 2]


def check_targets(table, load):
    """[(target, passed, measured)] for {page: {kind: Result}} and {kind: Result}."""
    checks = []
    for page, results in table.items():
        limit = results[LIMIT].requests_per_second
        for kind, minimum in MINIMUM_RATIOS.items():
            measured = ratio(results[kind].requests_per_second, limit)
            checks.append(
                (
                    f"{page}: {kind} ≥ {minimum} × static limit",
                    measured >= minimum,
                    f"{measured:.4f}",
                )
            )
        if REFERENCE in results:
            measured = ratio(
                results[CACHED].requests_per_second,
                results[REFERENCE].requests_per_second,
            )
            checks.append(
                (
                    f"{page}: {CACHED} ≥ {MINIMUM_REFERENCE_RATIO} × {REFERENCE}",
                    measured >= MINIMUM_REFERENCE_RATIO,
                    f"{measured:.4f}",
                )
            )
        for kind in CACHED_KINDS:
            p99 = results[kind].p99_ms
            checks.append(
                (
                    f"{page}: {kind} p99 < {MAXIMUM_P99_MS} ms "
                    f"at {CONNECTIONS} connections",
                    p99 < MAXIMUM_P99_MS,
                    f"{p99:.2f} ms",
                )
            )
    for kind, result in load.items():
        detail = f"{result.requests} requests, {result.bad_statuses} bad statuses, " + (
            ", ".join(f"{count} {name}" for name, count in result.socket_errors.items())
            or "no socket error"
        )
        checks.append(
            (f"load through the {kind}: no error", result.errors == 0, detail)
        )
    return checks


def format_table(table, queries):
    header = (
        "page",
        "server",
        "req/s",
        "p50 ms",
        "p99 ms",
        "× limit",
        "× ref",
        "queries",
    )
    rows = [header]
    for page, results in table.items():
        limit = results[LIMIT].requests_per_second
        reference = results.get(REFERENCE)
        for kind in KINDS:
            if kind not in results:
                continue
            result = results[kind]
            against_reference = ""
            if reference and kind in (CACHED, REFERENCE):
                measured = ratio(
                    result.requests_per_second, reference.requests_per_second
                )
                against_reference = f"{measured:.4f}"
            rows.append(
                (
                    page,
                    kind,
                    f"{result.requests_per_second:,.0f}",
                    f"{result.p50_ms:.2f}",
                    f"{result.p99_ms:.2f}",
                    f"{ratio(result.requests_per_second, limit):.4f}",
                    against_reference,
                    str(queries.get(page, {}).get(kind, "")),
                )
            )
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    lines = []
    for number, row in enumerate(rows):
        cells = [
            cell.ljust(width) if column < 2 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("| " + " | ".join(cells) + " |")
        if number == 0:
            lines.append("|" + "|".join("-" * (width + 2) for width in widths) + "|")
    return "\n".join(lines)


def format_checks(checks):
    return "\n".join(
        f"{'PASS' if passed else 'FAIL'}  {target}: {measured}"
        for target, passed, measured in checks
    )


# --- Running ----------------------------------------------------------------------


def say(message):
    print(message, flush=True)


def environment_seconds(name, default):
    value = os.environ.get(name, "").strip() or str(default)
    if not value.isdigit() or int(value) < 1:
        sys.exit(
            f"{name} must be a whole number of seconds (at least 1), not {value!r}."
        )
    return int(value)


def wrk(url, seconds, connections, script=None):
    threads = min(os.cpu_count() or 2, 4, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script:
        command += ["-s", str(script)]
    completed = subprocess.run(
        [*command, url], capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise RuntimeError(f"wrk failed on {url}:\n{completed.stderr}")
    return parse_wrk(completed.stdout)


def count_queries(settings_module):
    completed = subprocess.run(
        [sys.executable, "-m", "bench.queries"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": settings_module},
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        sys.exit(f"Could not count the queries:\n{completed.stderr[-2000:]}")
    return json.loads(completed.stdout)


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers, response.read()


def data_dir():
    return Path(os.environ.get("DJANGO_DATA_DIR") or ROOT / "var")


def ports():
    if base := os.environ.get("BENCH_PORT", "").strip():
        return [int(base) + offset for offset in range(5)]
    return [servers.free_port() for _port in range(5)]


def stop_on_signal(number, _frame):
    raise SystemExit(f"Stopped ({signal.Signals(number).name}).")


def main():
    missing = servers.missing_commands(*PACKAGES)
    if missing:
        names = " ".join(PACKAGES[command] for command in missing)
        sys.exit(
            f"The benchmark needs {', '.join(missing)}, missing here. "
            f"Install them (Debian): apt-get install {names}"
        )
    seconds = environment_seconds("BENCH_SECONDS", 10)
    rounds = environment_seconds("BENCH_ROUNDS", 3)
    load_seconds = environment_seconds("BENCH_LOAD_SECONDS", 60)
    data = data_dir()
    if not (data / "static" / "staticfiles.json").is_file():
        sys.exit(
            f"No collected static files in {data / 'static'}: run `make bench`, "
            "which collects them first."
        )

    say("==> Counting the queries of each page (Django's test client)")
    uncached_queries = count_queries("bench.uncached_settings")
    cached_queries = count_queries("interpol_drugs.settings")
    pages = {name: page["path"] for name, page in uncached_queries.items()}
    queries = {
        name: {
            UNCACHED: uncached_queries[name]["queries"][0],
            CACHED: cached_queries[name]["queries"][1],
            REFERENCE: 0,
            FRONT: 0,
            LIMIT: "",
        }
        for name in pages
    }

    # Whatever ends the run stops the servers first (see measure's caller).
    # Ctrl+C too, even when started where SIGINT was ignored (a background job).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, stop_on_signal)
    signal.signal(signal.SIGHUP, stop_on_signal)
    processes = []
    with tempfile.TemporaryDirectory(prefix="bench-") as temporary:
        temporary = Path(temporary)
        try:
            table, load = measure(
                temporary, data, pages, processes, seconds, rounds, load_seconds
            )
        finally:
            say("==> Stopping the servers")
            for process in reversed(processes):
                servers.stop(process)

    say("")
    say(f"Pages: {', '.join(f'{name} {path}' for name, path in pages.items())}")
    say(
        f"{CONNECTIONS} connections, {seconds} s per measurement, median of "
        f"{rounds} round(s); queries: of one uncached render, of a cache hit."
    )
    say(format_table(table, queries))
    say("")
    checks = check_targets(table, load)
    say(format_checks(checks))
    failed = [target for target, passed, _measured in checks if not passed]
    say(
        f"{len(checks) - len(failed)} of {len(checks)} targets met."
        + (" The figures are noisy on a busy machine." if failed else "")
    )
    return 1 if failed else 0


def measure(temporary, data, pages, processes, seconds, rounds, load_seconds):
    app_port, uncached_port, front_port, limit_port, reference_port = ports()
    say(
        f"==> Starting gunicorn (port {app_port}), gunicorn without its page "
        f"cache ({uncached_port}) and the cache_page reference ({reference_port})"
    )
    logs = temporary / "logs"
    logs.mkdir()
    # The static limit's files; the reference serves the same.
    limit_root = temporary / "limit"
    limit_root.mkdir()
    for port, name, extra in (
        (app_port, "app", {}),
        (
            uncached_port,
            "uncached",
            {"DJANGO_SETTINGS_MODULE": "bench.uncached_settings"},
        ),
        (
            reference_port,
            "reference",
            {
                "DJANGO_SETTINGS_MODULE": "bench.reference",
                "BENCH_REFERENCE_ROOT": str(limit_root),
            },
        ),
    ):
        with open(logs / f"{name}.log", "wb") as log:
            processes.append(servers.start_gunicorn(port, log, **extra))
        if not servers.wait_for_port(port, processes[-1], timeout=60):
            tail = (logs / f"{name}.log").read_text(errors="replace")[-3000:]
            sys.exit(f"gunicorn ({name}) did not start:\n{tail}")

    servers.wait_until_idle(processes)
    app = f"http://127.0.0.1:{app_port}"

    say(
        f"==> Starting nginx: the front (port {front_port}) and the static limit "
        f"({limit_port})"
    )
    limit_server = (
        f"    server {{ listen 127.0.0.1:{limit_port}; root {limit_root}; }}\n"
    )
    config = servers.write_nginx(
        temporary / "nginx",
        servers.front_values(front_port, app_port, data, temporary / "nginx-cache"),
        extra_servers=limit_server,
    )
    checked = servers.check_config(config)
    if checked.returncode != 0:
        sys.exit(f"nginx -t refused the configuration:\n{checked.stderr}")
    processes.append(servers.start_nginx(config))
    for port in (front_port, limit_port):
        if not servers.wait_for_port(port, processes[-1], timeout=10):
            log = (temporary / "nginx" / "error.log").read_text(errors="replace")
            sys.exit(f"nginx did not start:\n{log}")

    urls = {
        name: {
            UNCACHED: f"http://127.0.0.1:{uncached_port}{path}",
            CACHED: f"{app}{path}",
            REFERENCE: f"http://127.0.0.1:{reference_port}/{name}.html",
            FRONT: f"http://127.0.0.1:{front_port}{path}",
            LIMIT: f"http://127.0.0.1:{limit_port}/{name}.html",
        }
        for name, path in pages.items()
    }
    # The static limit serves the very page the front serves. Pages hold
    # absolute links, so each server's copy names its own port: apart from that,
    # the same bytes everywhere, or the comparison means nothing.
    for name, by_kind in urls.items():
        (limit_root / f"{name}.html").write_bytes(fetch(by_kind[FRONT])[2])
        bodies = {
            kind: re.sub(rb"127\.0\.0\.1:\d+", b"HOST", fetch(url)[2])
            for kind, url in by_kind.items()
        }
        if len(set(bodies.values())) != 1:
            sizes = ", ".join(f"{kind} {len(body)}" for kind, body in bodies.items())
            sys.exit(f"The {name} page differs between the servers ({sizes} bytes).")

    say("==> Warming up (1 s each)")
    for by_kind in urls.values():
        for url in by_kind.values():
            wrk(url, 1, CONNECTIONS)

    runs = {name: {kind: [] for kind in KINDS} for name in pages}
    for number in range(1, rounds + 1):
        say(f"==> Round {number} of {rounds}: {len(pages) * len(KINDS)} × {seconds} s")
        for name, by_kind in urls.items():
            for kind, url in by_kind.items():
                result = wrk(url, seconds, CONNECTIONS)
                runs[name][kind].append(result)
                say(
                    f"    {name:<13} {kind:<13} "
                    f"{result.requests_per_second:>10,.0f} req/s  "
                    f"p99 {result.p99_ms:.2f} ms"
                )
    table = {
        name: {kind: median_result(results) for kind, results in by_kind.items()}
        for name, by_kind in runs.items()
    }

    script = temporary / "rotate.lua"
    script.write_text(ROTATE_LUA % ", ".join(json.dumps(p) for p in pages.values()))
    load = {}
    for kind, base in ((FRONT, f"http://127.0.0.1:{front_port}"), (CACHED, app)):
        say(
            f"==> Load: {LOAD_CONNECTIONS} connections for {load_seconds} s "
            f"through the {kind}"
        )
        load[kind] = wrk(base + "/", load_seconds, LOAD_CONNECTIONS, script=script)
        say(
            f"    {load[kind].requests_per_second:,.0f} req/s, p99 "
            f"{load[kind].p99_ms:.2f} ms, {load[kind].errors} errors"
        )
    return table, load


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit("Interrupted: every server started has been stopped.")
    except RuntimeError as error:  # wrk failed: the servers are stopped too
        sys.exit(str(error))
