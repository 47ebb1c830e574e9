"""The site search: /fr/recherche/?q=… and /en/search/?q=…"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from programmes.content.search_index import (
    full_text_index_name,
    text_search_configuration,
)
from programmes.languages import language_codes
from programmes.models import Programme, SearchEntry
from programmes.public.search import (
    MAX_QUERY_LENGTH,
    RESULTS_PER_PAGE,
    Matcher,
    clean_query,
    fold,
    search_terms,
)

from .factories import make_organisation, make_programme, make_region
from .helpers import parse, text_of

pytestmark = pytest.mark.django_db


def search(client, language, query):
    url = reverse_in(language, "programmes:search")
    return client.get(url, {"q": query})


def reverse_in(language, name, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def result_links(response):
    """{group id: [result addresses]} in the page's order."""
    tree = parse(response)
    return {
        section.get("aria-labelledby").removeprefix("results-"): [
            a.get("href") for a in section.iterfind(".//ul/li/a")
        ]
        for section in tree.iterfind(".//main//section")
    }


def all_result_links(response):
    return [url for urls in result_links(response).values() for url in urls]


def marked_words(response):
    return [mark.text for mark in parse(response).iterfind(".//main//mark")]


# --- Addresses ---------------------------------------------------------------


def test_search_address_is_translated():
    assert reverse_in("fr", "programmes:search") == "/fr/recherche/"
    assert reverse_in("en", "programmes:search") == "/en/search/"


# --- What a query finds ----------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "query", "expected_url", "marked"),
    [
        # Accents and case do not matter.
        ("fr", "cocaine", "/fr/programmes/crimjust/", "cocaïne"),
        ("fr", "COCAÏNE", "/fr/organisations/union-europeenne/", "cocaïne"),
        ("en", "cocaine", "/en/programmes/crimjust/", "Cocaine"),
        # A word finds the words that start with it; a plural finds the singular.
        ("fr", "douane", "/fr/organisations/omd/", "douanes"),
        ("fr", "Douanes", "/fr/programmes/aircop/", "douanes"),
        ("en", "customs", "/en/organisations/wco/", "Customs"),
        ("en", "custom", "/en/programmes/aircop/", "Customs"),
        # Acronyms, in the page's language.
        ("fr", "onudc", "/fr/organisations/onudc/", "ONUDC"),
        ("en", "unodc", "/en/organisations/unodc/", "UNODC"),
        ("en", "aircop", "/en/programmes/aircop/", "AIRCOP"),
        # Regions and countries, named in the page's language.
        ("fr", "caraibe", "/fr/regions/caraibes/", "Caraïbes"),
        ("en", "caribbean", "/en/regions/caribbean/", "Caribbean"),
        ("fr", "equateur", "/fr/pays/ec/", "Équateur"),
        ("en", "ecuador", "/en/countries/ec/", "Ecuador"),
        ("fr", "cote d'ivoire", "/fr/pays/ci/", "Côte"),
    ],
)
def test_search_finds_and_highlights(
    client, content, language, query, expected_url, marked
):
    response = search(client, language, query)

    assert response.status_code == 200
    assert expected_url in all_result_links(response)
    assert marked in marked_words(response)


def test_texts_are_searched_in_the_page_language_only(client, content):
    # "douane" is French: only the WCO's French name has it, no English text
    # (the AIRCOP's French description has "douanes", its English one not).
    assert all_result_links(search(client, "en", "douane")) == [
        "/en/organisations/wco/"
    ]
    assert all_result_links(search(client, "fr", "customs")) == [
        "/fr/organisations/omd/"
    ]


@pytest.mark.parametrize(
    ("language", "query", "expected_url", "title"),
    [
        # Acronyms in the other language, shown in the page's language.
        ("fr", "UNODC", "/fr/organisations/onudc/", "ONUDC"),
        ("en", "ONUDC", "/en/organisations/unodc/", "UNODC"),
        # Names in the other language.
        ("en", "Office des Nations unies", "/en/organisations/unodc/", "UNODC"),
        ("fr", "Caribbean", "/fr/regions/caraibes/", "Caraïbes"),
        ("en", "equateur", "/en/countries/ec/", "Ecuador"),
        ("fr", "Morocco", "/fr/pays/ma/", "Maroc"),
    ],
)
def test_names_and_acronyms_match_in_either_language(
    client, content, language, query, expected_url, title
):
    response = search(client, language, query)
    link = parse(response).find(f".//main//a[@href='{expected_url}']")

    assert link is not None
    assert title in "".join(link.itertext())


def test_every_word_must_match(client, content):
    links = all_result_links(search(client, "en", "cocaine route"))
    assert "/en/programmes/crimjust/" in links

    assert all_result_links(search(client, "en", "cocaine zanzibar")) == []


def test_stop_words_are_not_highlighted_among_other_words(client, content):
    response = search(client, "fr", "route de la cocaïne")

    assert "/fr/programmes/crimjust/" in all_result_links(response)
    assert {word.casefold() for word in marked_words(response)} <= {
        "route",
        "routes",
        "cocaïne",
    }


def test_text_shown_from_the_other_language_is_searched_and_marked(client, content):
    # AMERIPOL has no French name: French pages show the English one.
    response = search(client, "fr", "police community")
    link = parse(response).find(".//main//a[@href='/fr/organisations/ameripol/']")

    assert link is not None
    assert link.get("lang") == "en"


def test_results_are_grouped_by_kind_with_counts(client, content):
    response = search(client, "fr", "caraibes")
    tree = parse(response)
    groups = result_links(response)

    assert list(groups) == ["programmes", "regions"]
    assert groups["regions"] == ["/fr/regions/caraibes/"]
    for section in tree.iterfind(".//main//section"):
        heading = "".join(section.find("h2").itertext())
        assert f"({len(section.findall('.//ul/li'))})" in heading
    total = sum(len(urls) for urls in groups.values())
    # text_of turns the no-break spaces of French typography into spaces.
    assert f"{total} résultats pour « caraibes »" in text_of(response)
    headings = [h2.text.strip() for h2 in tree.iterfind(".//main//section/h2")]
    assert headings == ["Programmes", "Régions"]


def test_results_are_grouped_in_english_too(client, content):
    response = search(client, "en", "africa")
    tree = parse(response)

    headings = [h2.text.strip() for h2 in tree.iterfind(".//main//section/h2")]
    assert headings == ["Programmes", "Organisations", "Regions"]
    assert "/en/regions/west-africa/" in result_links(response)["regions"]
    assert " results for “africa”." in text_of(response)


def test_best_matches_come_first(client, db):
    in_description = make_programme(description_en="About customs work.")
    in_name = make_programme(name_en="Customs cooperation")

    links = all_result_links(search(client, "en", "customs"))

    assert links == [
        in_name.get_absolute_url(),
        in_description.get_absolute_url(),
    ]


def test_only_published_programmes_are_found(client, db):
    published = make_programme(name_en="Zanzibar published", slug_en="published")
    make_programme(
        name_en="Zanzibar draft",
        slug_en="draft",
        status="draft",
        beneficiary_countries=["TZ"],
    )

    response = search(client, "en", "zanzibar")

    assert all_result_links(response) == [published.get_absolute_url()]
    assert "draft" not in response.content.decode()
    # A country named by a draft programme only is not a result either.
    assert all_result_links(search(client, "en", "tanzania")) == []


def test_a_country_is_found_only_when_a_published_programme_names_it(client, content):
    assert result_links(search(client, "en", "ghana"))["countries"] == [
        "/en/countries/gh/"
    ]
    # France is named (INTERPOL is based in Lyon) but no programme benefits it.
    assert "countries" not in result_links(search(client, "en", "france"))


@pytest.mark.parametrize(
    ("language", "query", "country"),
    [("en", "ghana", "/en/countries/gh/"), ("fr", "Ghana", "/fr/pays/gh/")],
)
def test_a_country_query_lists_the_programmes_that_benefit_it(
    client, content, language, query, country
):
    groups = result_links(search(client, language, query))

    with translation.override(language):
        expected = {
            programme.get_absolute_url()
            for programme in Programme.objects.published().for_country("GH")
        }
    assert len(expected) == 2
    assert set(groups["programmes"]) == expected
    assert groups["countries"] == [country]


def test_a_region_query_lists_the_programmes_linked_to_it(client, db):
    region = make_region(name_en="Zanzibar Coast", slug_en="zanzibar-coast")
    linked = make_programme(name_en="Harbour watch", slug_en="harbour")
    linked.beneficiary_regions.add(region)
    make_programme(name_en="Airport watch", slug_en="airport")

    groups = result_links(search(client, "en", "zanzibar"))

    assert groups == {
        "programmes": ["/en/programmes/harbour/"],
        "regions": ["/en/regions/zanzibar-coast/"],
    }


def test_text_matches_come_before_programmes_found_through_a_country(client, db):
    through_country = make_programme(
        name_en="Harbour watch", slug_en="harbour", beneficiary_countries=["GH"]
    )
    by_text = make_programme(name_en="Ghana airports", slug_en="airports")

    groups = result_links(search(client, "en", "ghana"))

    assert groups["programmes"] == [
        by_text.get_absolute_url(),
        through_country.get_absolute_url(),
    ]


def test_country_result_says_how_many_programmes_name_it(client, content):
    response = search(client, "en", "ghana")

    assert "2 programmes" in text_of(response)


def test_organisations_and_regions_are_all_public(client, db):
    make_organisation(name_en="Lonely Agency", slug_en="lonely")
    make_region(name_en="Lonely Region", slug_en="lonely-region")

    groups = result_links(search(client, "en", "lonely"))

    assert groups == {
        "organisations": ["/en/organisations/lonely/"],
        "regions": ["/en/regions/lonely-region/"],
    }


# --- The page --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "query", "title"),
    [
        ("fr", "douane", "Recherche\u202f: «\u202fdouane\u202f» · "),
        ("en", "customs", "Search: “customs” · "),
    ],
)
def test_search_page_has_its_title_noindex_and_form(
    client, content, language, query, title
):
    tree = parse(search(client, language, query))

    assert tree.find(".//title").text.startswith(title)
    assert tree.find(".//meta[@name='robots']").get("content") == "noindex"
    form = tree.find(".//main//form")
    assert form.get("method") == "get"
    assert form.get("action") == reverse_in(language, "programmes:search")
    field = form.find(".//input[@name='q']")
    assert field.get("value") == query
    assert form.find(f".//label[@for='{field.get('id')}']").text.strip()
    assert form.find(".//button[@type='submit']") is not None
    assert len(tree.findall(".//h1")) == 1


@pytest.mark.parametrize(
    ("url", "other_url"),
    [
        ("/fr/recherche/?q=douane", "/en/search/?q=douane"),
        ("/en/search/?q=customs", "/fr/recherche/?q=customs"),
    ],
)
def test_language_switcher_keeps_the_query(client, content, url, other_url):
    tree = parse(client.get(url))

    assert tree.find(".//nav[@class='language-switcher']//a").get("href") == other_url


@pytest.mark.parametrize("url", ["/fr/", "/en/programmes/aircop/", "/en/regions/"])
def test_every_page_has_a_labelled_search_form_in_its_header(client, content, url):
    tree = parse(client.get(url))
    form = tree.find(".//header//form[@role='search']")

    assert form.get("method") == "get"
    assert form.get("action") == reverse_in(url.split("/")[1], "programmes:search")
    field = form.find(".//input[@type='search']")
    assert field.get("name") == "q"
    label = form.find(f".//label[@for='{field.get('id')}']")
    assert label.text.strip()
    # The button's name: its text (beside a magnifier on tablets).
    assert "".join(form.find(".//button[@type='submit']").itertext()).strip()


def test_empty_search_asks_for_words(client, content):
    response = client.get("/en/search/")

    assert response.status_code == 200
    assert "Type one or more words to search the site." in text_of(response)
    assert parse(response).find(".//main//section") is None


def test_no_result_says_so(client, content):
    response = search(client, "fr", "zzzzzz")

    assert "0 résultat pour « zzzzzz »." in text_of(response)
    assert "Essayez avec moins de mots" in text_of(response)


# --- Hostile or odd queries ------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "<script>alert(1)</script>",
        "%",
        "%%",
        "'",
        "' OR 1=1 --",
        '"',
        "\\",
        "\x00",
        "douane\x00",
        "!!! ??? ...",
        "_",
        "a",
        "de la",
        "douane:* | !cocaine & (x)",
        "\u202e\u200b",
        "🙂",
        "é" * 300,
        "x" * 10_000,
        "douane " * 2_000,
    ],
)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_any_query_gets_a_normal_page(client, content, language, query):
    response = search(client, language, query)

    assert response.status_code == 200
    tree = parse(response)  # strict parser: well-formed HTML
    assert tree.get("lang") == language
    page = response.content.decode()
    assert "<script>alert" not in page
    assert "\x00" not in page
    value = tree.find(".//main//input[@name='q']").get("value") or ""
    assert len(value) <= MAX_QUERY_LENGTH


def test_query_is_escaped_in_the_page(client, content):
    response = search(client, "en", '<script>alert("x")</script> customs')
    page = response.content.decode()

    assert "<script>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; customs" in page
    assert parse(response).find(".//main//input[@name='q']").get("value") == (
        '<script>alert("x")</script> customs'
    )


def test_stored_text_is_escaped_before_highlighting(client, db):
    make_programme(
        name_en="<b>Customs</b> & <i>co</i>",
        summary_en="<img src=x onerror=alert(1)> customs",
        slug_en="escaped",
    )

    page = search(client, "en", "customs").content.decode()

    assert "&lt;b&gt;<mark>Customs</mark>&lt;/b&gt; &amp; &lt;i&gt;co&lt;/i&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt; <mark>customs</mark>" in page
    assert "<img" not in page and "<b>" not in page


def test_a_very_long_query_is_cut_and_the_page_says_so(client, content):
    response = search(client, "en", "customs " + "x" * 10_000)

    assert response.status_code == 200
    assert f"only its first {MAX_QUERY_LENGTH} characters were used" in text_of(
        response
    )
    field = parse(response).find(".//main//input[@name='q']")
    assert len(field.get("value")) == MAX_QUERY_LENGTH
    assert field.get("maxlength") == str(MAX_QUERY_LENGTH)


def test_punctuation_only_query_explains_what_to_type(client, content):
    response = search(client, "fr", "%%% ''' !!!")

    assert "saisissez des lettres ou des chiffres" in text_of(response)


# --- Queries: bounded whatever the content --------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def build_content(count):
    organisation = make_organisation(name_en="Customs Agency")
    region = make_region(name_en="Customs Region")
    for _ in range(count):
        programme = make_programme(
            name_en="Customs programme", beneficiary_countries=["GH", "NG"]
        )
        programme.beneficiary_regions.add(region)
        programme.participations.create(organisation=organisation, role="partner")


def test_query_count_is_the_same_with_4_and_200_programmes(client, db):
    url = "/en/search/?q=customs+programme"
    build_content(4)
    with_4 = count_queries(client, url)

    build_content(196)
    with_200 = count_queries(client, url)

    # Fewer with 200: the first page then holds programmes only.
    assert with_200 <= with_4 <= 6
    response = client.get(url)
    assert len(result_links(response)["programmes"]) == RESULTS_PER_PAGE
    assert "(200)" in text_of(response)


# --- Pages of results and the index ---------------------------------------------


def test_results_come_a_page_at_a_time_with_links_between_pages(client, db):
    for number in range(RESULTS_PER_PAGE + 5):
        make_programme(name_en=f"Harbour {number}", slug_en=f"harbour-{number}")

    first = search(client, "en", "harbour")
    second = client.get("/en/search/", {"q": "harbour", "page": 2})

    assert len(all_result_links(first)) == RESULTS_PER_PAGE
    assert len(all_result_links(second)) == 5
    assert not set(all_result_links(first)) & set(all_result_links(second))
    assert f"{RESULTS_PER_PAGE + 5} results" in text_of(second)
    next_link = parse(first).find(".//main//a[@rel='next']")
    assert next_link.get("href") == "?q=harbour&page=2"
    assert parse(second).find(".//main//a[@rel='prev']") is not None
    # Each page is its own address, in both languages.
    alternates = {
        link.get("hreflang"): link.get("href")
        for link in parse(second).iterfind(".//head/link[@rel='alternate']")
    }
    assert alternates["fr"] == "http://testserver/fr/recherche/?q=harbour&page=2"


def test_the_index_follows_every_save_and_delete(client, db):
    programme = make_programme(name_en="Harbour watch", slug_en="harbour")
    assert all_result_links(search(client, "en", "harbour")) == [
        "/en/programmes/harbour/"
    ]

    programme.name_en = "Airport watch"
    programme.save()
    assert all_result_links(search(client, "en", "harbour")) == []
    assert all_result_links(search(client, "en", "airport")) == [
        "/en/programmes/harbour/"
    ]

    programme.delete()
    assert all_result_links(search(client, "en", "airport")) == []
    assert not SearchEntry.objects.exists()


def test_the_index_has_one_entry_per_object_and_language_of_folded_words(db):
    organisation = make_organisation(
        name_fr="Organisation mondiale des douanes",
        name_en="World Customs Organization",
        acronym_fr="OMD",
        acronym_en="WCO",
        description_fr="<p>Les <strong>Douanes</strong> du monde.</p>",
        description_en="",
    )
    entries = {
        e.language: e for e in SearchEntry.objects.filter(organisation=organisation)
    }

    assert set(entries) == set(language_codes())
    assert entries["en"].names == entries["fr"].names
    assert "omd" in entries["en"].names.split() and "wco" in entries["fr"].names.split()
    assert entries["fr"].body == "les douanes du monde"
    # English pages show the French description: so does the English entry.
    assert entries["en"].body == "les douanes du monde"


def test_rebuilding_the_index_writes_every_entry_again(db):
    make_programme(name_en="Harbour watch")
    SearchEntry.objects.all().delete()

    call_command("rebuild_search_index", verbosity=0)

    assert SearchEntry.objects.filter(names__contains="harbour").count() == len(
        language_codes()
    )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite without FTS5")
def test_without_fts5_the_index_is_read_with_like(client, content, monkeypatch):
    monkeypatch.setattr("programmes.public.search.has_fts5", lambda: False)

    with CaptureQueriesContext(connection) as queries:
        response = search(client, "fr", "COCAÏNE route")

    assert "/fr/programmes/crimjust/" in all_result_links(response)
    assert "LIKE" in " ".join(query["sql"] for query in queries)
    groups = result_links(search(client, "en", "customs"))
    assert groups["organisations"][0] == "/en/organisations/wco/"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 only")
def test_sqlite_searches_the_fts5_table(client, content):
    with CaptureQueriesContext(connection) as queries:
        response = search(client, "fr", "cocaine")

    assert "MATCH" in " ".join(query["sql"] for query in queries)
    assert "/fr/programmes/crimjust/" in all_result_links(response)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search only"
)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_postgresql_uses_full_text_search_on_the_language_s_index(
    client, content, language
):
    with CaptureQueriesContext(connection) as queries:
        response = search(client, language, "cocaine")
    [sql] = [query["sql"] for query in queries if "to_tsquery" in query["sql"]]
    # A site of some size (with four programmes any plan is as cheap).
    SearchEntry.objects.bulk_create(
        SearchEntry(language=code, names=f"entry {n}", body="words " * 50)
        for n in range(3000)
        for code in language_codes()
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {SearchEntry._meta.db_table}")
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert full_text_index_name(language) in plan, plan
    assert f"/{language}/programmes/crimjust/" in all_result_links(response)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search only"
)
@pytest.mark.parametrize(
    ("language", "configuration"),
    [
        ("fr", "french"),
        ("en", "english"),
        ("es", "spanish"),
        ("ar", "arabic"),
        # No such configuration on the server, or no such language.
        ("ja", "simple"),
        ("xx", "simple"),
    ],
)
def test_postgresql_searches_each_language_with_its_configuration(
    db, language, configuration
):
    assert text_search_configuration(language) == configuration


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search only"
)
def test_postgresql_finds_other_forms_of_a_word_and_words_begun(client, db):
    programme = make_programme(summary_en="Border officers trained in 2020.")
    address = reverse_in("en", "programmes:programme_detail", slug=programme.slug_en)

    # "training" and "trained" share their stem; "offi" begins "officers".
    for query in ("training", "offi", "trained officer", "the training"):
        assert address in all_result_links(search(client, "en", query)), query
    assert address not in all_result_links(search(client, "en", "trainer officials"))


# --- The building blocks ---------------------------------------------------------


def test_fold_removes_case_accents_and_ligatures():
    assert fold("Cocaïne") == fold("COCAINE") == "cocaine"
    assert fold("Œuvre") == "oeuvre"
    assert fold("Équateur") == "equateur"


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("Route de la cocaïne", ["route", "cocaine"]),
        ("de la", ["de", "la"]),
        ("douanes DOUANE", ["douane"]),
        ("customs", ["custom"]),
        ("réseaux", ["reseau"]),
        ("l’Ouest", ["ouest"]),
        ("I-RAID", ["raid"]),
        ("douane:* & !x", ["douane"]),
        ("' % _ \x00", []),
        ("a", []),
        (" ".join(f"word{n}" for n in range(50)), [f"word{n}" for n in range(10)]),
    ],
)
def test_search_terms(query, terms):
    assert search_terms(query) == terms


def test_clean_query_removes_control_characters_and_cuts():
    assert clean_query("  douane\x00\ncocaïne\u200b ") == ("douane cocaïne", False)
    query, was_cut = clean_query("x" * 500)
    assert len(query) == MAX_QUERY_LENGTH and was_cut


def test_highlight_escapes_then_marks_whole_words():
    matcher = Matcher(search_terms("douan"))

    assert matcher.highlight("<Douanes> & « douanier » adouané") == (
        "&lt;<mark>Douanes</mark>&gt; &amp; « <mark>douanier</mark> » adouané"
    )


def test_excerpt_shows_the_text_around_the_first_match():
    matcher = Matcher(search_terms("cocaine"))
    text = " ".join(["word"] * 100 + ["cocaïne"] + ["word"] * 100)

    excerpt = matcher.excerpt(text, length=60)

    assert excerpt.startswith("… ") and excerpt.endswith(" …")
    assert "<mark>cocaïne</mark>" in excerpt
    assert len(excerpt) < 100


def test_excerpt_keeps_french_no_break_spaces():
    matcher = Matcher(search_terms("douane"))
    text = "Les douanes\u202f; la page «\u202fProjets\u202f».\n\nDeux  espaces."

    assert matcher.excerpt(text) == (
        "Les <mark>douanes</mark>\u202f; la page «\u202fProjets\u202f». Deux espaces."
    )
