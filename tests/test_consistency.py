"""Every page, the API and the CSV tell the same story: who benefits where and
who plays which role (the rule of programmes/content/geography.py).

`story_told_by` reads one representation into the same shape as `records`,
which reads the database: {(kind, id, what): set}. The walk covers every
published programme, region, country and organisation.
"""

import csv
import io

import pytest
from django.utils import translation

from programmes.content.geography import Geography
from programmes.models import Organisation, Participation, Programme

from .helpers import parse

pytestmark = pytest.mark.django_db

API = "/api/v1"


def records():
    """The story as the database tells it."""
    geography = Geography.published()
    programmes = list(Programme.objects.published().with_related())
    organisations = list(Organisation.objects.published())
    published_organisations = {o.pk for o in organisations}
    story = {}
    countries = {}
    for programme in programmes:
        story["programme", programme.pk, "regions"] = {
            r.pk for r in geography.regions_of(programme)
        }
        codes = {str(c.code) for c in programme.beneficiary_countries}
        story["programme", programme.pk, "countries"] = codes
        story["programme", programme.pk, "roles"] = {
            (p.organisation_id, p.role) for p in programme.participations.all()
        }
        for code in codes:
            countries.setdefault(code, set()).add(programme.pk)
    for region in geography.regions:
        story["region", region.pk, "programmes"] = {
            p.pk for p in geography.programmes_of(region, programmes)
        }
    for code, named_by in countries.items():
        story["country", code, "programmes"] = named_by
        story["country", code, "regions"] = {r.pk for r in geography.containing(code)}
    for organisation in organisations:
        story["organisation", organisation.pk, "roles"] = {
            (p.programme_id, p.role)
            for p in Participation.objects.of_published_programmes().filter(
                organisation=organisation
            )
        }
    assert published_organisations
    return story


# --- The pages ------------------------------------------------------------------


def addresses(language):
    """{page address: (kind, id)} of every published object, in `language`."""
    geography = Geography.published()
    with translation.override(language):
        found = {
            p.get_absolute_url(): ("programme", p.pk)
            for p in Programme.objects.published()
        }
        found |= {r.get_absolute_url(): ("region", r.pk) for r in geography.regions}
        found |= {
            o.get_absolute_url(): ("organisation", o.pk)
            for o in Organisation.objects.published()
        }
        for programme in Programme.objects.published():
            for country in programme.beneficiary_countries:
                found[f"{programme_country_prefix()}{str(country.code).lower()}/"] = (
                    "country",
                    str(country.code),
                )
    return found


def programme_country_prefix():
    from django.urls import reverse

    return reverse("programmes:country_detail", kwargs={"code": "xx"})[:-3]


def linked(tree, section_id, kind, pages):
    """The ids of the `kind` objects linked from the page's section."""
    section = tree.find(f".//section[@aria-labelledby='{section_id}']")
    if section is None:
        return set()
    return {
        pages[a.get("href")][1]
        for a in section.iterfind(".//a")
        if a.get("href") in pages and pages[a.get("href")][0] == kind
    }


def roles_in(tree, section_ids, kind, pages, role_by_label):
    """{(id, role)} from the lists of participations ("name — role")."""
    found = set()
    for section_id in section_ids:
        section = tree.find(f".//section[@aria-labelledby='{section_id}']")
        if section is None:
            continue
        for item in section.iterfind(".//li"):
            link, role = item.find(".//a"), item.find(".//span[@class='role']")
            if link is None or role is None or link.get("href") not in pages:
                continue
            label = role.text.strip().removeprefix("—").strip()
            found.add((pages[link.get("href")][1], role_by_label[label]))
    return found


def story_told_by_pages(client, language):
    pages = addresses(language)
    with translation.override(language):
        role_by_label = {
            str(label): value for value, label in Participation.Role.choices
        }
    story = {}
    for url, (kind, key) in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        tree = parse(response)
        if kind == "programme":
            story[kind, key, "regions"] = linked(
                tree, "beneficiaries-heading", "region", pages
            )
            story[kind, key, "countries"] = linked(
                tree, "beneficiaries-heading", "country", pages
            )
            story[kind, key, "roles"] = roles_in(
                tree,
                ["partners-heading", "funders-heading"],
                "organisation",
                pages,
                role_by_label,
            )
        elif kind == "region":
            story[kind, key, "programmes"] = linked(
                tree, "programmes-heading", "programme", pages
            )
        elif kind == "country":
            story[kind, key, "programmes"] = linked(
                tree, "programmes-heading", "programme", pages
            )
            story[kind, key, "regions"] = linked(
                tree, "regions-heading", "region", pages
            )
        else:
            story[kind, key, "roles"] = roles_in(
                tree, ["programmes-heading"], "programme", pages, role_by_label
            )
    return story


# --- The API and the CSV --------------------------------------------------------


def api_list(client, resource):
    response = client.get(f"{API}/{resource}/?page_size=100")
    assert response.status_code == 200
    body = response.json()
    assert body["next"] is None
    return body["results"]


def story_told_by_api(client):
    story = {}
    for item in api_list(client, "programmes"):
        story["programme", item["id"], "regions"] = {r["id"] for r in item["regions"]}
        story["programme", item["id"], "countries"] = {
            c["code"].upper() for c in item["countries"]
        }
        story["programme", item["id"], "roles"] = {
            (o["id"], o["role"]) for o in item["organisations"]
        }
    for item in api_list(client, "regions"):
        story["region", item["id"], "programmes"] = {
            p["id"] for p in item["programmes"]
        }
    for item in api_list(client, "countries"):
        code = item["code"].upper()
        story["country", code, "programmes"] = {p["id"] for p in item["programmes"]}
        story["country", code, "regions"] = {r["id"] for r in item["regions"]}
    for item in api_list(client, "organisations"):
        story["organisation", item["id"], "roles"] = {
            (p["id"], p["role"]) for p in item["programmes"]
        }
    return story


def csv_rows(client, resource):
    response = client.get(f"{API}/{resource}.csv")
    assert response.status_code == 200
    text = b"".join(response).decode().removeprefix("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def names_in(cell):
    return {name for name in cell.split("; ") if name}


def story_told_by_csv(client):
    """The CSV names related records: the names are read back into ids."""
    geography = Geography.published()
    with translation.override("en"):
        programme_ids = {p.name: p.pk for p in Programme.objects.published()}
        region_ids = {r.name: r.pk for r in geography.regions}
        organisation_ids = {o.name: o.pk for o in Organisation.objects.published()}
        role_by_label = {
            str(label): value for value, label in Participation.Role.choices
        }

    def with_roles(cell, ids):
        found = set()
        for entry in names_in(cell):
            name, _, label = entry.rpartition(" (")
            found.add((ids[name], role_by_label[label.removesuffix(")")]))
        return found

    story = {}
    for row in csv_rows(client, "programmes"):
        key = int(row["id"])
        story["programme", key, "regions"] = {
            region_ids[n] for n in names_in(row["regions_en"])
        }
        story["programme", key, "countries"] = {
            c.upper() for c in row["countries"].split()
        }
        story["programme", key, "roles"] = with_roles(
            row["organisations_en"], organisation_ids
        )
    for row in csv_rows(client, "regions"):
        story["region", int(row["id"]), "programmes"] = {
            programme_ids[n] for n in names_in(row["programmes_en"])
        }
    for row in csv_rows(client, "countries"):
        code = row["code"].upper()
        story["country", code, "programmes"] = {
            programme_ids[n] for n in names_in(row["programmes_en"])
        }
        story["country", code, "regions"] = {
            region_ids[n] for n in names_in(row["regions_en"])
        }
    for row in csv_rows(client, "organisations"):
        story["organisation", int(row["id"]), "roles"] = with_roles(
            row["programmes_en"], programme_ids
        )
    return story


# --- The checks -----------------------------------------------------------------


def differences(expected, told, teller):
    return [
        f"{teller} {key}: {sorted(told.get(key, set()))!r}, records say "
        f"{sorted(value)!r}"
        for key, value in expected.items()
        if told.get(key, set()) != value
    ] + [
        f"{teller} tells of {key}, unknown to the records"
        for key in told.keys() - expected.keys()
    ]


def disagreements(client, languages=("fr", "en")):
    expected = records()
    found = []
    for language in languages:
        found += differences(
            expected, story_told_by_pages(client, language), f"pages ({language})"
        )
    found += differences(expected, story_told_by_api(client), "API")
    found += differences(expected, story_told_by_csv(client), "CSV")
    return found


def test_pages_api_and_csv_agree_with_the_records(client, content):
    assert disagreements(client) == []


def test_a_country_s_programmes_benefit_each_of_its_regions(content):
    story = records()
    for (kind, code, what), programmes in story.items():
        if kind == "country" and what == "programmes":
            for region in story[kind, code, "regions"]:
                assert programmes <= story["region", region, "programmes"], code


def test_west_africa_ghana_and_africa_agree(client, content):
    for url in ("/en/regions/west-africa/", "/en/regions/africa/", "/en/countries/gh/"):
        listed = parse(client.get(url)).find(
            ".//section[@aria-labelledby='programmes-heading']"
        )
        hrefs = {a.get("href") for a in listed.iterfind(".//a")}
        assert {"/en/programmes/aircop/", "/en/programmes/crimjust/"} <= hrefs, url


def test_organisation_descriptions_leave_roles_to_the_participations(content):
    # Roles are stated once, in the participations: a description naming a
    # programme could contradict them (UNODC "implements CRIMJUST" did).
    acronyms = [p.acronym for p in Programme.objects.all() if p.acronym]
    for organisation in Organisation.objects.all():
        for language in ("fr", "en"):
            text = getattr(organisation, f"description_{language}") or ""
            named = [acronym for acronym in acronyms if acronym in text]
            assert named == [], (organisation.slug_en, language, named)


def test_the_walk_notices_records_changed_behind_the_pages_back(client, content):
    assert disagreements(client, languages=("en",)) == []
    crimjust = Programme.objects.get(acronym="CRIMJUST")
    # update() sends no signal: the cached pages and answers are not renewed.
    crimjust.participations.filter(organisation__slug_en="unodc").update(role="lead")
    Programme.objects.filter(pk=crimjust.pk).update(beneficiary_countries=["GH"])

    found = "\n".join(disagreements(client, languages=("en",)))

    assert f"('programme', {crimjust.pk}, 'roles')" in found
    assert f"('programme', {crimjust.pk}, 'countries')" in found
    assert "('country', 'NG', 'programmes')" in found
