"""The home page at a glance, the timeline, the pictograms and the programmes
compared in a table (programmes/public/overview.py, timeline.py,
pictograms.py, pagination.py)."""

import gzip
from pathlib import Path

import html5lib
import pytest
from django.core.paginator import EmptyPage, Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from programmes.models import Participation, Programme
from programmes.public.maps import zoomed_view_box
from programmes.public.overview import published_overview, shade_levels
from programmes.public.pagination import OneQueryPaginator
from programmes.public.timeline import ticks, timeline_rows

from .factories import make_organisation, make_programme
from .helpers import parse, text_of

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def test_home_key_figures_count_published_data_and_link_to_their_lists(client, content):
    published = Programme.objects.published()
    codes = {str(c.code) for p in published for c in p.beneficiary_countries}
    tree = parse(client.get("/en/"))
    figures = tree.findall(".//ul[@class='key-figures']/li/a")
    shown = {
        a.find("span[@class='key-figures__label']").text: (
            int(a.find("span[@class='key-figures__number']").text),
            a.get("href"),
        )
        for a in figures
    }
    assert shown["programmes"] == (published.count(), "/en/programmes/")
    assert shown["beneficiary countries named"] == (len(codes), "/en/countries/")
    funders = {
        p.organisation_id
        for p in Participation.objects.filter(
            programme__in=published, role="funder", organisation__status="published"
        )
    }
    assert shown["funders" if len(funders) != 1 else "funder"] == (
        len(funders),
        "/en/organisations/",
    )
    assert shown["partner organisations"][1] == "/en/organisations/"


def test_home_map_shades_countries_by_number_of_programmes(client, content):
    tree = parse(client.get("/fr/"))
    svg = tree.find(f".//div[@class='world-map-frame']/{SVG}svg")
    shaded = {a.find(f"{SVG}title").text: a.get("class") for a in svg.iter(f"{SVG}a")}
    # Ghana benefits from CRIMJUST and AIRCOP, Argentina from CRIMJUST only.
    assert shaded["Ghana"] == "world-map__level-4"
    assert shaded["Argentine"] == "world-map__level-2"
    legend = [
        "".join(li.itertext()) for li in tree.findall(".//ul[@class='map-legend']/li")
    ]
    assert legend == ["1 programme", "2 programmes"]
    # The text equivalent: every country, its number, a link to its page.
    items = tree.findall(".//ul[@class='country-counts']/li")
    assert len(items) == len(shaded)
    text = text_of(client.get("/fr/"))
    assert "Ghana : 2 programmes" in text or "Ghana: 2 programmes" in text
    assert "/fr/pays/gh/" in [li.find("a").get("href") for li in items]


def test_shade_levels_spread_few_levels_and_group_many():
    levels, legend = shade_levels({"GH": 2, "AR": 1})
    assert levels == {"GH": 4, "AR": 2}
    assert [(e.level, e.low, e.high) for e in legend] == [(2, 1, 1), (4, 2, 2)]
    levels, legend = shade_levels({"A": 1, "B": 8, "C": 5})
    assert [(e.low, e.high) for e in legend] == [(1, 2), (3, 4), (5, 6), (7, 8)]
    assert levels == {"A": 1, "B": 4, "C": 3}
    with translation.override("en"):
        assert legend[0].label == "1 to 2 programmes"
    assert shade_levels({}) == ({}, [])


def test_maps_zoom_on_their_countries():
    x, y, width, height = zoomed_view_box(["GH", "NG", "SN"])
    assert width < 300 and height < 200  # of the world's 990 x 439
    assert x > 350 and y > 100
    assert zoomed_view_box([]) == (0, 0, 990, 439)


def test_programme_cards_show_pictogram_period_and_lead(client, content):
    tree = parse(client.get("/en/"))
    cards = {card.find(".//h3/a").text: card for card in tree.iterfind(".//article")}
    aircop = cards["Airport Communication Project (AIRCOP)"]
    icon = aircop.find(f".//h3/{SVG}svg")
    assert icon.get("aria-hidden") == "true" and icon.get("class") == "pictogram"
    facts = [
        (dt.text, dd.text.strip())
        for dt, dd in zip(aircop.iter("dt"), aircop.iter("dd"), strict=True)
    ]
    # The period is a dated, sourced key fact (operational since 2011, WCO).
    assert facts == [
        ("Period", "since 2011 (no end date published)"),
        ("Lead organisation", "UNODC"),
    ]
    assert aircop.find(".//dd/span[@class='as-of']").text == "(as of 27 November 2026)"
    assert (
        aircop.find(".//dd/a[@class='source-ref']")
        .get("href")
        .startswith("/en/programmes/aircop/#source-")
    )
    mayag = cards["Project MAYAG"]
    assert ("Period", "2023–2026") in [
        (dt.text, dd.text.strip())
        for dt, dd in zip(mayag.iter("dt"), mayag.iter("dd"), strict=True)
    ]


def test_a_programme_without_pictogram_gets_the_globe(client, db):
    make_programme(pictogram="")
    response = client.get("/en/")
    assert 'class="pictogram"' in response.content.decode()
    assert "<circle" in response.content.decode()  # the globe's outline


def test_timeline_says_what_is_not_known_and_draws_what_is(client, content):
    tree = parse(client.get("/en/"))
    svg = tree.find(f".//figure[@class='timeline']/{SVG}svg")
    assert svg.get("role") == "img"
    assert svg.get("aria-describedby") == "timeline-text"
    bars = [rect.get("class") for rect in svg.iter(f"{SVG}rect")]
    # I-RAID has no dates: no bar, a dotted line; CRIMJUST and AIRCOP fade out.
    assert bars == [
        "timeline__bar timeline__bar--open-end",
        "timeline__bar timeline__bar--open-end",
        "timeline__bar timeline__bar--closed",
    ]
    assert len(svg.findall(f".//{SVG}line[@class='timeline__unknown']")) == 1
    items = tree.findall(".//ul[@id='timeline-text']/li")
    assert [li.text.strip() for li in items] == [
        "I-RAID: dates not published",
        "CRIMJUST: since 2016 (no end date published)",
        "AIRCOP: since 2011 (no end date published)",
        "MAYAG: 2023–2026",
    ]
    # Each period known says when it held and leads to its source.
    assert [len(li.findall("span[@class='as-of']")) for li in items] == [0, 1, 1, 1]
    assert [len(li.findall("a[@class='source-ref']")) for li in items] == [0, 1, 1, 1]


def test_timeline_positions_are_shares_of_the_years_shown(db):
    closed = make_programme(start_year=2020, end_year=2021)
    open_ended = make_programme(start_year=2022, end_year=None)
    rows, bounds = timeline_rows([closed, open_ended], this_year=2025)
    assert bounds == (2020, 2026)
    assert (rows[0].start, rows[0].end, rows[0].kind) == (0, 33.33, "closed")
    assert (rows[1].start, rows[1].end, rows[1].kind) == (33.33, 100, "open-end")
    assert ticks(2010, 2027) == [2010, 2015, 2020, 2025]


def test_the_comparison_table_has_caption_and_scoped_headers(client, content):
    home = parse(client.get("/en/"))
    assert "/en/programmes/#programmes-at-a-glance" in [
        a.get("href") for a in home.iter("a")
    ]
    tree = parse(client.get("/en/programmes/"))
    table = tree.find(".//table[@id='programmes-at-a-glance']")
    assert table.find("caption").text == "Programmes at a glance"
    assert [th.get("scope") for th in table.findall("thead/tr/th")] == ["col"] * 7
    rows = table.findall("tbody/tr")
    assert [row.find("th").get("scope") for row in rows] == ["row"] * 4
    cells = {
        row.find("th/a").text: ["".join(td.itertext()) for td in row.findall("td")]
        for row in rows
    }
    as_of = "(as of 27 November 2026)"
    assert cells["MAYAG"][0].startswith(f"2023–2026 {as_of}")
    assert cells["MAYAG"][3].startswith(f"EUR 1.2 million {as_of}")
    # The countries the sources name, then the stated total, dated and sourced.
    assert cells["CRIMJUST"][5].startswith(f"12, 30 stated {as_of}")
    assert cells["I-RAID"][1] == "INTERPOL"
    # Every cell says what its column is, for the narrow layout.
    assert all(td.get("data-label") for row in rows for td in row.findall("td"))


def test_the_list_shows_regions_and_organisations_without_unpublished_ones(client, db):
    hidden = make_organisation(status="draft")
    funder = make_organisation(acronym_en="FUNDER")
    programme = make_programme(acronym="XPROG")
    Participation.objects.create(programme=programme, organisation=hidden, role="lead")
    Participation.objects.create(
        programme=programme, organisation=funder, role="funder"
    )
    tree = parse(client.get("/en/programmes/"))
    row = tree.find(".//table[@id='programmes-at-a-glance']/tbody/tr")
    cells = ["".join(td.itertext()) for td in row.findall("td")]
    assert cells[1] == "not published"  # the lead is a draft
    assert cells[2] == "FUNDER"


def test_the_one_query_paginator_agrees_with_django(db):
    for _ in range(5):
        make_programme()
    programmes = Programme.objects.order_by("pk")
    for number in (1, 2):
        ours = OneQueryPaginator(programmes, 2, orphans=1).page(number)
        django = Paginator(programmes, 2, orphans=1).page(number)
        assert list(ours) == list(django)
        assert (ours.paginator.count, ours.paginator.num_pages) == (5, 2)
    with pytest.raises(EmptyPage):
        OneQueryPaginator(programmes, 2, orphans=1).page(3)


def test_the_home_overview_is_made_once_per_content_version_and_language(db):
    """It reads every published programme and participation: once per version
    (any change of content is a new one) and language, not per page."""
    make_programme(beneficiary_countries=["GH"])
    with translation.override("en"):
        first = published_overview()
        with CaptureQueriesContext(connection) as queries:
            assert published_overview() is first
    assert len(queries) == 0
    assert "Ghana" in first.country_items
    with translation.override("fr"):
        assert "Ghana" in published_overview().country_items
        make_programme(beneficiary_countries=["NG"])
        fresh = published_overview()
    assert [country.code for country in fresh.map_countries] == ["GH", "NG"]
    assert "Nigeria</a>: 1 programme" in fresh.country_items


def test_the_paginator_annotates_the_pages_rows_only(db):
    """The key figures (three subqueries a programme) are read for the page's
    rows: the keys and the total are chosen and counted without them."""
    for _ in range(5):
        make_programme()
    programmes = Programme.objects.order_by("-pk")
    with CaptureQueriesContext(connection) as queries:
        page = OneQueryPaginator(
            programmes, 2, page_rows=lambda rows: rows.with_key_figures()
        ).page(2)

    assert [p.pk for p in page] == [p.pk for p in programmes[2:4]]
    assert page.paginator.count == 5
    assert all(hasattr(programme, "figure_period") for programme in page)
    (query,) = [q for q in queries if "programmes_programme" in q["sql"]]
    # The subqueries of the key figures appear once: in the page's rows.
    assert query["sql"].count("programmes_keyfact") == 3


def test_the_filters_fold_into_details_open_while_filtering(client, content):
    closed = parse(client.get("/en/programmes/")).find(".//details[@class='filters']")
    assert closed is not None and closed.get("open") is None
    assert closed.find("summary/h2").text == "Filter the programmes"
    opened = parse(client.get("/en/programmes/?region=caribbean")).find(
        ".//details[@class='filters']"
    )
    assert opened.get("open") is not None


PAGE_WEIGHT_BUDGET = 40_000  # bytes, HTML + CSS, gzip-compressed


@pytest.mark.parametrize("path", ["/fr/programmes/aircop/", "/en/programmes/crimjust/"])
def test_a_programme_page_weighs_under_40_kb_compressed_and_runs_no_script(
    client, content, path
):
    html = client.get(path).content
    css = (Path(__file__).resolve().parent.parent / "static/css/site.css").read_bytes()
    weight = len(gzip.compress(html, 9)) + len(gzip.compress(css, 9))
    assert weight < PAGE_WEIGHT_BUDGET, weight
    scripts = parse_html(html).iter("script")
    assert all(script.get("type") == "application/ld+json" for script in scripts)


def parse_html(content):
    return html5lib.parse(content.decode(), namespaceHTMLElements=False)


def test_separators_end_a_line_and_never_start_one():
    css = (Path(__file__).resolve().parent.parent / "static/css/site.css").read_text()
    # Drawn after an item: when a list wraps, its separator stays at the end.
    assert "li + li::before" not in css
    assert ".breadcrumbs li:not(:last-child)::after" in css
    assert ".inline-list li:not(:last-child)::after" in css
    for template in ("organisation_list.html", "organisation_detail.html"):
        text = (
            Path(__file__).resolve().parent.parent / "templates/programmes" / template
        ).read_text()
        assert " · " not in text and "&nbsp;· " in text
