import re
from pathlib import Path

import pytest

from programmes.models import Programme

from .factories import make_programme
from .helpers import CARD_LINKS, links, parse, text_of

pytestmark = pytest.mark.django_db

SEED = (
    Path(__file__).resolve().parent.parent / "programmes" / "content" / "projets-fr.txt"
)

# Every public page type, in both languages.
PAGES = [
    ("/fr/", "/en/"),
    ("/fr/programmes/", "/en/programmes/"),
    ("/fr/programmes/i-raid/", "/en/programmes/i-raid/"),
    ("/fr/programmes/crimjust/", "/en/programmes/crimjust/"),
    ("/fr/programmes/aircop/", "/en/programmes/aircop/"),
    ("/fr/programmes/mayag/", "/en/programmes/mayag/"),
    ("/fr/organisations/", "/en/organisations/"),
    ("/fr/organisations/onudc/", "/en/organisations/unodc/"),
    ("/fr/organisations/omd/", "/en/organisations/wco/"),
    ("/fr/organisations/union-europeenne/", "/en/organisations/european-union/"),
    ("/fr/organisations/ameripol/", "/en/organisations/ameripol/"),
    ("/fr/regions/", "/en/regions/"),
    ("/fr/regions/caraibes/", "/en/regions/caribbean/"),
    ("/fr/regions/afrique-de-l-ouest/", "/en/regions/west-africa/"),
]
ALL_URLS = [url for pair in PAGES for url in pair]


# --- Languages and URLs ------------------------------------------------------


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("en-GB,en;q=0.9", "/en/"),
        ("fr-FR,fr;q=0.9", "/fr/"),
        ("", "/fr/"),
        ("de", "/fr/"),
    ],
)
def test_root_redirects_by_accept_language(client, content, accept_language, expected):
    response = client.get("/", headers={"accept-language": accept_language})

    assert response.status_code == 302
    assert response["Location"] == expected


@pytest.mark.parametrize("url", ALL_URLS)
def test_every_page_is_valid_html_in_its_language(client, content, url):
    response = client.get(url)

    assert response.status_code == 200
    tree = parse(response)
    language = url.split("/")[1]
    assert tree.get("lang") == language
    assert tree.find(".//main[@id='main-content']") is not None
    assert tree.find(".//header") is not None and tree.find(".//footer") is not None
    assert tree.find(".//a[@class='skip-link']").get("href") == "#main-content"
    assert len(tree.findall(".//h1")) == 1
    assert tree.find(".//meta[@name='description']").get("content").strip()


@pytest.mark.parametrize(("french", "english"), PAGES)
def test_language_switcher_leads_to_the_same_page_in_the_other_language(
    client, content, french, english
):
    for url, other_language, other_url in (
        (french, "en", english),
        (english, "fr", french),
    ):
        tree = parse(client.get(url))
        switcher = tree.find(".//nav[@class='language-switcher']//a")

        assert switcher.get("href") == other_url
        assert switcher.get("hreflang") == other_language
        assert switcher.get("lang") == other_language  # WCAG 3.1.2


@pytest.mark.parametrize(("french", "english"), PAGES)
def test_alternate_and_canonical_links(client, content, french, english):
    tree = parse(client.get(english))
    alternates = {
        link.get("hreflang"): link.get("href")
        for link in tree.iterfind(".//link[@rel='alternate']")
    }
    canonical = tree.find(".//link[@rel='canonical']").get("href")

    # hreflang names only the languages a page is complete in: AMERIPOL has
    # no French name (more in tests/test_fallbacks.py).
    if french == "/fr/organisations/ameripol/":
        assert "fr" not in alternates
    else:
        assert alternates["fr"] == f"http://testserver{french}"
    assert alternates["en"] == f"http://testserver{english}"
    expected_default = (
        "http://testserver/" if french == "/fr/" else f"http://testserver{french}"
    )
    assert alternates["x-default"] == expected_default
    assert canonical == f"http://testserver{english}"


def test_english_slug_under_french_prefix_is_404(client, content):
    assert client.get("/fr/organisations/unodc/").status_code == 404
    assert client.get("/en/organisations/onudc/").status_code == 404


@pytest.mark.parametrize(
    ("url", "language", "heading"),
    [
        ("/en/no-such-page/", "en", "Page not found"),
        ("/fr/pas-de-page/", "fr", "Page introuvable"),
        ("/en/programmes/no-such-programme/", "en", "Page not found"),
        ("/fr/organisations/inconnue/", "fr", "Page introuvable"),
    ],
)
def test_unknown_page_is_a_404_in_the_visitors_language(
    client, content, url, language, heading
):
    response = client.get(url)

    assert response.status_code == 404
    tree = parse(response)
    assert tree.get("lang") == language
    assert tree.find(".//h1").text == heading
    assert f"/{language}/programmes/" in links(tree, ".//main//a")
    assert tree.find(".//meta[@name='robots']").get("content") == "noindex"
    assert "Traceback" not in response.content.decode()


@pytest.mark.parametrize(
    ("url", "other_home"),
    [
        ("/en/no-such-page/", "/fr/"),
        # These resolve: the same address in the other language is a 404 too.
        ("/en/programmes/no-such-programme/", "/fr/"),
        ("/fr/organisations/inconnue/", "/en/"),
    ],
)
def test_404_switcher_leads_to_the_other_home_page(client, content, url, other_home):
    response = client.get(url)
    assert response.status_code == 404
    tree = parse(response)
    switcher = tree.find(".//nav[@class='language-switcher']//a")
    assert switcher.get("href") == other_home


# --- Content on the right pages ------------------------------------------------


def test_every_sentence_of_the_seed_is_on_the_french_site(client, content):
    french_text = " ".join(text_of(client.get(url)) for url, _english in PAGES)
    lines = [line.strip() for line in SEED.read_text().splitlines() if line.strip()]
    sentences = [
        sentence
        for line in lines
        for sentence in re.split(r"(?<=[.!?])\s+", line)
        if sentence
    ]

    missing = [
        sentence
        for sentence in sentences
        if " ".join(sentence.split()) not in french_text
    ]
    assert len(sentences) > 20
    assert missing == []


def test_home_page_shows_the_introduction_and_a_card_per_programme(client, content):
    response = client.get("/en/")
    tree = parse(response)

    assert "I-24/7" in text_of(response)
    assert tree.find(".//h1").text.startswith("International cooperation is essential")
    assert links(tree, CARD_LINKS) == [
        "/en/programmes/i-raid/",
        "/en/programmes/crimjust/",
        "/en/programmes/aircop/",
        "/en/programmes/mayag/",
    ]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "/en/programmes/aircop/",
            [
                "United Nations Office on Drugs and Crime",
                "UNODC",
                "World Customs Organization",
                "WCO",
                "/en/organisations/unodc/",
                "/en/organisations/wco/",
            ],
        ),
        (
            "/fr/programmes/aircop/",
            [
                "Office des Nations Unies contre la drogue et le crime",
                "ONUDC",
                "Organisation mondiale des douanes",
                "OMD",
                "/fr/organisations/onudc/",
                "/fr/organisations/omd/",
            ],
        ),
    ],
)
def test_aircop_page_names_unodc_and_wco(client, content, url, expected):
    response = client.get(url)
    page = response.content.decode()

    for fragment in expected:
        assert fragment in page


def test_programme_page_separates_partners_and_funders_with_notes(client, content):
    tree = parse(client.get("/en/programmes/crimjust/"))
    sections = {
        section.find("h2").text: section for section in tree.iterfind(".//section")
    }

    partners = links(sections["Partners"])
    funders = links(sections["Funders"])
    assert partners == [
        "/en/organisations/interpol/",
        "/en/organisations/unodc/",
        "/en/organisations/transparency-international/",
    ]
    assert funders == ["/en/organisations/european-union/"]
    funder_text = "".join(sections["Funders"].itertext())
    assert "through its Cocaine Route Programme" in funder_text


def test_programme_page_lists_regions_countries_and_sources(client, content):
    french = text_of(client.get("/fr/programmes/crimjust/"))
    english_response = client.get("/en/programmes/crimjust/")
    english = text_of(english_response)
    tree = parse(english_response)

    assert "Équateur" in french and "République dominicaine" in french
    assert "Ecuador" in english and "Dominican Republic" in english
    assert "/en/regions/west-africa/" in links(tree)
    assert "30" in english and "12 countries" in english  # seed figure beside the other
    sources = tree.find(".//ol[@class='sources']")
    assert (
        "https://www.interpol.int/en/Crimes/Drug-trafficking/Project-CRIMJUST"
        in links(sources)
    )


def test_countries_are_sorted_by_name_in_the_page_language(client, content):
    tree = parse(client.get("/fr/programmes/crimjust/"))
    countries = [
        "".join(li.itertext())
        for li in tree.findall(
            ".//section[@aria-labelledby='beneficiaries-heading']//ul[2]/li"
        )
    ]

    assert countries[:3] == ["Argentine", "Bolivie", "Brésil"]
    assert countries.index("Équateur") < countries.index("Ghana")


def test_key_facts_show_budget_and_period_in_the_page_language(client, content):
    french = client.get("/fr/programmes/mayag/").content.decode()
    english = client.get("/en/programmes/mayag/").content.decode()

    # Each figure with its date and its note (tests/test_facts.py).
    assert '<dd>2023–2026 <span class="as-of">(au 27 novembre 2026)</span>' in french
    assert "<dd>1,2 million d’euros <span" in french
    assert '<dd>EUR 1.2 million <span class="as-of">(as of 27 November 2026)' in english


def test_organisation_page_lists_each_programme_with_its_role(client, content):
    response = client.get("/en/organisations/european-union/")
    tree = parse(response)
    items = [
        "".join(li.itertext())
        for li in tree.iterfind(".//main//ul[@class='entity-list']/li")
    ]

    assert len(items) == 2
    assert "Project CRIMJUST" in items[0] and "funder" in items[0]
    assert "Airport Communication Project" in items[1] and "the main one" in items[1]


def test_one_organisation_partner_in_one_programme_funder_in_none(client, content):
    items = [
        "".join(li.itertext())
        for li in parse(client.get("/en/organisations/interpol/")).iterfind(
            ".//main//ul[@class='entity-list']/li"
        )
    ]

    assert [item.split("—")[1].strip() for item in items] == [
        "lead organisation",
        "implementing organisation",
        "partner",
        "implementing organisation",
    ]


def test_region_page_lists_the_programmes_that_benefit_it(client, content):
    tree = parse(client.get("/fr/regions/caraibes/"))

    assert [h for h in links(tree, ".//main//article//a") if "#" not in h] == [
        "/fr/programmes/crimjust/",
        "/fr/programmes/aircop/",
    ]


def test_text_shown_from_the_other_language_is_marked_with_its_lang(client, content):
    tree = parse(client.get("/fr/organisations/ameripol/"))
    heading_name = tree.find(".//h1/span")

    assert heading_name.text == "Police Community of the Americas"
    assert heading_name.get("lang") == "en"
    # Text in the page's own language carries no lang of its own.
    assert (
        parse(client.get("/en/organisations/ameripol/")).find(".//h1/span").get("lang")
        is None
    )


def test_a_source_title_in_the_other_language_is_marked_with_its_lang(client, content):
    sources = parse(client.get("/en/programmes/crimjust/")).find(
        ".//ol[@class='sources']"
    )
    titles = {a.text: a for a in sources.iterfind(".//a")}

    assert titles["Projet CRIMJUST"].get("lang") == "fr"
    assert titles["Projet CRIMJUST"].get("hreflang") == "fr"
    assert titles["Project CRIMJUST"].get("lang") is None
    assert [c.text for c in sources.iterfind(".//cite")] == []  # CRIMJUST: all linked


def test_a_source_without_address_is_cited_without_a_link(client, content):
    sources = parse(client.get("/fr/programmes/aircop/")).find(
        ".//ol[@class='sources']"
    )
    cited = sources.find(".//cite")

    assert cited.text == "Project Aircop (World Customs Organization)"
    assert cited.get("lang") == "en"


def test_unpublished_programme_is_404_and_absent_everywhere(client, content):
    Programme.objects.filter(slug_en="mayag").update(status="draft")

    assert client.get("/en/programmes/mayag/").status_code == 404
    for url in (
        "/en/",
        "/en/programmes/",
        "/en/regions/worldwide/",
        "/en/organisations/republic-of-korea/",
    ):
        assert "/en/programmes/mayag/" not in client.get(url).content.decode()


def test_page_escapes_stored_text(client, db):
    make_programme(name_en="<script>alert(1)</script>", slug_en="escaped")

    page = client.get("/en/programmes/escaped/").content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_home_page_without_content_still_answers(client, db):
    response = client.get("/en/")

    assert response.status_code == 200
    assert "No programme is published yet." in response.content.decode()


def test_unprefixed_unknown_path_is_a_404_in_the_browsers_language(client, content):
    response = client.get("/no-such-page/", headers={"accept-language": "en"})

    assert response.status_code == 404
    assert parse(response).get("lang") == "en"


def test_server_error_shows_a_plain_bilingual_page(client, content, monkeypatch):
    def broken():
        raise RuntimeError("database on fire")

    monkeypatch.setattr("programmes.public.views.HomePage.load", broken)
    client.raise_request_exception = False

    response = client.get("/en/")

    assert response.status_code == 500
    page = response.content.decode()
    assert "Erreur du serveur" in page and "Server error" in page
    assert "database on fire" not in page and "Traceback" not in page


@pytest.mark.parametrize(
    "url",
    [
        "/fr/",
        "/en/countries/",
        "/en/countries/gh/",
        "/fr/recherche/?q=douane",
        "/en/feed/",
        "/sitemap.xml",
    ],
)
def test_public_pages_answer_405_to_methods_that_write(client, content, url):
    for method in ["POST", "PUT", "PATCH", "DELETE"]:
        assert client.generic(method, url).status_code == 405, method


def test_the_organisation_list_counts_the_programmes_of_its_page_only(
    client, db, django_assert_max_num_queries
):
    """The counts are those of the page's organisations (one query for them),
    not an annotation counting every organisation's programmes."""
    from .factories import add_participation, make_organisation

    organisations = [make_organisation(name_en=f"Body {n:02}") for n in range(52)]
    last = organisations[-1]  # on page 2 (50 a page)
    for status in ("published", "published", "draft"):
        add_participation(make_programme(status=status), last)
    add_participation(make_programme(), organisations[0])

    with django_assert_max_num_queries(6):
        second = client.get("/en/organisations/?page=2")

    entries = {
        "".join(item.find("a").itertext()).split(" (")[0]: "".join(item.itertext())
        for item in parse(second).iterfind(".//main//ul[@class='entity-list']/li")
    }
    assert list(entries) == ["Body 50", "Body 51"]
    assert "2 programmes" in entries["Body 51"]
    assert "0 programmes" in entries["Body 50"]
    first_page = text_of(client.get("/en/organisations/"))
    assert "1 programme" in first_page
