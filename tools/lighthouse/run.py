"""Lighthouse 12 on every public page type, mobile and desktop, both languages.

Usage:

    npm ci --prefix tools/lighthouse
    make setup && .venv/bin/python manage.py collectstatic --no-input
    .venv/bin/python tools/lighthouse/run.py --serve --runs 5
    .venv/bin/python tools/lighthouse/run.py http://127.0.0.1:8000 [page type...]

`--serve` starts the site as in production: gunicorn as `make run` does and
nginx from deploy/nginx.conf in front of it (compression, static files with
their caching headers), both on free ports, stopped at the end; otherwise give
the address of a running site (DEBUG off).

Each page is audited `--runs` times (default 3); the table shows the median of
each category and, for performance, the lowest and highest run, so the noise of
a shared machine shows. Writes the last report of each page to
test-artifacts/lighthouse/ and exits 1 if a median is under 100, except the
search page's SEO: it is noindex on purpose. Lighthouse 13 needs Node 22; 12
runs on the Node 20 of Debian 12. Chromium is Debian's (CHROME_PATH, default
/usr/bin/chromium).
"""

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIGHTHOUSE = ROOT / "tools/lighthouse/node_modules/.bin/lighthouse"
REPORTS = ROOT / "test-artifacts/lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)
# One address per page type and language (the content of `load_content`).
PAGES = {
    "home": ["/fr/", "/en/"],
    "programme list": ["/fr/programmes/", "/en/programmes/"],
    "programme": ["/fr/programmes/aircop/", "/en/programmes/aircop/"],
    "organisation list": ["/fr/organisations/", "/en/organisations/"],
    "organisation": ["/fr/organisations/onudc/", "/en/organisations/unodc/"],
    "region list": ["/fr/regions/", "/en/regions/"],
    "region": ["/fr/regions/caraibes/", "/en/regions/caribbean/"],
    "country list": ["/fr/pays/", "/en/countries/"],
    "country": ["/fr/pays/gh/", "/en/countries/gh/"],
    "search": ["/fr/recherche/?q=douane", "/en/search/?q=customs"],
}
# Kept out of search engines on purpose (noindex): SEO cannot be 100.
EXCEPTIONS = {("search", "seo")}
# The metrics behind the performance score, shown for the worst run.
METRICS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "speed-index": "SI",
}


def audit(url, form_factor, output):
    command = [
        str(LIGHTHOUSE),
        url,
        f"--chrome-flags={CHROME_FLAGS}",
        "--output=json",
        f"--output-path={output}",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    environment = {
        **os.environ,
        "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium"),
    }
    # Chromium sometimes fails to start on a loaded machine: one more try.
    if subprocess.run(command, env=environment, timeout=180).returncode:
        subprocess.run(command, check=True, env=environment, timeout=180)
    report = json.loads(output.read_text())
    scores = {
        name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES
    }
    failing = [
        audit_id
        for audit_id, result in report["audits"].items()
        if result.get("score") is not None
        and result["score"] < 1
        and result.get("scoreDisplayMode") in ("binary", "metricSavings")
    ]
    metrics = {
        short: report["audits"][audit_id].get("displayValue", "")
        for audit_id, short in METRICS.items()
    }
    return scores, failing, metrics


@contextlib.contextmanager
def production_site():
    """gunicorn and nginx (deploy/nginx.conf) on free ports; yields nginx's address."""
    sys.path.insert(0, str(ROOT))
    from bench import servers  # noqa: PLC0415 (the project's root, added above)

    data = Path(os.environ.get("DJANGO_DATA_DIR") or ROOT / "var")
    if not (data / "static" / "staticfiles.json").is_file():
        sys.exit(
            f"No collected static files in {data / 'static'}: collectstatic first."
        )
    processes = []
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as temporary:
        temporary = Path(temporary)
        app_port, front_port = servers.free_port(), servers.free_port()
        try:
            with open(temporary / "gunicorn.log", "wb") as log:
                processes.append(servers.start_gunicorn(app_port, log))
            if not servers.wait_for_port(app_port, processes[-1], timeout=60):
                sys.exit((temporary / "gunicorn.log").read_text(errors="replace"))
            servers.wait_until_idle(processes)
            config = servers.write_nginx(
                temporary / "nginx",
                servers.front_values(
                    front_port, app_port, data, temporary / "nginx-cache"
                ),
            )
            processes.append(servers.start_nginx(config))
            if not servers.wait_for_port(front_port, processes[-1], timeout=10):
                sys.exit((temporary / "nginx" / "error.log").read_text())
            yield f"http://127.0.0.1:{front_port}"
        finally:
            for process in reversed(processes):
                servers.stop(process)


def median_scores(runs):
    return {
        name: round(statistics.median(scores[name] for scores in runs))
        for name in CATEGORIES
    }


def measure(base_url, only, runs):
    REPORTS.mkdir(parents=True, exist_ok=True)
    below = []
    print(
        f"{'page':<18} {'address':<26} {'form':<8} "
        + " ".join(f"{c[:4]:>5}" for c in CATEGORIES)
        + "  perf range   worst run's metrics",
        flush=True,
    )
    for page_type, paths in PAGES.items():
        if only and page_type not in only:
            continue
        for path in paths:
            for form_factor in ("mobile", "desktop"):
                name = f"{page_type}-{path.split('/')[1]}-{form_factor}".replace(
                    " ", "-"
                )
                results = [
                    audit(base_url + path, form_factor, REPORTS / f"{name}.json")
                    for _run in range(runs)
                ]
                scores = median_scores([result[0] for result in results])
                worst = min(results, key=lambda result: result[0]["performance"])
                performance = [result[0]["performance"] for result in results]
                failing = sorted({audit_id for r in results for audit_id in r[1]})
                print(
                    f"{page_type:<18} {path:<26} {form_factor:<8} "
                    + " ".join(f"{scores[c]:>5}" for c in CATEGORIES)
                    + f"  {min(performance):>3}–{max(performance):<3}     "
                    + " ".join(f"{k} {v}" for k, v in worst[2].items())
                    + (
                        f"\n{'':<20}not passed in some run: {', '.join(failing)}"
                        if failing
                        else ""
                    ),
                    flush=True,
                )
                below += [
                    (name, category, score)
                    for category, score in scores.items()
                    if score < 100 and (page_type, category) not in EXCEPTIONS
                ]
    for name, category, score in below:
        print(f"median below 100: {name} {category} {score}")
    return 1 if below else 0


def main(arguments=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", nargs="?", help="a running site (or --serve)")
    parser.add_argument("page_types", nargs="*", help=", ".join(PAGES))
    parser.add_argument("--serve", action="store_true", help="start gunicorn + nginx")
    parser.add_argument("--runs", type=int, default=3, help="audits per page (3)")
    options = parser.parse_args(arguments)
    if options.serve:
        if options.url:  # with --serve, every positional argument is a page type
            options.page_types.insert(0, options.url)
        with production_site() as base_url:
            return measure(base_url, set(options.page_types), options.runs)
    if not options.url:
        parser.error("give the site's address, or --serve")
    return measure(options.url.rstrip("/"), set(options.page_types), options.runs)


if __name__ == "__main__":
    sys.exit(main())
