"""The server-rendered world map of beneficiary countries (public/maps.py)."""

import json
import re

import html5lib
import pytest
from django.utils import translation
from django_countries import countries as all_countries

from programmes.models import Programme, Region
from programmes.public.maps import WORLD_PATHS, world_map_svg, world_paths

from .factories import make_programme, make_region

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
# The aim is about 60 KB for the whole map; the test fails well before pages
# become heavy, whatever the number of highlighted countries.
MAP_BUDGET = 60_000
WORST_CASE_BUDGET = 80_000


def parser():
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)


def svg_of(markup):
    """The map parsed as HTML, the way browsers do: fails on any parse error."""
    (svg,) = parser().parseFragment(str(markup))
    return svg


def map_links(svg):
    """[(href, accessible name)] of the map's links, in document order."""
    return [
        (link.get("href"), link.find(f"{SVG}title").text)
        for link in svg.iter(f"{SVG}a")
    ]


def page_map(response):
    """The page's map (parsed as HTML, the way browsers do), or None."""
    assert response.status_code == 200
    tree = parser().parse(response.content.decode())
    maps = [svg for svg in tree.iter(f"{SVG}svg") if "world-map" in svg.get("class")]
    assert len(maps) <= 1
    return maps[0] if maps else None


def page_map_bytes(response):
    match = re.search(rb'<svg class="world-map".*?</svg>', response.content, re.S)
    return len(match.group(0))


# --- The committed geometry -------------------------------------------------


def test_geometry_covers_every_country_the_content_names(content):
    named = {
        country.code
        for programme in Programme.objects.all()
        for country in programme.beneficiary_countries
    }
    paths = world_paths()
    drawn = set(paths["countries"]) | set(paths["markers"])

    assert len(named) > 20
    assert named - drawn == set()


def test_geometry_is_keyed_by_known_iso_codes_without_antarctica():
    paths = world_paths()

    assert set(paths["countries"]) <= set(dict(all_countries))
    assert set(paths["markers"]) <= set(dict(all_countries))
    assert len(paths["countries"]) > 170
    assert "AQ" not in paths["countries"]
    # Kosovo, Northern Cyprus and Somaliland have no ISO code in world-atlas:
    # drawn, never linked.
    assert len(paths["unassigned"]) == 3
    assert paths["viewBox"].startswith("0 0 ")
    assert "world-atlas" in paths["source"]


def test_small_island_states_have_a_marker():
    markers = world_paths()["markers"]

    # Barbados and Cabo Verde are beneficiaries, absent from the 1:110m file.
    assert {"BB", "CV", "GM", "JM"} <= set(markers)


def test_paths_are_compact_whole_numbers():
    paths = world_paths()
    everything = "".join([*paths["countries"].values(), *paths["unassigned"]])

    assert re.fullmatch(r"(M\d+ \d+l[-\d ]+z)+", everything)
    assert WORLD_PATHS.stat().st_size < MAP_BUDGET


def test_geometry_is_read_once_per_process():
    assert world_paths() is world_paths()
    assert json.loads(WORLD_PATHS.read_text()) == world_paths()


# --- The renderer --------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", [("bb", "Barbade"), ("br", "Brésil"), ("gh", "Ghana")]),
        ("en", [("bb", "Barbados"), ("br", "Brazil"), ("gh", "Ghana")]),
    ],
)
def test_renderer_links_exactly_the_given_countries_named_in_the_language(
    language, expected
):
    urls = {code: f"/{language}/c/{code.lower()}/" for code in ("GH", "BR", "BB")}

    svg = svg_of(world_map_svg(urls, language, "Title", "Description"))

    # In alphabetical order, like the list of countries after the map.
    assert map_links(svg) == [
        (f"/{language}/c/{code}/", name) for code, name in expected
    ]


def test_a_map_drawn_again_is_the_same_markup_in_its_own_language():
    urls = {"GH": "/c/gh/", "BR": "/c/br/"}

    french = world_map_svg(urls, "fr", "Carte", "Description")
    english = world_map_svg(urls, "en", "Map", "Description")

    assert world_map_svg(urls, "fr", "Carte", "Description") is french
    assert [name for _url, name in map_links(svg_of(english))] == ["Brazil", "Ghana"]
    assert [name for _url, name in map_links(svg_of(french))] == ["Brésil", "Ghana"]


def test_renderer_draws_every_other_country_unlinked():
    svg = svg_of(world_map_svg({"GH": "/gh/"}, "en", "Title", "Description"))
    paths = world_paths()

    land = svg.find(f"{SVG}path[@class='world-map__land']").get("d")
    assert paths["countries"]["FR"] in land
    assert paths["countries"]["GH"] not in land
    assert all(shape in land for shape in paths["unassigned"])
    link = svg.find(f"{SVG}a")
    assert link.find(f"{SVG}path").get("d") == paths["countries"]["GH"]


def test_small_country_gets_a_dot_inside_its_link():
    svg = svg_of(world_map_svg({"BB": "/bb/"}, "en", "Title", "Description"))

    link = svg.find(f"{SVG}a")
    dot = link.find(f"{SVG}circle")
    assert [int(dot.get("cx")), int(dot.get("cy"))] == world_paths()["markers"]["BB"]
    assert link.find(f"{SVG}path") is None  # no 1:110m shape for Barbados


def test_renderer_names_and_describes_the_map_for_screen_readers():
    svg = svg_of(world_map_svg({"GH": "/gh/"}, "en", "Map title", "Map text"))

    # Not role="img": that would hide the links inside from screen readers.
    assert svg.get("role") == "group"
    title = svg.find(f"{SVG}title")
    desc = svg.find(f"{SVG}desc")
    assert (title.text, desc.text) == ("Map title", "Map text")
    assert svg.get("aria-labelledby") == title.get("id")
    assert svg.get("aria-describedby") == desc.get("id")
    assert svg.get("viewBox") == world_paths()["viewBox"]


def test_renderer_escapes_addresses_title_and_description():
    markup = world_map_svg(
        {"GH": '/gh/"><script>alert(1)</script>'},
        "en",
        "<b>Title</b> & co",
        '"Text" <i>',
    )

    assert "<script>" not in markup
    assert "<b>" not in markup and "<i>" not in markup
    svg = svg_of(markup)
    assert svg.find(f"{SVG}title").text == "<b>Title</b> & co"
    assert svg.find(f"{SVG}desc").text == '"Text" <i>'
    assert map_links(svg) == [('/gh/"><script>alert(1)</script>', "Ghana")]


def test_map_stays_light_even_with_every_country_highlighted():
    urls = {
        code: f"/en/countries/{code.lower()}/" for code in world_paths()["countries"]
    }

    assert len(str(world_map_svg(urls, "en", "Title", "Description"))) < (
        WORST_CASE_BUDGET
    )


# --- On the pages ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "country_url", "name"),
    [
        ("/fr/programmes/aircop/", "/fr/pays/br/", "Brésil"),
        ("/en/programmes/aircop/", "/en/countries/br/", "Brazil"),
    ],
)
def test_programme_page_maps_its_countries(client, content, url, country_url, name):
    svg = page_map(client.get(url))
    aircop = Programme.objects.get(slug_en="aircop")

    assert len(map_links(svg)) == len(aircop.beneficiary_countries)
    assert (country_url, name) in map_links(svg)


@pytest.mark.parametrize(
    ("url", "title", "count_text"),
    [
        ("/fr/regions/afrique-de-l-ouest/", "Carte de la région Afrique", "les {} "),
        ("/en/regions/west-africa/", "Map of the region West Africa", "the {} "),
    ],
)
def test_region_page_maps_the_region_and_its_beneficiary_countries(
    client, content, url, title, count_text
):
    response = client.get(url)
    svg = page_map(response)
    region = Region.objects.get(slug_en="west-africa")
    members = {c.code for c in region.countries}
    named = {
        c.code for p in Programme.objects.published() for c in p.beneficiary_countries
    }
    expected = members & named

    assert len(expected) > 10  # AIRCOP's and CRIMJUST's West African countries
    assert {href.split("/")[-2].upper() for href, _ in map_links(svg)} == expected
    # The other members are shaded, not linked; the map frames the region.
    assert svg.find(f"{SVG}path[@class='world-map__member']") is not None
    assert svg.get("viewBox") != "0 0 990 439"
    assert svg.find(f"{SVG}title").text.startswith(title)
    assert count_text.format(len(expected)) in svg.find(f"{SVG}desc").text
    # The text equivalent: the same countries, linked, right after the map.
    listed = re.findall(
        r'</svg></div>\s*<ul class="inline-list">(.*?)</ul>',
        response.content.decode(),
        re.S,
    )
    assert sorted(re.findall(r'href="([^"]+)"', listed[0])) == sorted(
        href for href, _ in map_links(svg)
    )


def test_every_map_link_leads_to_its_country_page(client, content):
    hrefs = {
        href
        for url in ("/fr/regions/caraibes/", "/en/regions/africa/")
        for href, _ in map_links(page_map(client.get(url)))
    }

    assert len(hrefs) > 15
    assert {href: client.get(href).status_code for href in hrefs} == dict.fromkeys(
        hrefs, 200
    )


@pytest.mark.parametrize(
    "url",
    ["/fr/programmes/i-raid/", "/en/programmes/mayag/", "/en/regions/worldwide/"],
)
def test_no_map_without_countries(client, content, url):
    assert page_map(client.get(url)) is None


def test_region_map_leaves_out_unpublished_programmes(client):
    region = make_region(countries=["GH", "NG", "SN"])
    make_programme(beneficiary_countries=["GH"]).beneficiary_regions.add(region)
    hidden = make_programme(beneficiary_countries=["NG"], status="draft")
    hidden.beneficiary_regions.add(region)

    with translation.override("en"):
        svg = page_map(client.get(region.get_absolute_url()))

    assert map_links(svg) == [("/en/countries/gh/", "Ghana")]
    # Nigeria and Senegal are members: shaded, not linked.
    assert svg.find(f"{SVG}path[@class='world-map__member']") is not None


def test_country_without_a_shape_stays_in_the_list_only(client):
    # French Guiana is part of France in Natural Earth: no shape of its own.
    programme = make_programme(beneficiary_countries=["GF", "GH"])

    with translation.override("en"):
        response = client.get(programme.get_absolute_url())
    svg = page_map(response)

    assert map_links(svg) == [("/en/countries/gh/", "Ghana")]
    assert "The highlighted country is a link" in svg.find(f"{SVG}desc").text
    assert "French Guiana" in response.content.decode()


def test_no_map_for_a_region_whose_programmes_name_no_country(client):
    region = make_region()
    make_programme().beneficiary_regions.add(region)

    with translation.override("en"):
        assert page_map(client.get(region.get_absolute_url())) is None


@pytest.mark.parametrize(
    "url",
    [
        "/fr/programmes/aircop/",
        "/en/programmes/crimjust/",
        "/fr/regions/caraibes/",
        "/en/regions/west-africa/",
    ],
)
def test_map_on_every_page_is_within_budget(client, content, url):
    assert page_map_bytes(client.get(url)) < MAP_BUDGET


def test_the_region_map_asks_only_about_the_region_s_countries(
    django_assert_num_queries,
):
    """ProgrammeQuerySet.naming: which of a few codes published programmes
    name, in one query that returns a number per code (the region page no
    longer reads every programme's countries)."""
    make_programme(beneficiary_countries=["GH", "NG"])
    make_programme(beneficiary_countries=["AG", "HT"])  # "AG,HT" holds "G,H"
    make_programme(beneficiary_countries=["SN"], status="draft")

    with django_assert_num_queries(1):
        named = Programme.objects.published().naming(["gh", "SN", "ML", "TG"])

    assert named == {"GH"}
    assert Programme.objects.published().naming([]) == set()
