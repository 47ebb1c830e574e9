"""Text shown in the other language says so, and hreflang names complete languages only.

Publishing needs complete text, so each test makes a published object
incomplete afterwards with queryset.update(), as a later edit or an import
could.
"""

import json
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from programmes.content.version import bump_content_version, read_version
from programmes.models import HomePage, Programme
from programmes.public.metadata import SITE_DESCRIPTION

from .factories import add_participation, make_organisation, make_programme, make_region
from .helpers import (
    checker_or_skip,
    nu_html_messages,
    parse,
    preview_url,
    sitemap_index,
    sitemap_pages,
)

pytestmark = pytest.mark.django_db

NOTICE = {
    "fr": "Ce texte n’est pas encore disponible en français.",
    "en": "This text is not yet available in English.",
}
OTHER = {"fr": "en", "en": "fr"}
LANGUAGES = ("fr", "en")
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def parse_ok(response):
    assert response.status_code == 200
    return parse(response)


def text(element):
    return " ".join("".join(element.itertext()).split())


def notices(tree):
    return [text(p) for p in tree.iterfind(".//*[@class='fallback-notice']")]


def main(tree):
    return tree.find(".//main")


def in_lang(tree, code, expected):
    """The elements of <main> marked lang=`code` whose text is `expected`."""
    return [
        element
        for element in main(tree).iterfind(f".//*[@lang='{code}']")
        if text(element) == expected
    ]


def foreign(tree, code):
    """Anything in <main> marked as in language `code`."""
    return main(tree).findall(f".//*[@lang='{code}']")


def path_in(language, obj):
    with translation.override(language):
        return obj.get_absolute_url()


def update(queryset, **values):
    """queryset.update(), and a page cache told that the content changed.

    update() sends no signal, so the page cache (interpol_drugs/page_cache.py)
    cannot know; an edit in the admin would tell it.
    """
    queryset.update(**values)
    bump_content_version()


def blank(obj, field, language):
    """Empty one translation of a published object, as a later edit could."""
    update(type(obj).objects.filter(pk=obj.pk), **{f"{field}_{language}": ""})


def following(tree, element):
    """The element right after `element` among its parent's children."""
    parent = next(p for p in tree.iter() if element in list(p))
    children = list(parent)
    return children[children.index(element) + 1]


# --- Notices on detail pages ----------------------------------------------------


DETAIL_CASES = [
    # model, field, the other language's text, the tag holding it
    ("programme", "name", "Programme {lang}", "h1"),
    ("programme", "description", "Description {lang}", "div"),
    ("programme", "facts_note", "Note {lang}", "p"),
    ("organisation", "name", "Organisation {lang}", "span"),
    ("organisation", "acronym", "ACR-{lang}", "span"),
    ("organisation", "description", "Description {lang}", "div"),
    ("region", "name", "Région {lang}", "h1"),
]


def make(model, **values):
    both = {
        f"{field}_{code}": value.format(lang=code)
        for field, value in values.items()
        for code in LANGUAGES
    }
    if model == "programme":
        return make_programme(stage="ongoing", acronym="", **both)
    if model == "organisation":
        return make_organisation(**both)
    return make_region(**both)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("model", "field", "value", "tag"), DETAIL_CASES)
def test_a_missing_field_shows_the_other_language_marked_and_a_notice(
    client, model, field, value, tag, language
):
    obj = make(model, **{field: value})
    blank(obj, field, language)
    other = OTHER[language]

    tree = parse_ok(client.get(path_in(language, obj)))
    shown = in_lang(tree, other, value.format(lang=other))
    assert tag in [element.tag for element in shown]
    assert notices(tree) == [NOTICE[language]]
    # The notice is in the page's language: no lang of its own, none around it.
    notice = tree.find(".//*[@class='fallback-notice']")
    assert notice.get("lang") is None
    assert tree.find(f".//*[@lang='{other}']//*[@class='fallback-notice']") is None
    # A heading does not hold the notice: it follows it.
    for heading in tree.iterfind(".//h1"):
        assert NOTICE[language] not in text(heading)

    # The other language's page is complete: no notice, no foreign text.
    tree = parse_ok(client.get(path_in(other, obj)))
    assert notices(tree) == []
    assert foreign(tree, language) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_notice_follows_the_heading_it_concerns(client, language):
    programme = make_programme()
    blank(programme, "name", language)

    tree = parse_ok(client.get(path_in(language, programme)))
    heading = tree.find(".//h1")
    assert heading.get("lang") == OTHER[language]
    after = following(tree, heading)
    assert after.tag == "p"
    assert after.get("class") == "fallback-notice"
    assert text(after) == NOTICE[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_missing_description_has_its_notice_just_before_it(client, language):
    programme = make_programme()
    blank(programme, "description", language)

    tree = parse_ok(client.get(path_in(language, programme)))
    notice = tree.find(".//*[@class='fallback-notice']")
    prose = tree.find(".//*[@class='prose']")
    assert following(tree, notice) is prose
    assert prose.get("lang") == OTHER[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_complete_pages_have_no_notice_and_no_foreign_text(client, language):
    programme = make_programme(
        facts_note_fr="Note", facts_note_en="Note", stage="ongoing"
    )
    organisation = make_organisation()
    region = make_region()
    programme.beneficiary_regions.add(region)
    add_participation(programme, organisation)
    pages = [programme, organisation, region]

    for obj in pages:
        tree = parse_ok(client.get(path_in(language, obj)))
        assert notices(tree) == [], obj
        assert foreign(tree, OTHER[language]) == [], obj


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_organisation_missing_name_and_acronym_has_one_notice(client, language):
    organisation = make_organisation(acronym_fr="ACR", acronym_en="ACR")
    blank(organisation, "name", language)
    blank(organisation, "acronym", language)

    tree = parse_ok(client.get(path_in(language, organisation)))
    assert notices(tree) == [NOTICE[language]]


@pytest.mark.parametrize("language", LANGUAGES)
def test_source_titles_are_citations_without_a_notice(client, language):
    programme = make_programme()
    programme.sources.create(
        **{f"title_{OTHER[language]}": "A cited page"},
        url="https://example.org/",
        language=OTHER[language],
    )

    tree = parse_ok(client.get(path_in(language, programme)))
    assert [e.tag for e in in_lang(tree, OTHER[language], "A cited page")] == ["a"]
    assert notices(tree) == []


# --- Lists and cards --------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_card_with_a_foreign_summary_has_one_notice(client, language):
    missing_all = make_programme(summary_fr="Résumé", summary_en="Summary")
    blank(missing_all, "summary", language)
    blank(missing_all, "name", language)
    make_programme()  # complete: no notice
    other = OTHER[language]

    for path in (f"/{language}/", f"/{language}/programmes/"):
        tree = parse_ok(client.get(path))
        assert notices(tree) == [NOTICE[language]], path
        summary = {"fr": "Résumé", "en": "Summary"}[other]
        assert [e.tag for e in in_lang(tree, other, summary)] == ["p"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_names_in_lists_are_marked_without_a_notice(client, language):
    organisation = make_organisation(name_fr="Nom", name_en="Name")
    region = make_region(name_fr="Région", name_en="Region")
    programme = make_programme(name_fr="Programme FR", name_en="Programme EN")
    programme.beneficiary_regions.add(region)
    add_participation(programme, organisation)
    blank(organisation, "name", language)
    blank(region, "name", language)
    other = OTHER[language]
    shown = {
        "fr": {"organisation": "Nom", "region": "Région"},
        "en": {"organisation": "Name", "region": "Region"},
    }[other]

    for path, value in (
        (f"/{language}/organisations/", shown["organisation"]),
        (f"/{language}/regions/", shown["region"]),
        (path_in(language, programme), shown["organisation"]),
        (path_in(language, programme), shown["region"]),
    ):
        tree = parse_ok(client.get(path))
        assert in_lang(tree, other, value), (path, value)
        assert notices(tree) == [], path


# --- The home page ----------------------------------------------------------------


def make_home_page():
    return HomePage.objects.create(
        title_fr="Titre",
        title_en="Title",
        heading_fr="Titre principal",
        heading_en="Main heading",
        introduction_fr="Introduction en français.",
        introduction_en="Introduction in English.",
        summary_fr="Résumé.",
        summary_en="Summary.",
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("field", ["title", "heading", "introduction"])
def test_the_home_page_text_falls_back_with_one_notice(client, field, language):
    home_page = make_home_page()
    blank(home_page, field, language)
    other = OTHER[language]
    expected = getattr(home_page, f"{field}_{other}")

    tree = parse_ok(client.get(f"/{language}/"))
    assert in_lang(tree, other, expected)
    assert notices(tree) == [NOTICE[language]]
    assert following(tree, tree.find(".//h1")).get("class") == "fallback-notice"

    assert notices(parse_ok(client.get(f"/{other}/"))) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_complete_home_page_has_no_notice(client, language):
    make_home_page()
    tree = parse_ok(client.get(f"/{language}/"))
    assert notices(tree) == []
    assert foreign(tree, OTHER[language]) == []


# --- The staff preview ------------------------------------------------------------


def test_the_preview_of_a_french_only_draft_says_it_in_english(admin_client):
    draft = Programme.objects.create(
        name_fr="Brouillon",
        slug_fr="brouillon",
        description_fr="Une description.",
        status="draft",
    )
    tree = parse_ok(admin_client.get(preview_url(draft, "en")))
    assert notices(tree) == [NOTICE["en"], NOTICE["en"]]
    assert in_lang(tree, "fr", "Brouillon")
    assert in_lang(tree, "fr", "Une description.")

    tree = parse_ok(admin_client.get(preview_url(draft, "fr")))
    assert notices(tree) == []


# --- Descriptions for search engines and sharing --------------------------------


def descriptions(tree):
    """The page's meta description, og:description and JSON-LD descriptions."""
    head = tree.find(".//head")
    found = {
        "meta": head.find("./meta[@name='description']").get("content"),
        "og": head.find("./meta[@property='og:description']").get("content"),
    }
    for script in head.iterfind("./script[@type='application/ld+json']"):
        data = json.loads(script.text)
        if "description" in data:
            found[data["@type"]] = data["description"]
    return found


PROGRAMME_DESCRIPTION = {
    # The French name as stored: in French typography (content/text.py).
    "fr": "Programme «\u202fÉté\u202f», l’un des programmes d’INTERPOL contre "
    "le trafic de drogues.",
    "en": "Programme « Été », one of INTERPOL’s programmes against drug trafficking.",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_summary_in_the_other_language_is_not_the_pages_description(client, language):
    # The name is a proper noun, the same in both languages.
    programme = make_programme(
        name_fr="Programme « Été »",
        name_en="Programme « Été »",
        acronym="",
        summary_fr="Résumé en français.",
        summary_en="Summary in English.",
    )
    blank(programme, "summary", language)

    found = descriptions(parse_ok(client.get(path_in(language, programme))))

    # Where the summary would be: a sentence in the page's language instead.
    assert found == {
        "meta": PROGRAMME_DESCRIPTION[language],
        "og": PROGRAMME_DESCRIPTION[language],
        "Project": PROGRAMME_DESCRIPTION[language],
    }
    # The page in the summary's own language still describes itself with it.
    other = OTHER[language]
    summary = getattr(programme, f"summary_{other}")
    assert descriptions(parse_ok(client.get(path_in(other, programme)))) == {
        "meta": summary,
        "og": summary,
        "Project": summary,
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_organisation_description_in_the_other_language_is_left_out(
    client, language
):
    organisation = make_organisation(
        description_fr="Une description.", description_en="A description."
    )
    blank(organisation, "description", language)

    found = descriptions(parse_ok(client.get(path_in(language, organisation))))

    # The name, as for an organisation without a description.
    with translation.override(language):
        name = str(organisation)
    assert found == {"meta": name, "og": name}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_home_page_summary_in_the_other_language_gives_the_sites_description(
    client, language
):
    home_page = make_home_page()
    blank(home_page, "summary", language)

    found = descriptions(parse_ok(client.get(f"/{language}/")))

    with translation.override(language):
        expected = str(SITE_DESCRIPTION)
    assert "INTERPOL" in expected
    assert found == {"meta": expected, "og": expected, "WebSite": expected}


# --- hreflang -------------------------------------------------------------------


def head_links(tree):
    return {
        link.get("hreflang"): link.get("href")
        for link in tree.iterfind(".//head/link[@rel='alternate'][@hreflang]")
    }


def canonical(tree):
    return tree.find(".//head/link[@rel='canonical']").get("href")


def absolute(path):
    return f"http://testserver{path}"


@pytest.mark.parametrize(
    "make_object",
    [make_programme, make_organisation, make_region],
    ids=lambda make_object: make_object.__name__,
)
def test_hreflang_names_only_the_languages_a_page_is_complete_in(client, make_object):
    obj = make_object()
    urls = {code: absolute(path_in(code, obj)) for code in LANGUAGES}
    for code in LANGUAGES:
        tree = parse_ok(client.get(path_in(code, obj)))
        assert head_links(tree) == urls | {"x-default": urls["fr"]}

    blank(obj, "name", "en")
    for code in LANGUAGES:
        tree = parse_ok(client.get(path_in(code, obj)))
        assert head_links(tree) == {"fr": urls["fr"], "x-default": urls["fr"]}
        assert canonical(tree) == urls[code]
        # The language switcher still offers the other, partial, page.
        switcher = tree.find(".//nav[@class='language-switcher']//a")
        assert absolute(switcher.get("href")) == urls[OTHER[code]]

    # A page incomplete in French keeps French as x-default.
    obj.refresh_from_db()
    update(
        type(obj).objects.filter(pk=obj.pk), name_en=obj.name_fr or "Name", name_fr=""
    )
    tree = parse_ok(client.get(path_in("en", obj)))
    assert head_links(tree) == {"en": urls["en"], "x-default": urls["fr"]}


def test_hreflang_of_the_home_page_follows_its_text(client):
    home_page = make_home_page()
    both = {"fr": absolute("/fr/"), "en": absolute("/en/"), "x-default": absolute("/")}
    assert head_links(parse_ok(client.get("/en/"))) == both

    blank(home_page, "summary", "en")
    for path in ("/fr/", "/en/"):
        assert head_links(parse_ok(client.get(path))) == {
            "fr": both["fr"],
            "x-default": both["x-default"],
        }
    # The lists' text is the interface's: always complete.
    assert head_links(parse_ok(client.get("/en/programmes/"))) == {
        "fr": absolute("/fr/programmes/"),
        "en": absolute("/en/programmes/"),
        "x-default": absolute("/fr/programmes/"),
    }


# --- The sitemap ----------------------------------------------------------------


def sitemap_entries(client):
    """{loc: {hreflang: href}}, from every page the sitemap index names."""
    return {
        url.findtext(f"{SITEMAP}loc"): {
            link.get("hreflang"): link.get("href")
            for link in url.iterfind(f"{XHTML}link[@rel='alternate']")
        }
        for root in sitemap_pages(client)
        for url in root.iterfind(f"{SITEMAP}url")
    }


def test_sitemap_alternates_name_only_complete_languages(client):
    complete = make_programme()
    incomplete = make_programme()
    blank(incomplete, "summary", "en")
    organisation = make_organisation()
    blank(organisation, "description", "fr")
    region = make_region()
    blank(region, "name", "en")
    make_home_page()
    update(HomePage.objects, introduction_fr="")
    entries = sitemap_entries(client)

    def urls(obj):
        return {code: absolute(path_in(code, obj)) for code in LANGUAGES}

    for code in LANGUAGES:
        # Every language version is still listed: the pages exist.
        assert entries[urls(complete)[code]] == urls(complete) | {
            "x-default": urls(complete)["fr"]
        }
        assert entries[urls(incomplete)[code]] == {
            "fr": urls(incomplete)["fr"],
            "x-default": urls(incomplete)["fr"],
        }
        assert entries[urls(region)[code]] == {
            "fr": urls(region)["fr"],
            "x-default": urls(region)["fr"],
        }
        assert entries[urls(organisation)[code]] == {
            "en": urls(organisation)["en"],
            "x-default": urls(organisation)["fr"],
        }
    assert entries[absolute("/fr/")] == {
        "en": absolute("/en/"),
        "x-default": absolute("/"),
    }
    assert entries[absolute("/en/programmes/")] == {
        "fr": absolute("/fr/programmes/"),
        "en": absolute("/en/programmes/"),
        "x-default": absolute("/fr/programmes/"),
    }


def test_the_sitemap_query_count_does_not_grow_with_the_content(client):
    def count():
        """Queries of the index and of each section's page."""
        paths = ["/sitemap.xml"] + [
            urlsplit(address).path for address in sitemap_index(client)
        ]
        counts = []
        for path in paths:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            counts.append(len(queries))
        return counts

    make_home_page()

    def build(n):
        for _ in range(n):
            programme = make_programme()
            blank(programme, "summary", "en")
            blank(make_organisation(), "description", "fr")
            blank(make_region(), "name", "en")

    build(2)
    few = count()
    build(20)
    assert count() == few


@pytest.mark.parametrize("language", LANGUAGES)
def test_query_counts_do_not_change_with_fallbacks(client, language):
    organisation = make_organisation()
    region = make_region()
    programme = make_programme()
    programme.beneficiary_regions.add(region)
    add_participation(programme, organisation)
    make_home_page()
    paths = [
        f"/{language}/",
        f"/{language}/programmes/",
        path_in(language, programme),
        path_in(language, organisation),
        path_in(language, region),
    ]

    def counts():
        result = {}
        for path in paths:
            # The content version is made once per change, not per page.
            read_version()
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            result[path] = len(queries)
        return result

    complete = counts()
    for obj, field in (
        (programme, "name"),
        (programme, "description"),
        (programme, "summary"),
        (organisation, "name"),
        (organisation, "description"),
        (region, "name"),
    ):
        blank(obj, field, language)
    update(HomePage.objects, **{f"introduction_{language}": ""})
    assert counts() == complete
    assert notices(parse_ok(client.get(paths[2])))  # the fallbacks did show


# --- Validity ---------------------------------------------------------------------


@pytest.mark.slow  # the Nu HTML Checker, in Java
def test_pages_with_fallbacks_are_valid_html(client, tmp_path):
    checker_or_skip()
    programme = make_programme(
        facts_note_fr="Note", facts_note_en="Note", stage="ongoing"
    )
    organisation = make_organisation()
    region = make_region()
    programme.beneficiary_regions.add(region)
    add_participation(programme, organisation, note_fr="Une note")
    make_home_page()
    for field in ("name", "summary", "description", "facts_note"):
        blank(programme, field, "en")
    for field in ("name", "acronym", "description"):
        blank(organisation, field, "fr")
    blank(region, "name", "en")
    update(HomePage.objects, heading_en="", introduction_en="")
    pages = {
        "home-en": "/en/",
        "list-en": "/en/programmes/",
        "programme-en": path_in("en", programme),
        "organisation-fr": path_in("fr", organisation),
        "region-en": path_in("en", region),
    }
    for name, path in pages.items():
        response = client.get(path)
        assert NOTICE[path[1:3]] in response.content.decode(), path
        (tmp_path / f"{name}.html").write_bytes(response.content)

    messages = nu_html_messages(tmp_path)
    assert [
        m["message"]
        for m in messages
        if m["type"] == "error" or m.get("subType") == "warning"
    ] == []


# --- The Atom feed ----------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = {"fr": "/fr/flux/", "en": "/en/feed/"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_feed_summary_in_the_other_language_is_marked_and_said(client, language):
    programme = make_programme(summary_fr="Résumé & co", summary_en="Summary & co")
    blank(programme, "summary", language)
    other = OTHER[language]

    def summary(path):
        root = ET.fromstring(client.get(path).content)
        return root.find(f"{ATOM}entry/{ATOM}summary").text

    shown = {"fr": "Résumé &amp; co", "en": "Summary &amp; co"}
    assert summary(FEEDS[language]) == (
        f'<p>{NOTICE[language]}</p><p lang="{other}">{shown[other]}</p>'
    )
    assert summary(FEEDS[other]) == shown[other]
