"""gunicorn's settings for the site: `gunicorn -c gunicorn.conf.py` (make run).

Environment: PORT (8000), GUNICORN_BIND (127.0.0.1:$PORT), GUNICORN_WORKERS,
GUNICORN_THREADS. See https://docs.gunicorn.org/en/stable/settings.html
"""

import os

from gunicorn import glogging

wsgi_app = "interpol_drugs.wsgi:application"
proc_name = "interpol_drugs"

# Behind the proxy on the same machine; GUNICORN_BIND=0.0.0.0:8000 in a container.
bind = [os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")]

# Processes rather than threads: pages are rendered in Python, so threads of
# one process would wait on each other (the GIL). 2 × cores + 1 is gunicorn's
# rule of thumb; the cap keeps a large machine from exhausting the memory (each
# worker holds Django) and the database's connections (one per worker).
# Measured with wrk (2 cores, 32 connections, a shared and noisy machine, 3
# runs; bench/run.py's servers), sync × 5 against gthread 3 workers × 4 threads:
# the same CPU per request (cache hit 0.50 ms, render 4.4 ms home / 7 ms
# programme page); gthread serves 5–15 % more cache hits (3,700–4,000/s against
# 3,300–3,500/s: wrk's connections are kept alive), renders as many (home
# 475/s against 430/s), but its p99 is two to three times longer (cache hits
# 25–40 ms against 12–17 ms; renders 150–260 ms against 115 ms). nginx in front
# buffers slow clients, the sync worker's weakness: sync it is.
MAX_WORKERS = 12
workers = int(
    os.environ.get("GUNICORN_WORKERS", min(2 * (os.cpu_count() or 1) + 1, MAX_WORKERS))
)
# GUNICORN_THREADS above 1 switches to the gthread worker (each thread holds
# its own database connection).
threads = int(os.environ.get("GUNICORN_THREADS", 1))

# A request running longer than this is stuck: its worker is killed and
# replaced. Longer than the PostgreSQL statement timeout (30 s by default, see
# settings), so that a slow query ends first, with a logged database error.
timeout = 40
# On SIGTERM (deploy, restart) workers finish the requests in progress.
graceful_timeout = 20
# Seconds to keep an idle connection from the proxy open (gthread worker).
keepalive = 5
# Recycle each worker after about this many requests, at staggered times,
# so that a slow memory leak never grows and workers never restart together.
# Not too often: a new worker loads Django again (0.35 s of CPU) and starts with
# an empty page cache (without Redis). At 1,000 a cache hit cost 1.3 ms of CPU
# instead of 0.5 ms and its p99 reached a second under wrk; at 10,000 or more,
# no difference.
max_requests = 50_000
max_requests_jitter = 5_000

# Request size limits, refused with 400 before Django sees them: the request
# line (method, path and query: long enough for any of the site's addresses),
# the number of headers and the size of each.
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190

# The workers' heartbeat files in memory: a slow or full disk must not make
# gunicorn believe a worker hangs.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# gunicorn 25+ opens a control socket in $HOME/.gunicorn by default; nothing
# here uses it (gunicornc), and CI must not write into the home folder.
control_socket_disable = True


class AccessLogger(glogging.Logger):
    """Escapes control characters in the path: %0A must not forge a log line."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        if isinstance(atoms.get("U"), str):
            atoms["U"] = atoms["U"].encode("unicode_escape").decode("ascii")
        return atoms


logger_class = AccessLogger
# Access and error logs on standard output and error, one line per request.
# The path without its query string (it may carry a token), no client address,
# referrer or user agent (personal data); the request id that Django's log
# lines carry too (X-Request-ID, interpol_drugs/middleware.py).
accesslog = "-"
errorlog = "-"
access_log_format = (
    '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s'
)
