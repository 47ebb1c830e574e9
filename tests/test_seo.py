"""Sitemap, robots.txt, Atom feeds, and the metadata pages give for sharing."""

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from programmes.models import Organisation, Programme, Region
from programmes.public.metadata import json_ld_script
from programmes.public.sitemaps import SITEMAPS, ProgrammeSitemap

from .factories import add_participation, make_organisation, make_programme, make_region
from .helpers import parse, sitemap_index, sitemap_pages
from .pages import PAGE_TYPES, PUBLIC_PAGES

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ATOM = "{http://www.w3.org/2005/Atom}"
LANGUAGES = ("fr", "en")
FEEDS = {"fr": "/fr/flux/", "en": "/en/feed/"}
SHOWN_PAGES = [
    (name, path)
    for name, paths in PAGE_TYPES.items()
    if name != "not-found"
    for path in paths
]


def absolute(path):
    return f"http://testserver{path}"


def path_in(language, page):
    """The path of `page` (an object or a URL name) in `language`."""
    with translation.override(language):
        return reverse(page) if isinstance(page, str) else page.get_absolute_url()


def url_in(language, page):
    return absolute(path_in(language, page))


def sitemap_entries(client):
    """{loc: (lastmod, {hreflang: href})} from every page the sitemap index names."""
    return {
        url.findtext(f"{SITEMAP}loc"): (
            url.findtext(f"{SITEMAP}lastmod"),
            {
                link.get("hreflang"): link.get("href")
                for link in url.iterfind(f"{XHTML}link[@rel='alternate']")
            },
        )
        for root in sitemap_pages(client)
        for url in root.iterfind(f"{SITEMAP}url")
    }


def day(moment):
    """A sitemap's lastmod: the date in the site's time zone."""
    return f"{timezone.localtime(moment):%Y-%m-%d}"


def is_indexed(client, path):
    tree = parse(client.get(path))
    return tree.find(".//head/meta[@name='robots'][@content='noindex']") is None


def json_ld(tree):
    """{@type: data} of the page's JSON-LD scripts."""
    items = [
        json.loads(script.text)
        for script in tree.iterfind(".//head/script[@type='application/ld+json']")
    ]
    return {item["@type"]: item for item in items}


def meta_property(tree, name):
    element = tree.find(f".//head/meta[@property='{name}']")
    return element.get("content") if element is not None else None


# --- Sitemap -----------------------------------------------------------------


def test_sitemap_lists_every_published_page_in_both_languages(client, content):
    entries = sitemap_entries(client)
    newest_programme = max(p.updated_at for p in Programme.objects.published())
    pages = [
        (name, newest_programme)
        for name in (
            "home",
            "programmes:programme_list",
            "programmes:country_list",
        )
    ] + [
        (
            "programmes:organisation_list",
            max(o.updated_at for o in Organisation.objects.all()),
        ),
        ("programmes:region_list", max(r.updated_at for r in Region.objects.all())),
    ]
    objects = [
        *[(p, p.updated_at) for p in Programme.objects.published()],
        *[(o, o.updated_at) for o in Organisation.objects.all()],
        *[(r, r.updated_at) for r in Region.objects.all()],
    ]
    for page, lastmod in pages + objects:
        urls = {language: url_in(language, page) for language in LANGUAGES}
        expected_default = "http://testserver/" if page == "home" else urls["fr"]
        # hreflang names the languages a page is complete in (a few bodies
        # have no French name): tests/test_fallbacks.py.
        complete = page.complete_languages() if hasattr(page, "pk") else LANGUAGES
        alternates = {code: url for code, url in urls.items() if code in complete}
        for url in urls.values():
            assert url in entries, url
            assert entries[url] == (
                day(lastmod),
                alternates | {"x-default": expected_default},
            ), url

    # Every indexed page type the other tests visit is listed (but filtered
    # lists and search results), and every entry answers.
    for _name, path in SHOWN_PAGES:
        if "?" not in path and is_indexed(client, path):
            assert absolute(path) in entries
    for url in entries:
        assert client.get(urlsplit(url).path).status_code == 200, url


def test_sitemap_lists_the_country_pages(client, content):
    entries = sitemap_entries(client)
    crimjust = Programme.objects.get(slug_en="crimjust")

    for url in (absolute("/fr/pays/gh/"), absolute("/en/countries/gh/")):
        lastmod, alternates = entries[url]
        assert alternates == {
            "fr": absolute("/fr/pays/gh/"),
            "en": absolute("/en/countries/gh/"),
            "x-default": absolute("/fr/pays/gh/"),
        }
        assert lastmod == day(crimjust.updated_at)


def test_sitemap_leaves_out_unpublished_programmes(client, content):
    hidden = make_programme(status="draft", beneficiary_countries=["IS"])
    entries = sitemap_entries(client)

    for language in LANGUAGES:
        assert url_in(language, hidden) not in entries
    assert not [url for url in entries if url.endswith(("/pays/is/", "/countries/is/"))]


def test_sitemap_list_pages_change_when_what_they_show_changes(client, content):
    newest = datetime(2031, 5, 17, tzinfo=UTC)
    Programme.objects.filter(slug_en="aircop").update(updated_at=newest)
    # An unpublished programme changed later does not count.
    make_programme(status="draft")
    Programme.objects.filter(status="draft").update(
        updated_at=datetime(2032, 1, 1, tzinfo=UTC)
    )
    entries = sitemap_entries(client)

    for path in ("/fr/", "/en/programmes/", "/fr/programmes/aircop/"):
        assert entries[absolute(path)][0] == "2031-05-17"
    assert entries[absolute("/en/programmes/crimjust/")][0] != "2031-05-17"
    assert entries[absolute("/en/organisations/")][0] != "2031-05-17"


def test_sitemap_lists_a_language_without_a_slug_at_the_default_slug(client, db):
    # The page exists there (content.bases.with_slug); hreflang still names
    # only the languages it is complete in.
    organisation = make_organisation(slug_en=None)
    entries = sitemap_entries(client)

    english_page = absolute(f"/en/organisations/{organisation.slug_fr}/")
    assert url_in("fr", organisation) in entries
    assert english_page in entries
    assert client.get(english_page).status_code == 200
    for page in (url_in("fr", organisation), english_page):
        assert entries[page][1] == {
            "fr": url_in("fr", organisation),
            "x-default": url_in("fr", organisation),
        }


# --- robots.txt --------------------------------------------------------------


def test_robots_txt_allows_all_but_the_admin_and_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert [line for line in lines if line.startswith("Disallow")] == [
        "Disallow: /admin/"
    ]
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def longest_match_allows(robots_txt, path):
    """Google's reading: the longest matching rule wins, Allow on a tie.

    Enough for this file: one group for every user agent, no wildcards.
    """
    rules = []
    for line in robots_txt.splitlines():
        field, _colon, value = line.partition(":")
        value = value.strip()
        if field.strip().lower() in ("allow", "disallow") and value:
            rules.append((len(value), field.strip().lower() == "allow", value))
    matching = [
        (length, allow) for length, allow, value in rules if path.startswith(value)
    ]
    return max(matching, default=(0, True))[1]


def test_robots_txt_means_the_same_to_first_and_longest_match_readers(
    client, db, settings
):
    # Python's urllib.robotparser applies the first rule that matches, Google
    # and RFC 9309 the longest one: the file must mean the same to both.
    robots_txt = client.get("/robots.txt").content.decode()
    first_match = RobotFileParser()
    first_match.parse(robots_txt.splitlines())
    admin = "/" + settings.ADMIN_PATH
    public = ["/", "/fr/", "/en/programmes/", "/api/v1/programmes/", "/sitemap.xml"]

    for path in public + [admin, admin + "login/", admin + "programmes/"]:
        allowed = path in public
        assert first_match.can_fetch("AnyBot", f"http://testserver{path}") is allowed
        assert longest_match_allows(robots_txt, path) is allowed, path


# --- Atom feeds --------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_feed_lists_published_programmes_newest_first_in_its_language(
    client, content, language
):
    hidden = make_programme(status="draft")
    Programme.objects.filter(slug_en="crimjust").update(
        updated_at=datetime(2031, 5, 17, tzinfo=UTC)
    )
    response = client.get(FEEDS[language])

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == language
    entries = feed.findall(f"{ATOM}entry")
    with translation.override(language):
        programmes = {
            absolute(p.get_absolute_url()): p for p in Programme.objects.published()
        }
        hidden_url = absolute(hidden.get_absolute_url())
        assert feed.findtext(f"{ATOM}title") == translation.gettext(
            "INTERPOL programmes against drug trafficking"
        )
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries]
    assert sorted(links) == sorted(programmes)
    assert hidden_url not in links
    assert links[0] == url_in(language, Programme.objects.get(slug_en="crimjust"))
    updated = [entry.findtext(f"{ATOM}updated") for entry in entries]
    assert updated == sorted(updated, reverse=True)
    for entry, link in zip(entries, links, strict=True):
        programme = programmes[link]
        with translation.override(language):
            assert entry.findtext(f"{ATOM}title") == programme.title
            # The summary, then its newest results (a test of its own below).
            summary = entry.findtext(f"{ATOM}summary").partition("<h2>")[0]
            assert summary == programme.summary
        assert entry.findtext(f"{ATOM}id") == link
        assert entry.findtext(f"{ATOM}updated") == programme.updated_at.isoformat()
        assert client.get(urlsplit(link).path).status_code == 200


def test_feed_titles_are_in_the_feed_language(client, content):
    french = ET.fromstring(client.get("/fr/flux/").content)
    english = ET.fromstring(client.get("/en/feed/").content)

    def titles(feed):
        return {entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")}

    assert "Projet de communication aéroportuaire (AIRCOP)" in titles(french)
    assert "Airport Communication Project (AIRCOP)" in titles(english)
    assert french.findtext(f"{ATOM}subtitle") == (
        "Programmes récemment publiés ou mis à jour"
    )


def test_feed_summary_keeps_markup_characters_as_text(client, db):
    make_programme(summary_en="Ports < airports & roads", slug_en="marked")
    feed = ET.fromstring(client.get("/en/feed/").content)

    # Atom summaries are type="html": the text arrives escaped once more.
    summary = feed.find(f"{ATOM}entry/{ATOM}summary")
    assert summary.get("type") == "html"
    assert summary.text == "Ports &lt; airports &amp; roads"


@pytest.mark.parametrize(
    ("language", "newest", "older"),
    [
        (
            "en",
            "Regional meeting of the heads of JAITFs, Abidjan (December 2024)",
            "Results to 2017",
        ),
        (
            "fr",
            "Réunion régionale des chefs de CAAT, Abidjan (décembre 2024)",
            "Bilan de 2017",
        ),
    ],
)
def test_feed_entries_give_the_programme_s_newest_results_dated_and_sourced(
    client, content, language, newest, older
):
    feed = ET.fromstring(client.get(FEEDS[language]).content)
    summaries = {
        entry.findtext(f"{ATOM}title"): entry.findtext(f"{ATOM}summary")
        for entry in feed.iter(f"{ATOM}entry")
    }
    aircop = next(text for title, text in summaries.items() if "AIRCOP" in title)
    html = ET.fromstring(f"<div>{aircop}</div>")
    shown = " ".join(" ".join(html.itertext()).split())

    assert newest in shown
    # The three newest only, newest first.
    assert older not in shown
    assert len(html.findall(".//li")) == 3
    sources = [a.get("href") for a in html.iter("a")]
    assert (
        "https://www.unodc.org/unodc/en/organized-crime/AIRCOP/News/"
        "2019-26-06-aircop-fights-drug-trafficking.html" in sources
    )


@pytest.mark.parametrize(("name", "path"), PUBLIC_PAGES)
def test_every_page_links_to_the_feed_in_its_language(client, content, name, path):
    tree = parse(client.get(path))
    language = path.split("/")[1]

    link = tree.find(".//head/link[@type='application/atom+xml']")
    assert link.get("rel") == "alternate"
    assert link.get("href") == FEEDS[language]
    assert link.get("title")


# --- Open Graph, Twitter card and JSON-LD ------------------------------------


@pytest.mark.parametrize(("name", "path"), SHOWN_PAGES)
def test_every_page_has_sharing_metadata_matching_its_title_and_canonical(
    client, content, name, path
):
    if not is_indexed(client, path):
        return  # Kept out of search engines (search results): nothing to share.
    tree = parse(client.get(path))
    language = path.split("/")[1]
    canonical = tree.find(".//head/link[@rel='canonical']").get("href")
    title = tree.findtext(".//head/title").rsplit(" · ", 1)[0]
    description = tree.find(".//head/meta[@name='description']").get("content")

    assert description.strip()
    assert meta_property(tree, "og:url") == canonical == absolute(path)
    assert meta_property(tree, "og:title") == title
    assert meta_property(tree, "og:description") == description
    assert meta_property(tree, "og:type") == "website"
    assert meta_property(tree, "og:locale") == {"fr": "fr_FR", "en": "en_GB"}[language]
    assert (
        meta_property(tree, "og:locale:alternate")
        == {
            "fr": "en_GB",
            "en": "fr_FR",
        }[language]
    )
    assert meta_property(tree, "og:site_name") == tree.findtext(
        ".//a[@class='site-name']/span[@class='site-name__text']"
    )
    # Pages with a share card (share_cards.py) show it large; lists have none.
    card = tree.find(".//head/meta[@name='twitter:card']").get("content")
    if meta_property(tree, "og:image"):
        assert card == "summary_large_image"
        assert meta_property(tree, "og:image:width") == "1200"
        assert meta_property(tree, "og:image:height") == "630"
        assert meta_property(tree, "og:image:alt")
    else:
        assert card == "summary"


def test_sharing_url_is_the_canonical_of_a_later_page_of_a_list(client, db):
    for _ in range(21):
        make_programme()
    tree = parse(client.get("/en/programmes/?page=2"))

    canonical = tree.find(".//head/link[@rel='canonical']").get("href")
    assert canonical == absolute("/en/programmes/?page=2")
    assert meta_property(tree, "og:url") == canonical


def test_the_404_page_has_no_sharing_metadata(client, content):
    tree = parse(client.get("/en/no-such-page/"))

    assert meta_property(tree, "og:url") is None
    assert json_ld(tree) == {}


# The governments UNODC lists as AIRCOP's other donors (site.toml).
AIRCOP_OTHER_DONORS = {
    "fr": [
        "Canada",
        "France",
        "Japon",
        "Pays-Bas",
        "Norvège",
        "États-Unis",
        "Australie",
        "Royaume-Uni",
    ],
    "en": [
        "Canada",
        "France",
        "Japan",
        "Netherlands",
        "Norway",
        "United States",
        "Australia",
        "United Kingdom",
    ],
}


@pytest.mark.parametrize(
    ("path", "name", "acronym", "funders", "members"),
    [
        (
            "/fr/programmes/aircop/",
            "Projet de communication aéroportuaire",
            "AIRCOP",
            ["Union européenne", *AIRCOP_OTHER_DONORS["fr"]],
            ["ONUDC", "INTERPOL", "OMD"],
        ),
        (
            "/en/programmes/aircop/",
            "Airport Communication Project",
            "AIRCOP",
            ["European Union", *AIRCOP_OTHER_DONORS["en"]],
            ["UNODC", "INTERPOL", "WCO"],
        ),
    ],
)
def test_programme_page_describes_a_schema_org_project(
    client, content, path, name, acronym, funders, members
):
    data = json_ld(parse(client.get(path)))
    project = data["Project"]
    programme = Programme.objects.get(slug_en="aircop")
    language = path.split("/")[1]

    assert project["@context"] == "https://schema.org"
    assert project["name"] == name
    assert project["alternateName"] == acronym
    assert project["url"] == absolute(path)
    with translation.override(language):
        assert project["description"] == programme.summary
        assert project["sameAs"] == programme.website
    assert project["foundingDate"] == str(programme.start_year)
    assert [funder["name"] for funder in project["funder"]] == funders
    assert [member["alternateName"] for member in project["member"]] == members
    assert all(
        o["@type"] == "Organization" for o in project["funder"] + project["member"]
    )
    areas = {area["name"]: area for area in project["areaServed"]}
    if language == "fr":
        assert areas["Caraïbes"]["url"] == absolute("/fr/regions/caraibes/")
        assert areas["Sénégal"] == {
            "@type": "Country",
            "name": "Sénégal",
            "url": absolute("/fr/pays/sn/"),
        }
    else:
        assert areas["Caribbean"]["url"] == absolute("/en/regions/caribbean/")
        assert areas["Senegal"]["@type"] == "Country"
    assert [item["name"] for item in data["BreadcrumbList"]["itemListElement"]] == (
        ["Accueil", "Programmes", f"{name} (AIRCOP)"]
        if language == "fr"
        else ["Home", "Programmes", f"{name} (AIRCOP)"]
    )


@pytest.mark.parametrize(
    ("path", "name", "acronym"),
    [
        (
            "/fr/organisations/onudc/",
            "Office des Nations Unies contre la drogue et le crime",
            "ONUDC",
        ),
        (
            "/en/organisations/unodc/",
            "United Nations Office on Drugs and Crime",
            "UNODC",
        ),
    ],
)
def test_organisation_page_describes_a_schema_org_organization(
    client, content, path, name, acronym
):
    data = json_ld(parse(client.get(path)))
    organisation = data["Organization"]
    unodc = Organisation.objects.get(slug_en="unodc")

    assert organisation["name"] == name
    assert organisation["alternateName"] == acronym
    assert organisation["url"] == absolute(path)
    assert organisation["sameAs"] == unodc.website
    with translation.override(path.split("/")[1]):
        assert organisation["description"] == unodc.description
    crumbs = data["BreadcrumbList"]["itemListElement"]
    assert [crumb["position"] for crumb in crumbs] == [1, 2, 3]
    assert crumbs[-1] == {
        "@type": "ListItem",
        "position": 3,
        "name": acronym,
        "item": absolute(path),
    }


def test_organisation_without_website_has_no_same_as(client, db):
    organisation = make_organisation(website="")
    data = json_ld(parse(client.get(path_in("en", organisation))))

    assert "sameAs" not in data["Organization"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_page_describes_the_website(client, content, language):
    data = json_ld(parse(client.get(f"/{language}/")))

    website = data["WebSite"]
    assert website["url"] == absolute(f"/{language}/")
    assert website["inLanguage"] == language
    with translation.override(language):
        assert website["name"] == translation.gettext(
            "INTERPOL programmes against drug trafficking"
        )
    assert "BreadcrumbList" not in data


@pytest.mark.parametrize(
    ("path", "trail"),
    [
        ("/fr/regions/caraibes/", ["Accueil", "Régions", "Caraïbes"]),
        ("/en/regions/caribbean/", ["Home", "Regions", "Caribbean"]),
        ("/fr/organisations/", ["Accueil", "Organisations"]),
        ("/en/programmes/", ["Home", "Programmes"]),
        ("/fr/pays/gh/", ["Accueil", "Pays", "Ghana"]),
    ],
)
def test_pages_with_breadcrumbs_describe_them(client, content, path, trail):
    tree = parse(client.get(path))
    crumbs = json_ld(tree)["BreadcrumbList"]["itemListElement"]

    assert [crumb["name"] for crumb in crumbs] == trail
    assert crumbs[-1]["item"] == absolute(path)
    visible = [
        " ".join("".join(li.itertext()).split())
        for li in tree.iterfind(".//nav[@class='breadcrumbs']//li")
    ]
    assert visible == trail


@pytest.mark.parametrize(("name", "path"), SHOWN_PAGES)
def test_breadcrumb_list_matches_the_visible_breadcrumbs(client, content, name, path):
    if not is_indexed(client, path):
        return
    tree = parse(client.get(path))
    visible = [
        " ".join("".join(li.itertext()).split())
        for li in tree.iterfind(".//nav[@class='breadcrumbs']//li")
    ]
    data = json_ld(tree)

    if not visible:
        assert "BreadcrumbList" not in data
        return
    crumbs = data["BreadcrumbList"]["itemListElement"]
    assert [" ".join(crumb["name"].split()) for crumb in crumbs] == visible
    assert [crumb["position"] for crumb in crumbs] == list(range(1, len(visible) + 1))
    canonical = tree.find(".//head/link[@rel='canonical']").get("href")
    assert crumbs[-1]["item"] == canonical
    links = [a.get("href") for a in tree.iterfind(".//nav[@class='breadcrumbs']//a")]
    assert [crumb["item"] for crumb in crumbs[:-1]] == [absolute(h) for h in links]


def test_json_ld_cannot_end_its_script_element():
    script = str(json_ld_script({"name": "</script><!-- A & B"}))

    assert script.startswith('<script type="application/ld+json">')
    inner = script.removeprefix('<script type="application/ld+json">').removesuffix(
        "</script>"
    )
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert json.loads(inner) == {"name": "</script><!-- A & B"}


def test_stored_text_in_json_ld_is_escaped(client, db):
    make_programme(name_en="Evil </script><script>alert(1)</script>", slug_en="evil")
    page = client.get("/en/programmes/evil/").content.decode()

    assert "<script>alert(1)" not in page
    assert json_ld(parse(client.get("/en/programmes/evil/")))["Project"]["name"] == (
        "Evil </script><script>alert(1)</script>"
    )


# --- Queries -----------------------------------------------------------------


def build_programmes(count):
    organisation = make_organisation()
    region = make_region()
    for number in range(count):
        programme = make_programme(beneficiary_countries=["GH", "NG"][: number % 3])
        programme.beneficiary_regions.add(region)
        add_participation(programme, organisation, role="funder")


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_sitemap_and_feed_queries_do_not_grow_with_the_content(client, db):
    sections = [f"/sitemap-{name}.xml" for name in SITEMAPS]
    urls = ["/sitemap.xml", *sections, "/fr/flux/", "/en/feed/"]
    build_programmes(4)
    with_4 = [count_queries(client, url) for url in urls]

    build_programmes(196)
    with_200 = [count_queries(client, url) for url in urls]

    assert with_200 == with_4
    index, pages, programmes, *_other_sections, french_feed, english_feed = with_4
    assert index <= 8
    assert pages <= 8  # 8: the home page's text, for its hreflang
    assert programmes <= 3  # the count, the page's records, the site's text
    assert french_feed == english_feed == 1


def test_sitemap_sections_are_paginated_and_the_index_names_every_page(
    client, db, monkeypatch
):
    build_programmes(5)  # 5 programmes x 2 languages: 4 pages of 3 addresses
    monkeypatch.setattr(ProgrammeSitemap, "limit", 3)
    listed = sitemap_index(client)

    section = absolute("/sitemap-programmes.xml")
    assert [a for a in listed if a.startswith(section)] == [
        section,
        f"{section}?p=2",
        f"{section}?p=3",
        f"{section}?p=4",
    ]
    pages = sitemap_pages(client)  # each valid against the schema
    programme_urls = [
        url.findtext(f"{SITEMAP}loc")
        for root in pages
        for url in root.iterfind(f"{SITEMAP}url")
        if "/programmes/" in url.findtext(f"{SITEMAP}loc")
        and not url.findtext(f"{SITEMAP}loc").endswith(("/programmes/", "/programs/"))
    ]
    expected = [
        url_in(language, programme)
        for programme in Programme.objects.order_by("pk")
        for language, _name in settings.LANGUAGES
    ]
    assert programme_urls == expected  # each once, in order, across the pages
    assert client.get("/sitemap-programmes.xml", {"p": 5}).status_code == 404


def test_sitemap_addresses_are_those_of_the_pages(client, content):
    """The sitemap builds addresses without reverse() per record: the same
    paths as get_absolute_url(), in every language."""
    locs = set(sitemap_entries(client))
    for obj in [*Programme.objects.published(), *Organisation.objects.published()]:
        for language, _name in settings.LANGUAGES:
            assert url_in(language, obj) in locs
