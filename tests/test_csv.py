"""CSV downloads of the open data lists, and their links on the list pages."""

import csv
import io
import re
from datetime import UTC, datetime

import pytest

from programmes.languages import language_codes
from programmes.models import Organisation, Programme, Region

from .factories import add_participation, make_organisation, make_programme, make_region
from .helpers import parse

pytestmark = pytest.mark.django_db

DOWNLOADS = {
    "programmes": "/api/v1/programmes.csv",
    "organisations": "/api/v1/organisations.csv",
    "regions": "/api/v1/regions.csv",
    "countries": "/api/v1/countries.csv",
}


def download(client, url):
    """The rows of a CSV download as dicts; checks the file's envelope."""
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    filename = url.rsplit("/", 1)[1]
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    body = response.getvalue()  # streamed: read once
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 byte order mark
    text = body.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def by(rows, column):
    return {row[column]: row for row in rows}


@pytest.mark.parametrize("kind", DOWNLOADS)
def test_each_list_downloads_as_csv(client, content, kind):
    rows = download(client, DOWNLOADS[kind])

    expected = {
        "programmes": Programme.objects.published().count(),
        "organisations": Organisation.objects.count(),
        "regions": Region.objects.count(),
        "countries": client.get("/api/v1/countries/").json()["count"],
    }[kind]
    assert len(rows) == expected > 0


def test_programmes_have_both_languages_as_columns(client, content):
    aircop = Programme.objects.get(acronym="AIRCOP")

    row = by(download(client, DOWNLOADS["programmes"]), "acronym")["AIRCOP"]

    assert row["id"] == str(aircop.pk)
    assert row["name_fr"] == aircop.name_fr
    assert row["name_en"] == aircop.name_en
    assert row["name_fr"] != row["name_en"]
    # Multi-paragraph text survives the round trip.
    assert row["description_fr"] == aircop.description_fr
    assert row["description_en"] == aircop.description_en
    assert row["page_fr"] == "http://testserver/fr/programmes/aircop/"
    assert row["page_en"] == "http://testserver/en/programmes/aircop/"
    assert row["api_url"] == f"http://testserver/api/v1/programmes/{aircop.pk}/"
    assert row["countries"].split() == [
        country.code.lower() for country in aircop.beneficiary_countries
    ]


def test_accents_survive_in_utf8(client, content):
    rows = by(download(client, DOWNLOADS["countries"]), "code")

    assert rows["ec"]["name_fr"] == "Équateur"
    assert rows["ec"]["name_en"] == "Ecuador"
    assert "Équateur".encode() in client.get(DOWNLOADS["countries"]).getvalue()


def test_an_empty_cell_means_no_text_in_that_language(client, content):
    """The CSV gives each record's own text; the JSON flags the fallback."""
    ameripol = Organisation.objects.get(slug_en="ameripol")

    row = by(download(client, DOWNLOADS["organisations"]), "id")[str(ameripol.pk)]

    assert row["name_fr"] == ""
    assert row["name_en"] == ameripol.name_en
    assert row["kind_label_fr"] == "organisme régional de coopération policière"


def test_roles_are_named_in_each_language(client):
    programme = make_programme(name_fr="Projet A", name_en="Project A")
    organisation = make_organisation()
    add_participation(programme, organisation, role="funder")

    row = by(download(client, DOWNLOADS["organisations"]), "id")[str(organisation.pk)]

    assert row["programmes_fr"] == "Projet A (bailleur de fonds)"
    assert row["programmes_en"] == "Project A (funder)"


def test_only_published_programmes_appear(client):
    region = make_region(countries=["GH", "NZ"])
    published = make_programme(beneficiary_countries=["GH"])
    draft = make_programme(
        status="draft", name_en="Secret draft", beneficiary_countries=["NZ"]
    )
    organisation = make_organisation()
    for programme in (published, draft):
        programme.beneficiary_regions.add(region)
        add_participation(programme, organisation)

    programmes = download(client, DOWNLOADS["programmes"])
    organisation_row = download(client, DOWNLOADS["organisations"])[0]
    region_row = download(client, DOWNLOADS["regions"])[0]
    countries = download(client, DOWNLOADS["countries"])

    assert [row["id"] for row in programmes] == [str(published.pk)]
    for row in (organisation_row, region_row):
        assert "Secret draft" not in row["programmes_en"]
        assert published.name_en in row["programmes_en"]
    assert [row["code"] for row in countries] == ["gh"]


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_text_cannot_run_as_a_spreadsheet_formula(client, start):
    make_programme(summary_en=f'{start}HYPERLINK("https://evil.example")')

    row = download(client, DOWNLOADS["programmes"])[0]

    assert row["summary_en"] == f'\'{start}HYPERLINK("https://evil.example")'
    assert row["summary_fr"] == "Un résumé."


def test_csv_answers_304_when_nothing_changed(client, content):
    first = client.get(DOWNLOADS["regions"])

    again = client.get(DOWNLOADS["regions"], headers={"if-none-match": first["ETag"]})

    assert again.status_code == 304
    assert first["Access-Control-Allow-Origin"] == "*"


# --- Links on the list pages ------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "kind"),
    [
        ("/fr/programmes/", "programmes"),
        ("/en/programmes/", "programmes"),
        ("/fr/organisations/", "organisations"),
        ("/en/organisations/", "organisations"),
        ("/fr/regions/", "regions"),
        ("/en/regions/", "regions"),
    ],
)
def test_list_pages_link_to_their_downloads(client, content, page, kind):
    tree = parse(client.get(page))
    section = tree.find(".//main//section[@class='open-data']")
    hrefs = [a.get("href") for a in section.iterfind(".//a")]

    assert DOWNLOADS[kind] in hrefs
    assert f"/api/v1/{kind}/" in hrefs
    assert "/api/v1/openapi.json" in hrefs
    for href in hrefs:
        assert client.get(href).status_code == 200


@pytest.mark.parametrize(
    ("page", "data_as_of", "no_licence"),
    [
        (
            "/fr/programmes/",
            'Données à jour au <time datetime="2030-05-17">17 mai 2030</time>.',
            "Licence\u202f: pas encore précisée par l’éditeur.",
        ),
        (
            "/en/regions/",
            'Data as of <time datetime="2030-05-17">17 May 2030</time>.',
            "Licence: not yet specified by the publisher.",
        ),
    ],
)
def test_list_pages_show_the_date_of_the_data_and_no_invented_licence(
    client, content, settings, page, data_as_of, no_licence
):
    settings.OPEN_DATA_LICENCE = {"name": "", "url": ""}
    # The newest change to any public record dates the data.
    Organisation.objects.filter(slug_en="unodc").update(
        updated_at=datetime(2030, 5, 17, 12, tzinfo=UTC)
    )

    # Collapse the template's line breaks, not the no-break spaces.
    text = re.sub(r"[ \n]+", " ", client.get(page).content.decode())

    assert data_as_of in text
    assert no_licence in text


def test_list_pages_link_to_a_licence_set_in_the_environment(client, content, settings):
    settings.OPEN_DATA_LICENCE = {
        "name": "Test Licence 1.0",
        "url": "https://licence.example/1.0",
    }

    tree = parse(client.get("/en/programmes/"))
    link = tree.find(".//section[@class='open-data']//a[@rel='license']")

    assert link.get("href") == "https://licence.example/1.0"
    assert link.text == "Test Licence 1.0"


def test_downloads_stream_their_rows_as_they_read_them(client, db):
    for _ in range(3):
        make_programme()

    response = client.get(DOWNLOADS["programmes"])

    # Not built in memory first: the header line comes before any record is read.
    assert response.streaming
    lines = iter(response.streaming_content)
    assert next(lines).startswith("\ufeffid,".encode())
    assert len(list(lines)) == 3


PROGRAMME_HEADER = [
    "id",
    "acronym",
    *(
        f"{name}_{code}"
        for name in ("name", "summary", "description")
        for code in language_codes()
    ),
    "start_year",
    "end_year",
    "stage",
    "budget_amount",
    "budget_currency",
    "stated_country_count",
    "countries",
    *(
        f"{name}_{code}"
        for name in (
            "countries",
            "regions",
            "organisations",
            "facts_note",
            "website",
            "page",
        )
        for code in language_codes()
    ),
    "api_url",
    "updated_at",
    *(
        f"{measure}_{what}"
        for measure in ("period", "budget", "stated_countries")
        for what in ("as_of", "status", "source")
    ),
]


def api_programmes(client):
    """Every published programme as the JSON API gives it, page after page."""
    address, records = "/api/v1/programmes/?page_size=100", []
    while address:
        body = client.get(address).json()
        records += body["results"]
        address = body["next"]
    return records


def own_text(record, key, code):
    text = record[key]
    return "" if code in text.get("fallback", {}) else text[code]


def row_from_the_api(record):
    """The CSV row the API's dict gives (how the CSV was made before it read
    the database's values itself): the oracle of the test below."""
    budget = record["budget"] or {}
    row = {
        "id": str(record["id"]),
        "acronym": record["acronym"],
        "start_year": str(record["start_year"] or ""),
        "end_year": str(record["end_year"] or ""),
        "stage": record["stage"] or "",
        "budget_amount": budget.get("amount", ""),
        "budget_currency": budget.get("currency", ""),
        "stated_country_count": str(record["stated_country_count"] or ""),
        "countries": " ".join(link["code"] for link in record["countries"]),
        "api_url": record["url"],
        "updated_at": record["updated_at"],
    }
    for code in language_codes():
        for key in ("name", "summary", "description", "facts_note", "website"):
            row[f"{key}_{code}"] = own_text(record, key, code)
        for key in ("countries", "regions"):
            row[f"{key}_{code}"] = "; ".join(link["name"][code] for link in record[key])
        row[f"organisations_{code}"] = "; ".join(
            f"{link['name'][code]} ({link['role_label'][code]})"
            for link in record["organisations"]
        )
        row[f"page_{code}"] = record["html_url"][code]
    for measure, figure in record["key_figures"].items():
        figure = figure or {}
        [source] = [
            s for s in record["sources"] if s["number"] == figure.get("source")
        ] or [{}]
        row[f"{measure}_as_of"] = figure.get("as_of") or ""
        row[f"{measure}_status"] = figure.get("status", "")
        row[f"{measure}_source"] = source.get("url") or next(
            iter(source.get("title", {}).values()), ""
        )
    for key, value in row.items():
        if value.startswith(("=", "+", "-", "@", "\t", "\r")):
            row[key] = f"'{value}"
    return row


def test_the_programmes_csv_is_the_api_column_for_column(client, content):
    """The CSV reads the database's values, not the API's dicts
    (downloads.programme_rows): on the seeded content, plus a programme with
    every kind of value, it says exactly what the JSON says."""
    funder = make_organisation(name_fr="", name_en="Only English", acronym_en="OE")
    programme = make_programme(
        acronym="=SUM",
        name_fr="Programme à l’essai",
        name_en="",
        summary_en="Only in English",
        description_fr="<p>Un <strong>paragraphe</strong>.</p><p>Deux.</p>",
        start_year=2019,
        budget_amount="1234.50",
        budget_currency="EUR",
        beneficiary_countries=["GH", "NG"],
        slug_fr="programme-a-l-essai",
    )
    add_participation(programme, funder, role="funder")
    region = make_region(countries=["GH"])

    response = client.get(DOWNLOADS["programmes"])
    body = response.getvalue()
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))

    assert rows[0] == PROGRAMME_HEADER
    made = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    expected = [row_from_the_api(record) for record in api_programmes(client)]
    assert made == expected
    ours = by(made, "id")[str(programme.pk)]
    assert ours["acronym"] == "'=SUM"
    assert ours["name_en"] == ""  # the JSON shows the French name instead
    assert ours["organisations_fr"] == "Only English (bailleur de fonds)"
    assert region.name_en in ours["regions_en"]
    assert ours["page_fr"].endswith("/fr/programmes/programme-a-l-essai/")
    assert len(made) == Programme.objects.published().count() >= 5
