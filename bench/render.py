"""CPU time of one uncached render, in this process: `make bench-render`.

wrk's figures (bench/run.py) move with everything else the machine runs; the
CPU time a render takes in one process moves much less, so this is the figure
to compare before and after a change to a page (run it on both checkouts, in
turns). Without the page cache (bench.uncached_settings), through Django's test
client: middleware, view, queries, templates; no network, no gunicorn.

    python -m bench.render [PATH ...]   (default: home, every published
                                         programme, in French and English)

Prints, per page, the median and the minimum over BENCH_RENDER_ROUNDS (7) rounds
of BENCH_RENDER_REQUESTS (100) requests, in milliseconds of CPU per request.
"""

import logging
import os
import statistics
import sys
import time

import django


def measure(client, path, requests, rounds):
    """(median, minimum) milliseconds of CPU per request for `path`."""
    response = client.get(path)
    if response.status_code != 200:
        raise ValueError(f"{path} answers {response.status_code}, not 200")
    for _ in range(max(requests // 4, 1)):  # warm caches of compiled templates
        client.get(path)
    per_round = []
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(requests):
            client.get(path)
        per_round.append((time.process_time() - start) * 1000 / requests)
    return statistics.median(per_round), min(per_round)


def default_paths():
    from django.utils import translation

    from programmes.models import Programme

    paths = []
    for language in ("fr", "en"):
        with translation.override(language):
            paths.append(f"/{language}/")
            paths += [p.get_absolute_url() for p in Programme.objects.published()]
    return paths


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.uncached_settings")
    django.setup()
    logging.disable(logging.WARNING)  # one line per request otherwise
    from django.test import Client

    requests = int(os.environ.get("BENCH_RENDER_REQUESTS", "100"))
    rounds = int(os.environ.get("BENCH_RENDER_ROUNDS", "7"))
    paths = (argv if argv is not None else sys.argv[1:]) or default_paths()
    client = Client(HTTP_HOST="127.0.0.1")
    print(f"==> CPU per uncached render: {rounds} rounds of {requests} requests")
    medians = []
    for path in paths:
        try:
            median, minimum = measure(client, path, requests, rounds)
        except ValueError as error:
            sys.exit(
                f"{error}: give addresses of published pages (make setup loads them)."
            )
        medians.append(median)
        print(f"{path:45} median {median:6.2f} ms   min {minimum:6.2f} ms")
    print(
        f"{len(paths)} pages, median of medians {statistics.median(medians):.2f} ms CPU"
    )


if __name__ == "__main__":
    main()
