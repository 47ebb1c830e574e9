"""The pages `make bench` measures, and the SQL queries of each.

`python -m bench.queries` prints JSON: for the home page, the first published
programme and the first published organisation (in French), the address, and
the queries of a first and a second request with Django's test client. Run with
bench.uncached_settings, the first count is what rendering the page costs; with
the site's settings, the second is what a page cache hit costs.
"""

import json
import os
import sys

import django


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interpol_drugs.settings")
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import translation

    from programmes.models import Organisation, Programme

    with translation.override("fr"):
        programme = Programme.objects.published().first()
        organisation = Organisation.objects.published().first()
        if programme is None or organisation is None:
            sys.exit("No published programme or organisation: run `make setup` first.")
        pages = {
            "home": reverse("home"),
            "programme": programme.get_absolute_url(),
            "organisation": organisation.get_absolute_url(),
        }
    client = Client(HTTP_HOST="127.0.0.1")
    report = {}
    for name, path in pages.items():
        counts = []
        for _request in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            if response.status_code != 200:
                sys.exit(f"{path} answered {response.status_code}, not 200.")
            counts.append(len(queries))
        report[name] = {"path": path, "queries": counts}
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()
