"""The read-only JSON API under /api/v1/ and its OpenAPI description."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi

from programmes.content.version import bump_content_version, read_version
from programmes.models import LoadedRecord, Organisation, Programme, Region

from .factories import add_participation, make_organisation, make_programme, make_region

pytestmark = pytest.mark.django_db

API = "/api/v1"


def get_json(client, url, status=200, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == status, (url, response.content[:300])
    assert response["Content-Type"] == "application/json"
    return response.json()


def programme(acronym):
    return Programme.objects.get(acronym=acronym)


def organisation(slug_en):
    return Organisation.objects.get(slug_en=slug_en)


# --- The OpenAPI document, checked against the real responses ------------------


def openapi_document(client):
    return get_json(client, f"{API}/openapi.json")


def response_schema(document, url, status):
    """The schema the document gives for `url` answering `status`."""
    path = urlsplit(url).path.removeprefix(API)
    for template, operations in document["paths"].items():
        parts = re.split(r"\{[^}]+\}", template)
        if re.fullmatch("[^/]+".join(re.escape(part) for part in parts), path):
            response = operations["get"]["responses"][str(status)]
            return response["content"]["application/json"]["schema"]
    raise AssertionError(f"{path} is not in the OpenAPI document")


def assert_matches_schema(document, body, schema):
    # "#/components/..." references resolve inside the document itself.
    validator = Draft202012Validator(
        schema | {"components": document["components"]},
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    errors = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(body)
    ]
    assert errors == []


def test_the_openapi_document_is_valid_openapi(client, content):
    document = openapi_document(client)

    validate_openapi(document)
    assert document["openapi"].startswith("3.1")


def test_every_response_of_every_endpoint_matches_the_openapi_document(client, content):
    document = openapi_document(client)
    make_programme(status="draft", beneficiary_countries=["NZ"])
    countries = get_json(client, f"{API}/countries/?page_size=100")["results"]
    urls = [
        f"{API}/",
        *(f"{API}/{plural}/" for plural in document_lists()),
        *(f"{API}/{plural}/?page=2&page_size=1" for plural in document_lists()),
        *(f"{API}/programmes/{pk}/" for pk in published_ids()),
        *(f"{API}/organisations/{pk}/" for pk in all_ids(Organisation)),
        *(f"{API}/regions/{pk}/" for pk in all_ids(Region)),
        *(country["url"] for country in countries),
    ]
    errors = [
        (f"{API}/programmes/?page=abc", 400),
        (f"{API}/regions/?page_size=1000", 400),
        (f"{API}/organisations/?page=99", 404),
        (f"{API}/programmes/{Programme.objects.get(status='draft').pk}/", 404),
        (f"{API}/organisations/0/", 404),
        (f"{API}/regions/123456/", 404),
        (f"{API}/countries/nz/", 404),
    ]

    for url in urls:
        assert_matches_schema(
            document, get_json(client, url), response_schema(document, url, 200)
        )
    for url, status in errors:
        assert_matches_schema(
            document,
            get_json(client, url, status),
            response_schema(document, url, status),
        )
    # Methods the API does not offer are not in the document; their answer
    # is still the documented error.
    assert_matches_schema(
        document,
        client.post(f"{API}/programmes/").json(),
        {"$ref": "#/components/schemas/Error"},
    )
    assert len(urls) > 40


def document_lists():
    return ("programmes", "organisations", "regions", "countries")


def published_ids():
    return Programme.objects.published().values_list("pk", flat=True)


def all_ids(model):
    return model.objects.values_list("pk", flat=True)


def test_the_openapi_document_lists_every_endpoint(client, content):
    paths = set(openapi_document(client)["paths"])

    for plural, key in [
        ("programmes", "{id}"),
        ("organisations", "{id}"),
        ("regions", "{id}"),
        ("countries", "{code}"),
    ]:
        assert {f"/{plural}/", f"/{plural}/{key}/", f"/{plural}.csv"} <= paths
    assert {"/", "/openapi.json"} <= paths


def test_the_schema_rejects_an_undocumented_field(client, content):
    """The check above has teeth: schemas are closed."""
    document = openapi_document(client)
    url = f"{API}/programmes/{programme('AIRCOP').pk}/"
    body = get_json(client, url) | {"surprise": 1}

    with pytest.raises(AssertionError):
        assert_matches_schema(document, body, response_schema(document, url, 200))


# --- Content: both languages, fallbacks, links ---------------------------------


def test_a_programme_carries_both_languages(client, content):
    aircop = programme("AIRCOP")

    body = get_json(client, f"{API}/programmes/{aircop.pk}/")

    assert body["id"] == aircop.pk
    assert body["url"] == f"http://testserver{API}/programmes/{aircop.pk}/"
    assert body["name"] == {"fr": aircop.name_fr, "en": aircop.name_en}
    assert body["name"]["fr"] != body["name"]["en"]
    assert body["summary"]["fr"] == aircop.summary_fr
    assert body["summary"]["en"] == aircop.summary_en
    assert body["slug"] == {"fr": "aircop", "en": "aircop"}
    assert body["html_url"] == {
        "fr": "http://testserver/fr/programmes/aircop/",
        "en": "http://testserver/en/programmes/aircop/",
    }


def test_text_missing_in_one_language_is_flagged_as_a_fallback(client, content):
    ameripol = organisation("ameripol")
    assert not ameripol.name_fr  # AMERIPOL has no French name

    body = get_json(client, f"{API}/organisations/{ameripol.pk}/")

    assert body["name"] == {
        "fr": ameripol.name_en,
        "en": ameripol.name_en,
        "fallback": {"fr": "en"},
    }
    assert "fallback" not in body["description"]


def test_fallback_from_french_to_english_too(client):
    region = make_region(name_en="")

    body = get_json(client, f"{API}/regions/{region.pk}/")

    assert body["name"] == {
        "fr": region.name_fr,
        "en": region.name_fr,
        "fallback": {"en": "fr"},
    }


def test_labels_come_in_both_languages(client, content):
    unodc = organisation("unodc")

    body = get_json(client, f"{API}/organisations/{unodc.pk}/")

    assert body["kind"] == "intergovernmental"
    assert body["kind_label"] == {
        "fr": "organisation intergouvernementale",
        "en": "intergovernmental organisation",
    }
    assert body["acronym"] == {"fr": "ONUDC", "en": "UNODC"}
    roles = {item["role"]: item["role_label"] for item in body["programmes"]}
    assert roles, "UNODC takes part in published programmes"
    assert all(set(label) == {"fr", "en"} for label in roles.values())


def test_programme_links_to_organisations_regions_and_countries(client, content):
    aircop = programme("AIRCOP")

    body = get_json(client, f"{API}/programmes/{aircop.pk}/")

    expected_roles = [(p.organisation.pk, p.role) for p in aircop.participations.all()]
    assert [(o["id"], o["role"]) for o in body["organisations"]] == expected_roles
    assert [r["id"] for r in body["regions"]] == [
        r.pk for r in aircop.benefited_regions
    ]
    assert [c["code"] for c in body["countries"]] == [
        c.code.lower() for c in aircop.beneficiary_countries
    ]
    for link in body["organisations"] + body["regions"] + body["countries"]:
        assert link["url"].startswith("http://testserver/api/v1/")
        assert client.get(link["url"]).status_code == 200


def test_organisation_links_to_the_programmes_it_takes_part_in(client, content):
    interpol = organisation("interpol")

    body = get_json(client, f"{API}/organisations/{interpol.pk}/")

    published = set(Programme.objects.published().values_list("pk", flat=True))
    assert {p["id"] for p in body["programmes"]} == published & set(
        interpol.programmes.values_list("pk", flat=True)
    )
    lead = next(p for p in body["programmes"] if p["role"] == "lead")
    assert lead["role_label"]["fr"] == "organisation chef de file"
    assert lead["url"] == f"http://testserver{API}/programmes/{lead['id']}/"


def test_html_urls_lead_to_the_page_in_each_language(client, content):
    for url in (
        f"{API}/programmes/{programme('MAYAG').pk}/",
        f"{API}/organisations/{organisation('unodc').pk}/",
        f"{API}/regions/{Region.objects.get(slug_en='caribbean').pk}/",
        f"{API}/countries/gh/",
    ):
        html_url = get_json(client, url)["html_url"]
        for language, address in html_url.items():
            page = client.get(address.removeprefix("http://testserver"))
            assert page.status_code == 200, address
            assert f'<html lang="{language}"' in page.content.decode()


def test_the_id_does_not_change_when_an_editor_renames_the_slug(client, content):
    aircop = programme("AIRCOP")
    url = f"{API}/programmes/{aircop.pk}/"
    aircop.slug_en = "airport-communication"
    aircop.save()

    body = get_json(client, url)

    assert body["slug"]["en"] == "airport-communication"
    assert body["html_url"]["en"].endswith("/en/programmes/airport-communication/")


def test_a_country_has_names_programmes_and_regions(client, content):
    body = get_json(client, f"{API}/countries/ec/")

    assert body["code"] == "ec"
    assert body["name"] == {"fr": "Équateur", "en": "Ecuador"}
    assert body["html_url"] == {
        "fr": "http://testserver/fr/pays/ec/",
        "en": "http://testserver/en/countries/ec/",
    }
    assert {p["id"] for p in body["programmes"]} == set(
        Programme.objects.published().for_country("ec").values_list("pk", flat=True)
    )
    assert {r["id"] for r in body["regions"]} == set(
        Region.objects.containing("ec").values_list("pk", flat=True)
    )


def test_countries_are_the_countries_published_programmes_name(client, content):
    body = get_json(client, f"{API}/countries/?page_size=100")

    named = {
        country.code.lower()
        for programme in Programme.objects.published()
        for country in programme.beneficiary_countries
    }
    assert [c["code"] for c in body["results"]] == sorted(named)
    assert body["count"] == len(named)


def test_a_region_lists_its_countries_and_programmes(client, content):
    caribbean = Region.objects.get(slug_en="caribbean")

    body = get_json(client, f"{API}/regions/{caribbean.pk}/")

    assert [c["code"] for c in body["countries"]] == [
        c.code.lower() for c in caribbean.countries
    ]
    for country in body["countries"]:
        # A link only where a country resource exists.
        expected = 200 if country["url"] else None
        if expected:
            assert client.get(country["url"]).status_code == 200
        else:
            assert client.get(f"{API}/countries/{country['code']}/").status_code == 404
    assert {p["id"] for p in body["programmes"]} == set(
        Programme.objects.published().for_region(caribbean).values_list("pk", flat=True)
    )


def test_regions_say_what_they_lie_within_and_include(client, content):
    africa = Region.objects.get(slug_en="africa")
    west_africa = Region.objects.get(slug_en="west-africa")

    africa_body = get_json(client, f"{API}/regions/{africa.pk}/")
    west_body = get_json(client, f"{API}/regions/{west_africa.pk}/")

    assert [r["id"] for r in africa_body["includes"]] == [west_africa.pk]
    assert africa_body["within"] == []
    assert [r["id"] for r in west_body["within"]] == [africa.pk]
    assert west_body["includes"] == []
    # Every programme benefiting West Africa benefits Africa too.
    west_ids = {p["id"] for p in west_body["programmes"]}
    assert {"AIRCOP", "CRIMJUST"} <= {p["acronym"] for p in west_body["programmes"]}
    assert west_ids <= {p["id"] for p in africa_body["programmes"]}


# --- Only published programmes --------------------------------------------------


def test_unpublished_programmes_and_their_relations_never_appear(client):
    region = make_region()
    published = make_programme(beneficiary_countries=["GH"])
    draft = make_programme(status="draft", beneficiary_countries=["GH", "NZ"])
    for item in (published, draft):
        item.beneficiary_regions.add(region)
    partner = make_organisation()
    add_participation(published, partner, role="partner")
    add_participation(draft, partner, role="funder")

    programmes = get_json(client, f"{API}/programmes/")
    partner_body = get_json(client, f"{API}/organisations/{partner.pk}/")
    region_body = get_json(client, f"{API}/regions/{region.pk}/")
    countries = get_json(client, f"{API}/countries/")

    assert [p["id"] for p in programmes["results"]] == [published.pk]
    assert programmes["count"] == 1
    assert [(p["id"], p["role"]) for p in partner_body["programmes"]] == [
        (published.pk, "partner")
    ]
    assert [p["id"] for p in region_body["programmes"]] == [published.pk]
    assert [c["code"] for c in countries["results"]] == ["gh"]
    assert [
        p["id"] for p in get_json(client, f"{API}/countries/gh/")["programmes"]
    ] == [published.pk]
    get_json(client, f"{API}/programmes/{draft.pk}/", status=404)
    get_json(client, f"{API}/countries/nz/", status=404)


# --- Pages and parameters -------------------------------------------------------


def test_lists_are_paginated_with_absolute_next_and_previous_links(client):
    for _ in range(5):
        make_programme()

    first = get_json(client, f"{API}/programmes/?page_size=2")
    second = get_json(client, first["next"])
    last = get_json(client, second["next"])

    assert first["count"] == 5
    assert first["previous"] is None
    assert first["next"] == f"http://testserver{API}/programmes/?page=2&page_size=2"
    assert second["previous"] == f"http://testserver{API}/programmes/?page_size=2"
    assert last["next"] is None
    ids = [p["id"] for page in (first, second, last) for p in page["results"]]
    assert ids == list(Programme.objects.published().values_list("pk", flat=True))


def test_default_page_size_is_20(client):
    for _ in range(21):
        make_programme()

    body = get_json(client, f"{API}/programmes/")

    assert len(body["results"]) == 20
    assert body["next"] == f"http://testserver{API}/programmes/?page=2"


def test_unknown_parameters_are_ignored(client):
    make_programme()

    body = get_json(client, f"{API}/programmes/?format=xml&sort=name&page=1")

    assert body["count"] == 1


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("page=abc", "page"),
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=1.5", "page"),
        ("page=", "page"),
        ("page=%20%32", "page"),
        ("page=%D9%A2", "page"),  # an Arabic-Indic digit two
        ("page=99999999999999999999", "page"),
        ("page_size=0", "page_size"),
        ("page_size=101", "page_size"),
        ("page_size=10000", "page_size"),
        ("page_size=ten", "page_size"),
    ],
)
@pytest.mark.parametrize("plural", ["programmes", "organisations", "countries"])
def test_a_bad_parameter_answers_400_naming_it(client, plural, query, parameter):
    body = get_json(client, f"{API}/{plural}/?{query}", status=400)

    assert body["error"]["status"] == 400
    assert body["error"]["parameter"] == parameter
    assert parameter in body["error"]["message"]


def list_parameter(document, plural, name):
    parameters = document["paths"][f"/{plural}/"]["get"]["parameters"]
    return next(parameter for parameter in parameters if parameter["name"] == name)


@pytest.mark.parametrize("plural", ["programmes", "countries"])
def test_the_page_numbers_the_document_states_are_the_ones_answered(client, plural):
    document = openapi_document(client)
    schema = list_parameter(document, plural, "page")["schema"]

    # The largest page stated is a page after the last one (404), not a
    # refusal; one more is the 400 the document states.
    get_json(client, f"{API}/{plural}/?page={schema['maximum']}", status=404)
    body = get_json(client, f"{API}/{plural}/?page={schema['maximum'] + 1}", status=400)
    assert body["error"]["parameter"] == "page"
    assert str(schema["maximum"]) in body["error"]["message"]
    schema_400 = response_schema(document, f"{API}/{plural}/", 400)
    assert_matches_schema(document, body, schema_400)


def test_the_document_states_the_servers_refusal_of_an_overlong_request_line(
    client,
):
    document = openapi_document(client)

    for path, operations in document["paths"].items():
        refusal = operations["get"]["responses"]["414"]
        assert "request line" in refusal["description"], path
        assert f"over {settings.REQUEST_LINE_LIMIT} bytes" in refusal["description"]


def test_a_page_after_the_last_is_a_json_404(client):
    make_programme()

    body = get_json(client, f"{API}/programmes/?page=2", status=404)

    assert body["error"]["parameter"] == "page"


@pytest.mark.parametrize(
    "url",
    [
        f"{API}/programmes/999999/",
        f"{API}/programmes/aircop/",
        f"{API}/programmes/99999999999999999999999999/",
        f"{API}/organisations/0/",
        f"{API}/regions/-1/",
        f"{API}/countries/zz/",
        f"{API}/countries/GH/",
        f"{API}/countries/h,/",
        f"{API}/countries/ghana/",
        f"{API}/no-such-thing/",
        f"{API}/programmes/1/extra/",
    ],
)
def test_unknown_addresses_are_json_404s(client, content, url):
    body = get_json(client, url, status=404)

    assert body == {"error": {"status": 404, "message": body["error"]["message"]}}
    assert body["error"]["message"]


def test_an_address_without_its_slash_is_redirected_then_a_json_404(client):
    response = client.get(f"{API}/no-such-thing", follow=True)

    assert response.redirect_chain == [(f"{API}/no-such-thing/", 301)]
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404


# --- Caching: ETag, Last-Modified, 304 ---------------------------------------------


def caching_urls():
    aircop = programme("AIRCOP")
    return [
        f"{API}/programmes/",
        f"{API}/programmes/{aircop.pk}/",
        f"{API}/organisations/",
        f"{API}/organisations/{organisation('unodc').pk}/",
        f"{API}/regions/",
        f"{API}/countries/",
        f"{API}/countries/gh/",
        f"{API}/programmes.csv",
    ]


def test_if_none_match_answers_304_until_the_data_changes(client, content):
    for url in caching_urls():
        first = client.get(url)
        etag = first["ETag"]

        again = client.get(url, headers={"if-none-match": etag})

        assert again.status_code == 304, url
        assert again["ETag"] == etag
        assert again.content == b""

    url = f"{API}/programmes/{programme('AIRCOP').pk}/"
    etag = client.get(url)["ETag"]
    Organisation.objects.get(slug_en="unodc").save()  # a linked record changes

    changed = client.get(url, headers={"if-none-match": etag})

    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_if_modified_since_answers_304_until_the_data_changes(client, content):
    for url in caching_urls():
        last_modified = client.get(url)["Last-Modified"]

        assert (
            client.get(url, headers={"if-modified-since": last_modified}).status_code
            == 304
        )
        earlier = http_date((timezone.now() - timedelta(days=400)).timestamp())
        assert (
            client.get(url, headers={"if-modified-since": earlier}).status_code == 200
        )

    url = f"{API}/regions/"
    last_modified = client.get(url)["Last-Modified"]
    Region.objects.filter(pk=Region.objects.first().pk).update(
        updated_at=timezone.now() + timedelta(seconds=5)
    )
    # queryset.update() sends no signal: tell the page cache (page_cache.py).
    bump_content_version()

    assert (
        client.get(url, headers={"if-modified-since": last_modified}).status_code == 200
    )


def test_head_answers_the_same_headers_and_304s(client, content):
    url = f"{API}/programmes/"
    get = client.get(url)

    head = client.head(url)

    assert head.status_code == 200
    assert head["ETag"] == get["ETag"]
    assert head["Last-Modified"] == get["Last-Modified"]
    assert client.head(url, headers={"if-none-match": get["ETag"]}).status_code == 304


@pytest.mark.parametrize(
    "change",
    [
        "unpublish a programme",
        "delete an organisation",
        "load_content rewrites a participation",
    ],
)
def test_changes_without_a_newer_programme_still_change_the_etag(
    client, content, change
):
    url = f"{API}/organisations/"
    etag = client.get(url)["ETag"]
    if change == "unpublish a programme":
        Programme.objects.filter(acronym="MAYAG").update(
            status="draft", updated_at=timezone.now()
        )
        # queryset.update() sends no signal: tell the page cache (page_cache.py).
        bump_content_version()
    elif change == "delete an organisation":
        make_organisation()
        etag = client.get(url)["ETag"]
        Organisation.objects.order_by("pk").last().delete()
    else:
        record = LoadedRecord.objects.filter(key__startswith="participation:").first()
        record.save()  # load_content saves the record whenever it writes

    assert client.get(url, headers={"if-none-match": etag}).status_code == 200


def test_errors_carry_no_validators_and_never_answer_304(client, content):
    etag = client.get(f"{API}/programmes/")["ETag"]
    future = http_date((timezone.now() + timedelta(days=1)).timestamp())
    conditional = {"if-none-match": etag, "if-modified-since": future}

    for url, status in [
        (f"{API}/programmes/?page=abc", 400),
        (f"{API}/programmes/999999/", 404),
        (f"{API}/countries/zz/", 404),
        (f"{API}/countries/nz/", 404),
    ]:
        response = client.get(url, headers=conditional)
        assert response.status_code == status, url
        assert not response.has_header("ETag")
        assert not response.has_header("Last-Modified")
        only_since = client.get(url, headers={"if-modified-since": future})
        assert only_since.status_code == status, url


# --- Read-only, CORS ---------------------------------------------------------------


def test_any_origin_may_read_every_language(client, content):
    for url in [f"{API}/programmes/", f"{API}/programmes.csv", f"{API}/nothing/"]:
        response = client.get(url, headers={"origin": "https://example.org"})

        assert response["Access-Control-Allow-Origin"] == "*"
        assert "ETag" in response["Access-Control-Expose-Headers"]
        assert response["Content-Language"] == "fr, en"


def test_cors_preflight_allows_reading_only(client):
    response = client.options(
        f"{API}/programmes/",
        headers={
            "origin": "https://example.org",
            "access-control-request-method": "GET",
            "access-control-request-headers": "if-none-match",
        },
    )

    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in response["Access-Control-Allow-Headers"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writing_answers_405_json_even_without_a_csrf_token(method):
    client = Client(enforce_csrf_checks=True)

    response = getattr(client, method)(f"{API}/programmes/", data={})

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json()["error"]["status"] == 405
    assert Programme.objects.count() == 0


# --- Licence ------------------------------------------------------------------------


def test_no_licence_is_invented(client, settings):
    settings.OPEN_DATA_LICENCE = {"name": "", "url": ""}

    info = openapi_document(client)["info"]
    response = client.get(f"{API}/programmes/")

    assert "license" not in info
    assert "not yet specified the licence" in info["description"]
    assert not response.has_header("Link")


def test_a_licence_set_in_the_environment_is_published(client, settings):
    settings.OPEN_DATA_LICENCE = {
        "name": "Test Licence 1.0",
        "url": "https://licence.example/1.0",
    }

    info = openapi_document(client)["info"]
    response = client.get(f"{API}/programmes.csv")

    assert info["license"] == {
        "name": "Test Licence 1.0",
        "url": "https://licence.example/1.0",
    }
    assert response["Link"] == '<https://licence.example/1.0>; rel="license"'


# --- Bounded queries ------------------------------------------------------------------


def build_programmes(count, organisation, region):
    for _ in range(count):
        item = make_programme(beneficiary_countries=["GH", "NG", "BR"])
        item.beneficiary_regions.add(region, make_region(countries=["GH"]))
        add_participation(item, organisation, role="partner", note_en="a note")
        add_participation(item, make_organisation(), role="funder")
        item.sources.create(title="A source", url="https://example.org/", language="en")


def count_queries(client, url, **headers):
    # The content version is made once per change (at the first read after
    # it, or the commit), not per answer: outside the count.
    read_version()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    assert response.status_code in (200, 304), url
    return len(queries)


# The query count of every API address with 4 and 200 programmes:
# tests/test_queries.py (every public address, both languages).


def test_a_304_costs_one_query(client):
    make_programme()
    url = f"{API}/programmes/"
    etag = client.get(url)["ETag"]

    # From the page cache (interpol_drugs/page_cache.py), none; uncached
    # (another address of the same data), one.
    assert count_queries(client, url, **{"if-none-match": etag}) == 0
    assert count_queries(client, f"{url}?page=1", **{"if-none-match": etag}) == 1
