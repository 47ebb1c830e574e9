"""Country pages, the country index, and which regions a country belongs to."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import resolve, reverse
from django.utils import translation
from django_countries import countries

from programmes.content.loading import DEFAULT_CONTENT_FILE
from programmes.models import LoadedRecord, Programme, Region

from .factories import make_programme, make_region
from .helpers import CARD_LINKS, links, parse, text_of

pytestmark = pytest.mark.django_db


def load(*args):
    out = StringIO()
    call_command("load_content", *args, stdout=out)
    return out.getvalue()


def main_links(response):
    return links(parse(response), ".//main//a")


# --- Addresses ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "country_list", "country_detail"),
    [
        ("fr", "/fr/pays/", "/fr/pays/gh/"),
        ("en", "/en/countries/", "/en/countries/gh/"),
    ],
)
def test_country_urls_are_translated(language, country_list, country_detail):
    with translation.override(language):
        assert reverse("programmes:country_list") == country_list
        assert reverse("programmes:country_detail", kwargs={"code": "gh"}) == (
            country_detail
        )
        assert resolve(country_detail).kwargs == {"code": "gh"}


def test_the_other_languages_segment_is_404(client, content):
    assert client.get("/fr/countries/gh/").status_code == 404
    assert client.get("/en/pays/gh/").status_code == 404


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/fr/pays/GH/", "/fr/pays/gh/"),
        ("/en/countries/GH/", "/en/countries/gh/"),
        ("/en/countries/Gh/", "/en/countries/gh/"),
    ],
)
def test_an_upper_case_code_redirects_permanently_to_lower_case(
    client, content, url, expected
):
    response = client.get(url)

    assert response.status_code == 301
    assert response["Location"] == expected


@pytest.mark.parametrize(
    "url",
    [
        "/en/countries/xx/",  # not an ISO 3166 code
        "/en/countries/gha/",  # alpha-3, not alpha-2
        "/en/countries/288/",  # numeric
        "/en/countries/g/",
        "/en/countries/fr/",  # valid, but no published programme names France
        "/fr/pays/fr/",
    ],
)
def test_a_code_that_is_no_beneficiary_country_is_404(client, content, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/en/countries/XX/", "/fr/pays/%ED%A0%80/"])
def test_upper_case_text_that_is_no_country_code_is_404_not_a_redirect(
    client, content, url
):
    assert client.get(url).status_code == 404


def test_an_upper_case_code_of_no_beneficiary_redirects_then_is_404(client, content):
    response = client.get("/fr/pays/FR/", follow=True)

    assert response.redirect_chain == [("/fr/pays/fr/", 301)]
    assert response.status_code == 404


def test_countries_of_unpublished_programmes_have_no_page(client, content):
    make_programme(status="draft", beneficiary_countries=["FR", "GH"])
    Programme.objects.filter(acronym="AIRCOP").update(status="draft")

    # Morocco is named by AIRCOP only, Ghana by CRIMJUST too.
    assert client.get("/en/countries/ma/").status_code == 404
    assert client.get("/en/countries/fr/").status_code == 404
    assert client.get("/en/countries/gh/").status_code == 200
    index = main_links(client.get("/en/countries/"))
    assert "/en/countries/ma/" not in index
    assert "/en/countries/fr/" not in index
    assert "/en/programmes/aircop/" not in main_links(client.get("/en/countries/gh/"))


# --- Country page --------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/fr/pays/ec/", "Équateur"),
        ("/en/countries/ec/", "Ecuador"),
        ("/fr/pays/cv/", "Cap-Vert"),
        ("/en/countries/cv/", "Cabo Verde"),
        ("/fr/pays/do/", "République dominicaine"),
        ("/en/countries/do/", "Dominican Republic"),
    ],
)
def test_country_page_names_the_country_in_the_page_language(
    client, content, url, name
):
    tree = parse(client.get(url))

    assert tree.find(".//h1").text == name
    assert tree.find(".//title").text.startswith(f"{name} · ")
    assert tree.find(".//nav[@class='breadcrumbs']//li[@aria-current='page']").text == (
        name
    )
    assert name in tree.find(".//meta[@name='description']").get("content")


@pytest.mark.parametrize(
    ("url", "present", "absent"),
    [
        (
            "/en/countries/gh/",
            ["/en/programmes/crimjust/", "/en/programmes/aircop/"],
            ["/en/programmes/i-raid/", "/en/programmes/mayag/"],
        ),
        (
            "/fr/pays/ar/",
            ["/fr/programmes/crimjust/"],
            ["/fr/programmes/aircop/", "/fr/programmes/i-raid/"],
        ),
        (
            "/fr/pays/ma/",
            ["/fr/programmes/aircop/"],
            ["/fr/programmes/crimjust/"],
        ),
    ],
)
def test_country_page_lists_the_programmes_that_name_it(
    client, content, url, present, absent
):
    tree = parse(client.get(url))
    cards = links(tree, CARD_LINKS)

    assert sorted(cards) == sorted(present)
    assert not set(absent) & set(cards)


@pytest.mark.parametrize(
    ("url", "regions"),
    [
        ("/en/countries/gh/", ["/en/regions/africa/", "/en/regions/west-africa/"]),
        ("/fr/pays/gh/", ["/fr/regions/afrique/", "/fr/regions/afrique-de-l-ouest/"]),
        ("/fr/pays/ma/", ["/fr/regions/afrique/"]),
        ("/en/countries/ec/", ["/en/regions/latin-america/"]),
        ("/en/countries/do/", ["/en/regions/caribbean/"]),
        ("/fr/pays/jm/", ["/fr/regions/caraibes/"]),
    ],
)
def test_country_page_links_the_regions_that_contain_it(client, content, url, regions):
    tree = parse(client.get(url))
    section = tree.find(".//section[@aria-labelledby='regions-heading']")

    assert links(section) == regions


def test_region_names_are_in_the_page_language(client, content):
    french = text_of(client.get("/fr/pays/gh/"))
    english = text_of(client.get("/en/countries/gh/"))

    assert "Afrique de l’Ouest" in french and "Régions" in french
    assert (
        "West Africa" in english and "Programmes that benefit this country" in english
    )


def test_a_country_in_no_region_has_no_regions_section(client, db):
    make_programme(beneficiary_countries=["FR"])
    make_region(countries=["DE"])

    tree = parse(client.get("/en/countries/fr/"))

    assert tree.find(".//section[@aria-labelledby='regions-heading']") is None
    assert tree.find(".//h1").text == "France"


@pytest.mark.parametrize(
    ("french", "english"),
    [("/fr/pays/gh/", "/en/countries/gh/"), ("/fr/pays/", "/en/countries/")],
)
def test_language_switcher_and_alternates_lead_to_the_other_language(
    client, content, french, english
):
    for url, other_language, other_url in (
        (french, "en", english),
        (english, "fr", french),
    ):
        tree = parse(client.get(url))
        switcher = tree.find(".//nav[@class='language-switcher']//a")
        alternates = {
            link.get("hreflang"): link.get("href")
            for link in tree.iterfind(".//link[@rel='alternate'][@hreflang]")
        }

        assert switcher.get("href") == other_url
        assert switcher.get("hreflang") == other_language
        assert alternates == {
            "fr": f"http://testserver{french}",
            "en": f"http://testserver{english}",
            "x-default": f"http://testserver{french}",
        }
        assert tree.find(".//link[@rel='canonical']").get("href") == (
            f"http://testserver{url}"
        )


# --- Country index ---------------------------------------------------------------


def index_entries(response):
    tree = parse(response)
    return [
        (
            "".join(li.find("a").itertext()),
            li.find("a").get("href"),
            li.find("span").text,
        )
        for li in tree.iterfind(".//main//ul[@class='entity-list']/li")
    ]


def test_country_index_lists_every_beneficiary_country_once(client, content):
    entries = index_entries(client.get("/en/countries/"))
    named = {
        code
        for programme in Programme.objects.published()
        for code in programme.beneficiary_countries
    }

    assert len(entries) == len(named) == 24
    assert {href for _name, href, _count in entries} == {
        f"/en/countries/{code.code.lower()}/" for code in named
    }


def test_country_index_sorts_by_name_in_the_page_language_ignoring_accents(
    client, content
):
    french = [name for name, _href, _count in index_entries(client.get("/fr/pays/"))]
    english = [
        name for name, _href, _count in index_entries(client.get("/en/countries/"))
    ]

    assert french[:5] == ["Argentine", "Barbade", "Bénin", "Bolivie", "Brésil"]
    assert (
        french.index("Côte d’Ivoire")
        < french.index("Équateur")
        < french.index("Gambie")
    )
    assert english.index("Cabo Verde") < english.index("Cameroon")
    assert english.index("Dominican Republic") < english.index("Ecuador")


def test_country_index_counts_the_programmes_of_each_country(client, content):
    english = {
        name: count
        for name, _href, count in index_entries(client.get("/en/countries/"))
    }
    french = {
        name: count for name, _href, count in index_entries(client.get("/fr/pays/"))
    }

    assert english["Ghana"] == "2 programmes"
    assert english["Argentina"] == "1 programme"
    assert french["Cap-Vert"] == "2 programmes"
    assert french["Maroc"] == "1 programme"


def test_country_index_is_in_the_main_menu_and_the_footer(client, content):
    for url, index in (("/fr/", "/fr/pays/"), ("/en/programmes/", "/en/countries/")):
        tree = parse(client.get(url))

        assert index in links(tree, ".//footer//a")
        assert index in links(tree, ".//nav[@class='site-nav']//a")


@pytest.mark.parametrize(
    ("url", "label"), [("/fr/pays/", "Pays"), ("/en/countries/", "Countries")]
)
def test_main_menu_marks_the_country_index_as_current(client, content, url, label):
    menu = parse(client.get(url)).find(".//nav[@class='site-nav']")

    current = menu.findall(".//a[@aria-current='page']")
    assert [(a.get("href"), a.text) for a in current] == [(url, label)]


def test_main_menu_marks_only_the_current_section(client, content):
    menu = parse(client.get("/en/programmes/")).find(".//nav[@class='site-nav']")

    current = [a.get("href") for a in menu.iterfind(".//a[@aria-current='page']")]
    assert current == ["/en/programmes/"]


def test_country_index_without_content_says_so(client, db):
    assert "No country yet." in text_of(client.get("/en/countries/"))


# --- Programme pages link their countries ---------------------------------------------


@pytest.mark.parametrize(
    ("url", "name", "href"),
    [
        ("/fr/programmes/crimjust/", "Équateur", "/fr/pays/ec/"),
        ("/en/programmes/crimjust/", "Ecuador", "/en/countries/ec/"),
        ("/fr/programmes/aircop/", "Cap-Vert", "/fr/pays/cv/"),
        ("/en/programmes/aircop/", "Cabo Verde", "/en/countries/cv/"),
    ],
)
def test_programme_page_links_each_country_to_its_page(
    client, content, url, name, href
):
    tree = parse(client.get(url))
    countries_list = tree.findall(
        ".//section[@aria-labelledby='beneficiaries-heading']//ul[2]/li/a"
    )

    assert {a.text: a.get("href") for a in countries_list}[name] == href
    assert all(client.get(a.get("href")).status_code == 200 for a in countries_list)


# --- Querysets ------------------------------------------------------------------


def test_for_country_matches_whole_codes_only(db):
    # Stored as "AG,HT": "GH" appears nowhere, "G,H" straddles the comma.
    antigua_haiti = make_programme(beneficiary_countries=["AG", "HT"])
    ghana = make_programme(beneficiary_countries=["GH"])

    assert list(Programme.objects.for_country("GH")) == [ghana]
    assert list(Programme.objects.for_country("gh")) == [ghana]
    assert list(Programme.objects.for_country("ht")) == [antigua_haiti]


def test_regions_containing_a_country(db):
    both = make_region(countries=["GH", "NG"])
    make_region(countries=["AG", "HT"])

    assert list(Region.objects.containing("gh")) == [both]
    assert list(Region.objects.containing("GH")) == [both]


def test_beneficiary_countries_counts_published_programmes(db):
    make_programme(beneficiary_countries=["GH", "NG"])
    make_programme(beneficiary_countries=["GH"])
    make_programme(beneficiary_countries=["FR"], status="draft")
    make_programme(beneficiary_countries=[])

    with translation.override("fr"):
        result = [
            (country.code, country.name, count)
            for country, count in Programme.objects.published().beneficiary_countries()
        ]

    assert result == [("GH", "Ghana", 2), ("NG", "Nigeria", 1)]


# --- Query counts ----------------------------------------------------------------


# The query count of the country pages with 4 and 200 programmes:
# tests/test_queries.py (every public address, both languages).


# --- Region membership in the content ---------------------------------------------


def region(slug_en):
    return Region.objects.get(slug_en=slug_en)


def test_region_membership_is_loaded(content):
    west_africa = region("west-africa").countries
    codes = {
        slug: {c.code for c in region(slug).countries}
        for slug in (
            "worldwide",
            "latin-america",
            "caribbean",
            "africa",
            "west-africa",
            "middle-east",
            "south-east-europe",
            "south-east-asia",
        )
    }

    assert len(west_africa) == 17 and {"GH", "CV", "NG", "SN"} <= codes["west-africa"]
    assert codes["west-africa"] < codes["africa"]
    assert {"MA", "EG", "ZA"} <= codes["africa"]
    assert "DO" in codes["caribbean"] and "DO" not in codes["latin-america"]
    assert {"AR", "BR", "EC", "MX", "PA"} <= codes["latin-america"]
    assert not codes["latin-america"] & codes["caribbean"]
    assert (
        "TR" in codes["middle-east"]
        and not {"CY", "AM", "AZ", "GE"} & codes["middle-east"]
    )
    assert codes["south-east-europe"] == {
        "AL",
        "BA",
        "BG",
        "GR",
        "HR",
        "ME",
        "MK",
        "RO",
        "RS",
        "SI",
    }
    assert {"TH", "VN", "ID"} <= codes["south-east-asia"]
    assert codes["worldwide"] == set()
    every_code = set().union(*codes.values())
    assert all(code in countries for code in every_code)


def test_every_beneficiary_country_of_the_content_is_in_a_region(content):
    for programme in Programme.objects.published():
        for country in programme.beneficiary_countries:
            assert Region.objects.containing(country.code).exists(), country.code


def test_reloading_with_region_countries_changes_nothing(content):
    fingerprints = list(LoadedRecord.objects.values_list("key", "object_fingerprint"))

    output = load()

    assert "0 updated" in output and " 0 kept" in output
    assert list(LoadedRecord.objects.values_list("key", "object_fingerprint")) == (
        fingerprints
    )
    assert len(region("africa").countries) == 60


def without_region_countries(text):
    return re.sub(r"^countries = \[.*?\]\n", "", text, flags=re.M | re.S)


def test_a_field_new_in_the_file_fills_records_nobody_edited(tmp_path, db):
    older = tmp_path / "older.toml"
    older.write_text(without_region_countries(DEFAULT_CONTENT_FILE.read_text()))
    load("--file", str(older))
    assert region("africa").countries == []
    # An editor fills one region in the admin before the file gains the lists.
    Region.objects.filter(slug_en="caribbean").update(countries=["JM"])

    output = load()

    assert "region:africa: updated" in output
    assert len(region("africa").countries) == 60
    assert "region:caribbean: kept (edited in the admin)" in output
    assert [c.code for c in region("caribbean").countries] == ["JM"]
    assert "0 updated" in load()


def test_a_field_an_editor_emptied_stays_empty(content):
    Region.objects.filter(slug_en="africa").update(countries=[])

    output = load()

    assert "region:africa: kept (edited in the admin)" in output
    assert region("africa").countries == []
