"""Lighthouse 12 on every public page type, mobile and desktop, both languages.

Usage (the site served as in production, e.g. `make run` on port 8000):

    npm ci --prefix tools/lighthouse
    .venv/bin/python tools/lighthouse/run.py http://127.0.0.1:8000

Prints a table of the four category scores (0-100) per page and form factor,
writes each report to test-artifacts/lighthouse/, and exits 1 if a score is
under 100, except the search page's SEO: it is noindex on purpose.
Lighthouse 13 needs Node 22; 12 runs on the Node 20 of Debian 12. Chromium is
Debian's (CHROME_PATH, default /usr/bin/chromium).
"""

import json
import os
import subprocess
import sys
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
        and result.get("scoreDisplayMode") == "binary"
    ]
    return scores, failing


def main(base_url, only=None):
    REPORTS.mkdir(parents=True, exist_ok=True)
    below = []
    print(
        f"{'page':<20} {'address':<28} {'form':<8} "
        + " ".join(f"{c[:4]:>5}" for c in CATEGORIES)
    )
    for page_type, paths in PAGES.items():
        if only and page_type not in only:
            continue
        for path in paths:
            for form_factor in ("mobile", "desktop"):
                name = f"{page_type}-{path.split('/')[1]}-{form_factor}".replace(
                    " ", "-"
                )
                scores, failing = audit(
                    base_url.rstrip("/") + path, form_factor, REPORTS / f"{name}.json"
                )
                print(
                    f"{page_type:<20} {path:<28} {form_factor:<8} "
                    + " ".join(f"{scores[c]:>5}" for c in CATEGORIES)
                    + (f"  failing: {', '.join(failing)}" if failing else ""),
                    flush=True,
                )
                below += [
                    (name, category, score)
                    for category, score in scores.items()
                    if score < 100 and (page_type, category) not in EXCEPTIONS
                ]
    for name, category, score in below:
        print(f"below 100: {name} {category} {score}")
    return 1 if below else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], set(sys.argv[2:]) or None))
