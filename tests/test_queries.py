"""The number of SQL queries per public page does not grow with the content."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import add_participation, make_organisation, make_programme, make_region

pytestmark = pytest.mark.django_db


def build_programmes(count, organisation, region):
    for _ in range(count):
        programme = make_programme(beneficiary_countries=["GH", "NG", "BR"])
        programme.beneficiary_regions.add(region, make_region())
        add_participation(programme, organisation, role="partner", note_en="a note")
        add_participation(programme, make_organisation(), role="funder")
        programme.sources.create(
            title="A source", url="https://example.org/", language="en"
        )


def page_urls(organisation, region):
    first_programme = organisation.programmes.order_by("pk").first()
    return {
        "home": "/en/",
        "programme list": "/en/programmes/",
        "programme": first_programme.get_absolute_url(),
        "organisation list": "/en/organisations/",
        "organisation": organisation.get_absolute_url(),
        "region list": "/en/regions/",
        "region": region.get_absolute_url(),
    }


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_query_count_is_the_same_with_4_and_200_programmes(client):
    organisation = make_organisation(slug_en="shared-organisation")
    region = make_region(slug_en="shared-region")
    build_programmes(4, organisation, region)
    urls = page_urls(organisation, region)
    with_4 = {name: count_queries(client, url) for name, url in urls.items()}

    build_programmes(196, organisation, region)
    with_200 = {name: count_queries(client, url) for name, url in urls.items()}

    assert with_200 == with_4
    assert max(with_4.values()) <= 6, with_4
