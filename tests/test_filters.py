"""The programme list's filters: ?region=…&country=…&partner=…&funder=…"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from programmes.content import version as content_version
from programmes.models import Programme
from programmes.public.filters import MAX_ORGANISATION_OPTIONS

from .factories import add_participation, make_organisation, make_programme, make_region
from .helpers import CARD_LINKS, links, parse, text_of

pytestmark = pytest.mark.django_db


def card_links(response):
    return links(parse(response), CARD_LINKS)


def heading(response):
    return "".join(parse(response).find(".//h1").itertext())


# --- Queryset methods ------------------------------------------------------------


def test_for_country_matches_whole_codes():
    ghana = make_programme(beneficiary_countries=["GH", "NG"])
    make_programme(beneficiary_countries=["AG", "HT"])  # "AG,HT" holds "G,H"

    assert list(Programme.objects.for_country("gh")) == [ghana]
    assert list(Programme.objects.for_country("GH")) == [ghana]


def test_with_partner_counts_every_role_but_funder_once():
    organisation = make_organisation()
    led_and_run = make_programme()
    add_participation(led_and_run, organisation, role="lead")
    add_participation(led_and_run, organisation, role="implementing")
    partner = make_programme()
    add_participation(partner, organisation, role="partner")
    funded = make_programme()
    add_participation(funded, organisation, role="funder")

    assert list(Programme.objects.with_partner(organisation)) == [led_and_run, partner]
    assert list(Programme.objects.with_funder(organisation)) == [funded]


# --- Filtered lists --------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "/fr/programmes/?region=caraibes",
            ["/fr/programmes/crimjust/", "/fr/programmes/aircop/"],
        ),
        (
            "/en/programmes/?region=caribbean",
            ["/en/programmes/crimjust/", "/en/programmes/aircop/"],
        ),
        (
            "/en/programmes/?region=worldwide",
            ["/en/programmes/i-raid/", "/en/programmes/mayag/"],
        ),
        ("/fr/programmes/?country=ar", ["/fr/programmes/crimjust/"]),
        (
            "/en/programmes/?country=gh",
            ["/en/programmes/crimjust/", "/en/programmes/aircop/"],
        ),
        # CRIMJUST benefits Africa through West Africa (geography.py's rule).
        (
            "/en/programmes/?country=GH&region=africa",
            ["/en/programmes/crimjust/", "/en/programmes/aircop/"],
        ),
        # UNODC leads AIRCOP and is a partner in CRIMJUST.
        (
            "/fr/programmes/?partner=onudc",
            ["/fr/programmes/crimjust/", "/fr/programmes/aircop/"],
        ),
        ("/en/programmes/?partner=wco", ["/en/programmes/aircop/"]),
        # INTERPOL is the lead or implementing organisation of every programme.
        (
            "/en/programmes/?partner=interpol",
            [
                "/en/programmes/i-raid/",
                "/en/programmes/crimjust/",
                "/en/programmes/aircop/",
                "/en/programmes/mayag/",
            ],
        ),
        (
            "/fr/programmes/?funder=union-europeenne",
            ["/fr/programmes/crimjust/", "/fr/programmes/aircop/"],
        ),
        ("/en/programmes/?funder=republic-of-korea", ["/en/programmes/mayag/"]),
        ("/en/programmes/?partner=european-union", []),  # a funder, not a partner
        (
            "/en/programmes/?region=latin-america&partner=unodc&funder=european-union",
            ["/en/programmes/crimjust/", "/en/programmes/aircop/"],
        ),
        ("/en/programmes/?region=worldwide&country=gh", []),
    ],
)
def test_filtered_list_shows_the_matching_programmes(client, content, url, expected):
    response = client.get(url)

    assert response.status_code == 200
    assert card_links(response) == expected


@pytest.mark.parametrize(
    ("url", "title", "h1"),
    [
        ("/fr/programmes/?region=caraibes", "Programmes — Caraïbes", None),
        ("/en/programmes/?region=caribbean", "Programmes — Caribbean", None),
        ("/fr/programmes/?country=gh", "Programmes — Ghana", None),
        ("/en/programmes/?country=ci", "Programmes — Côte d’Ivoire", None),
        (
            "/fr/programmes/?region=afrique&partner=onudc&funder=union-europeenne",
            "Programmes — Afrique, partenaire\u202f: ONUDC, "
            "bailleur de fonds\u202f: UE",
            None,
        ),
        (
            "/en/programmes/?region=africa&country=gh&partner=unodc&funder=european-union",
            "Programmes — Africa, Ghana, partner: UNODC, funder: EU",
            None,
        ),
        (
            "/en/programmes/?funder=republic-of-korea",
            "Programmes — funder: Republic of Korea",
            None,
        ),
        ("/fr/programmes/", "Programmes", "Programmes"),
        ("/en/programmes/?region=&country=", "Programmes", "Programmes"),
    ],
)
def test_filtered_list_has_its_own_title_and_heading(client, content, url, title, h1):
    response = client.get(url)
    tree = parse(response)

    assert tree.find(".//title").text.startswith(f"{title} · ")
    assert heading(response) == (h1 or title)


def test_a_name_in_the_other_language_is_marked_in_the_heading(client, db):
    organisation = make_organisation(
        name_fr="",
        name_en="English Only Agency",
        acronym_fr="",
        acronym_en="",
        slug_fr="seulement-anglais",
    )
    add_participation(make_programme(), organisation, role="partner")

    french = parse(client.get("/fr/programmes/?partner=seulement-anglais"))
    english = parse(client.get(f"/en/programmes/?partner={organisation.slug_en}"))

    name = french.find(".//h1/span")
    assert name.text == "English Only Agency" and name.get("lang") == "en"
    assert "".join(french.find(".//h1").itertext()) == (
        "Programmes — partenaire\u202f: English Only Agency"
    )
    assert english.find(".//h1/span") is None
    option = french.find(".//option[@value='seulement-anglais']")
    assert option.get("lang") == "en" and option.get("selected") is not None


def test_filtered_list_says_how_many_programmes_match(client, content):
    assert "2 programmes" in text_of(client.get("/en/programmes/?region=caribbean"))
    assert "1 programme" in text_of(client.get("/fr/programmes/?country=ar"))


def test_no_match_says_so_with_a_link_to_all_programmes(client, content):
    response = client.get("/en/programmes/?region=worldwide&country=gh")

    assert "No published programme matches these filters." in text_of(response)
    assert "/en/programmes/" in [
        a.get("href") for a in parse(response).iterfind(".//main//p/a")
    ]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/fr/programmes/?region=nulle-part", "La région « nulle-part » n’existe pas."),
        ("/en/programmes/?region=caraibes", "The region “caraibes” does not exist."),
        ("/en/programmes/?country=zz", "“zz” is not a country code."),
        ("/en/programmes/?country=ghana", "“ghana” is not a country code."),
        ("/en/programmes/?partner=nobody", "The partner “nobody” does not exist."),
        (
            "/fr/programmes/?funder=personne",
            "Le bailleur de fonds « personne » n’existe pas.",
        ),
        (
            "/en/programmes/?region=<script>alert(1)</script>",
            "The region “<script>alert(1)</script>” does not exist.",
        ),
        ("/en/programmes/?country=zz%00", "“zz” is not a country code."),
        ("/en/programmes/?partner=%25'%22", "The partner “%'\"” does not exist."),
    ],
)
def test_unknown_value_answers_200_with_no_result_and_a_message(
    client, content, url, message
):
    response = client.get(url)

    assert response.status_code == 200
    assert card_links(response) == []
    assert message in text_of(response)
    page = response.content.decode()
    assert "<script>alert" not in page and "\x00" not in page
    tree = parse(response)
    assert tree.find(".//meta[@name='robots']").get("content") == "noindex"


def test_a_very_long_value_answers_200(client, content):
    response = client.get("/en/programmes/", {"region": "x" * 10_000})

    assert response.status_code == 200
    assert card_links(response) == []


# --- The form --------------------------------------------------------------------


def test_filter_form_is_a_plain_get_form_with_labelled_selects(client, content):
    tree = parse(client.get("/fr/programmes/?region=caraibes&funder=union-europeenne"))
    form = tree.find(".//main//form")

    assert form.get("method") == "get"
    assert form.get("action") == "/fr/programmes/"
    selects = {select.get("name"): select for select in form.iterfind(".//select")}
    assert list(selects) == ["region", "country", "partner", "funder"]
    for select in selects.values():
        assert form.find(f".//label[@for='{select.get('id')}']").text.strip()
    assert form.find(".//button[@type='submit']") is not None

    def selected(name):
        return [o.get("value") for o in selects[name] if o.get("selected") is not None]

    assert selected("region") == ["caraibes"]
    assert selected("funder") == ["union-europeenne"]
    assert selected("country") == []
    countries = [o.get("value") for o in selects["country"]]
    assert countries[:3] == ["", "ar", "bb"]  # by French name: Argentine, Barbade
    assert countries.index("ec") < countries.index("gh")  # Équateur before Ghana
    partners = [o.get("value") for o in selects["partner"]]
    assert "onudc" in partners and "union-europeenne" not in partners
    funders = [o.get("value") for o in selects["funder"]]
    assert funders == [
        "",
        "australie",
        "canada",
        "etats-unis",
        "france",
        "japon",
        "norvege",
        "pays-bas",
        "republique-de-coree",
        "royaume-uni",
        "union-europeenne",
    ]


def test_filter_options_follow_published_programmes_only(client, db):
    published = make_programme(beneficiary_countries=["GH"])
    draft = make_programme(status="draft", beneficiary_countries=["FR"])
    partner, hidden = make_organisation(), make_organisation()
    add_participation(published, partner, role="partner")
    add_participation(draft, hidden, role="funder")

    tree = parse(client.get("/en/programmes/"))
    values = [o.get("value") for o in tree.iterfind(".//main//form//option")]

    assert "gh" in values and "fr" not in values
    assert partner.slug_en in values and hidden.slug_en not in values


def test_clear_link_only_on_a_filtered_list(client, content):
    def clear_links(url):
        return [
            a
            for a in parse(client.get(url)).iterfind(".//main//form//a")
            if a.get("href") == "/en/programmes/"
        ]

    assert clear_links("/en/programmes/") == []
    assert len(clear_links("/en/programmes/?country=gh")) == 1


# --- Links to the other language -------------------------------------------------


@pytest.mark.parametrize(
    ("french", "english"),
    [
        ("/fr/programmes/?region=caraibes", "/en/programmes/?region=caribbean"),
        (
            "/fr/programmes/?region=afrique-de-l-ouest&country=gh&partner=onudc"
            "&funder=union-europeenne",
            "/en/programmes/?region=west-africa&country=gh&partner=unodc"
            "&funder=european-union",
        ),
        ("/fr/programmes/?partner=omd", "/en/programmes/?partner=wco"),
        ("/fr/programmes/?country=ci", "/en/programmes/?country=ci"),
    ],
)
def test_switcher_and_alternates_keep_the_filters_translated(
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


def test_canonical_drops_empty_filters_and_lowercases_the_country(client, content):
    tree = parse(client.get("/en/programmes/?region=&country=GH&partner="))

    assert tree.find(".//link[@rel='canonical']").get("href") == (
        "http://testserver/en/programmes/?country=gh"
    )


def test_unknown_values_are_kept_in_the_other_language_links(client, content):
    tree = parse(client.get("/en/programmes/?region=nowhere&partner=unodc"))

    assert tree.find(".//nav[@class='language-switcher']//a").get("href") == (
        "/fr/programmes/?region=nowhere&partner=onudc"
    )


# --- Pages of a filtered list ----------------------------------------------------


def test_pages_of_a_filtered_list_keep_the_filters(client, db):
    region = make_region(slug_fr="region-fr", slug_en="region-en")
    for _ in range(25):
        make_programme().beneficiary_regions.add(region)
    make_programme()  # in no region

    first = parse(client.get("/en/programmes/?region=region-en"))
    next_link = first.find(".//nav[@class='pagination']//a[@rel='next']").get("href")
    second = client.get(f"/en/programmes/{next_link}")

    assert next_link == "?region=region-en&page=2"
    assert len(card_links(second)) == 5
    assert parse(second).find(".//nav[@class='language-switcher']//a").get("href") == (
        "/fr/programmes/?region=region-fr&page=2"
    )


# --- Queries: bounded whatever the content ---------------------------------------


def count_queries(client, url):
    # The content version is made once per change (at the first read after
    # it, or the commit), not per page: outside the count.
    content_version.read_version()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def build_programmes(count, organisation, funder, region):
    for _ in range(count):
        programme = make_programme(beneficiary_countries=["GH", "NG", "BR"])
        programme.beneficiary_regions.add(region, make_region())
        add_participation(programme, organisation, role="partner")
        add_participation(programme, funder, role="funder")
        add_participation(programme, make_organisation(), role="funder")


def test_query_count_is_the_same_with_4_and_200_programmes(client, db):
    organisation = make_organisation(slug_en="partner")
    funder = make_organisation(slug_en="funder")
    region = make_region(slug_en="region")
    urls = [
        "/en/programmes/",
        "/en/programmes/?region=region",
        "/en/programmes/?country=gh&partner=partner&funder=funder&region=region",
        "/en/programmes/?region=unknown",
        "/en/programmes/?region=region&page=2",
    ]
    build_programmes(4, organisation, funder, region)
    with_4 = {url: count_queries(client, url) for url in urls[:-1]}

    build_programmes(196, organisation, funder, region)
    with_200 = {url: count_queries(client, url) for url in urls}

    assert with_200.pop(urls[-1]) == with_200[urls[1]]
    assert with_200 == with_4
    assert max(with_4.values()) <= 6, with_4


def test_partner_and_funder_choices_are_bounded_to_the_most_active(client):
    busy = make_organisation(name_en="Busy agency", slug_en="busy")
    for _ in range(2):
        add_participation(make_programme(), busy)
    quiet = []
    for number in range(MAX_ORGANISATION_OPTIONS + 3):
        organisation = make_organisation(slug_en=f"quiet-{number}")
        add_participation(make_programme(), organisation)
        quiet.append(organisation)

    options = parse(client.get("/en/programmes/")).findall(
        ".//select[@name='partner']/option"
    )
    values = [option.get("value") for option in options]
    assert len(values) == MAX_ORGANISATION_OPTIONS + 1  # and "All partners"
    assert "busy" in values

    # A link naming one left out still filters, and offers it chosen.
    left_out = next(o for o in quiet if o.slug_en not in values)
    response = client.get("/en/programmes/", {"partner": left_out.slug_en})
    chosen = parse(response).find(".//select[@name='partner']/option[@selected]")
    assert chosen.get("value") == left_out.slug_en


def test_the_options_are_counted_once_per_content_version(db):
    """facets(): the counts behind the options read every published programme
    and rank every organisation once per content version, not per request."""
    from programmes.public import filters

    partner = make_organisation(slug_en="partner")
    region = make_region(slug_en="region", countries=["GH"])
    add_participation(make_programme(beneficiary_countries=["GH"]), partner)
    with translation.override("en"), CaptureQueriesContext(connection) as first:
        filters.ProgrammeFilters({"partner": "partner"})

    with translation.override("en"), CaptureQueriesContext(connection) as queries:
        again = filters.ProgrammeFilters({"partner": "partner"})

    assert len(queries) == 1 < len(first)  # the organisations offered or chosen
    assert [r.pk for r in again.region_options] == [region.pk]
    assert [o.pk for o in again.partner_options] == [partner.pk]
    assert [c.code for c in again.country_options] == ["GH"]
    # A change of content is a new version: counted again, fresh.
    add_participation(make_programme(beneficiary_countries=["NG"]), partner)
    fresh = filters.ProgrammeFilters({})
    assert sorted(c.code for c in fresh.country_options) == ["GH", "NG"]
    assert fresh.organisations[0].partner_roles == 2


def test_the_list_names_every_organisation_even_those_not_offered(
    client, db, monkeypatch
):
    """The options hold the best-ranked organisations; the cards and the
    comparison table still name all of a programme's (attach_related reads
    the others)."""
    from programmes.public import filters

    monkeypatch.setattr(filters, "MAX_ORGANISATION_OPTIONS", 1)
    busy = make_organisation(acronym_en="BUSY", acronym_fr="BUSY")
    for _ in range(3):
        add_participation(make_programme(), busy)
    programme = make_programme(acronym="READ-ME")
    add_participation(programme, busy, role="lead")
    quiet = ["QONE", "QTWO", "QTHREE"]
    for acronym in quiet:
        funder = make_organisation(acronym_en=acronym, acronym_fr=acronym)
        add_participation(programme, funder, role="funder")

    tree = parse(client.get("/en/programmes/"))

    row = next(
        "".join(row.itertext())
        for row in tree.iterfind(".//main//table//tr")
        if "READ-ME" in "".join(row.itertext())
    )
    for acronym in ["BUSY", *quiet]:
        assert acronym in row
    funders = tree.findall(".//select[@name='funder']/option")
    assert len(funders) == 2  # "All funders" and the one best-ranked funder
