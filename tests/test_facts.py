"""Dated, sourced figures (programmes/content/facts.py): key facts, results and
operations, and the sources they point to."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from programmes.content.facts import figures_of
from programmes.models import KeyFact, Programme, Result, Source

from .factories import make_programme
from .helpers import parse, text_of

pytestmark = pytest.mark.django_db

CONSULTED = datetime.date(2026, 11, 27)


def test_every_source_is_dated_and_has_an_address_or_says_why(content):
    sources = Source.objects.filter(programme__in=Programme.objects.published())

    assert sources.exists()
    for source in sources:
        assert source.checked_on == CONSULTED, source
        assert source.url or (source.address_note_fr and source.address_note_en)


def test_a_source_without_address_must_say_why():
    programme = make_programme()
    source = Source(programme=programme, title_en="A report", language="en")

    with pytest.raises(ValidationError) as error:
        source.full_clean()
    assert "address_note_fr" in error.value.message_dict


def test_a_key_fact_needs_the_value_of_its_kind_and_one_of_its_programme_s_sources():
    programme, other = make_programme(), make_programme()
    source = other.sources.create(title_en="Elsewhere", url="https://example.org/")
    fact = KeyFact(
        programme=programme,
        label_fr="Budget",
        label_en="Budget",
        kind="money",
        number=Decimal("1200000"),
        as_of=CONSULTED,
        source=source,
    )

    with pytest.raises(ValidationError) as error:
        fact.full_clean()
    assert set(error.value.message_dict) == {"currency"}
    fact.currency = "EUR"
    with pytest.raises(ValidationError) as error:
        fact.full_clean()
    assert set(error.value.message_dict) == {"source"}


def test_no_unconfirmed_figure_is_a_headline(content):
    aircop = Programme.objects.get(acronym="AIRCOP")

    assert aircop.stated_country_count is None
    for fact in KeyFact.objects.filter(programme=aircop):
        assert fact.number != Decimal("40")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_each_figure_shows_its_date_and_a_note_leading_to_its_source(
    client, content, language
):
    for programme in Programme.objects.published():
        response = client.get(
            programme.get_absolute_url().replace("/fr/", f"/{language}/")
        )
        if response.status_code != 200:
            continue
        tree = parse(response)
        listed = {li.get("id") for li in tree.iterfind(".//ol[@class='sources']/li")}
        aside = tree.find(".//aside[@class='key-facts']")
        facts = programme.key_facts.count()
        if facts:
            assert len(aside.findall(".//dd/span[@class='as-of']")) == facts
        notes = [a.get("href") for a in tree.iterfind(".//a[@class='source-ref']")]
        assert len(notes) == facts + programme.results.count(), programme
        assert {href.removeprefix("#") for href in notes} <= listed


def test_results_are_newest_first_with_dates(client, content):
    response = client.get("/en/programmes/aircop/")
    tree = parse(response)
    dates = [
        t.get("datetime")
        for t in tree.iterfind(".//section[@aria-labelledby='results-heading']//time")
    ]

    assert dates == sorted(dates, reverse=True)
    assert "2019-06-26" in dates
    assert "Results to 2017" in text_of(response)


def test_operation_lionfish_mayag_ii_on_its_programme_and_in_the_api(client, content):
    mayag = Programme.objects.get(acronym="MAYAG")
    operation = Result.objects.get(programme=mayag)

    assert (operation.start_date, operation.end_date) == (
        datetime.date(2024, 7, 22),
        datetime.date(2024, 8, 7),
    )
    assert "22 July 2024" in text_of(client.get("/en/programmes/mayag/"))
    body = client.get(f"/api/v1/programmes/{mayag.pk}/").json()
    numbers = {source["number"] for source in body["sources"]}
    for item in body["key_facts"] + body["results"]:
        assert item["source"] in numbers
    assert all(fact["as_of"] == "2026-11-27" for fact in body["key_facts"])
    assert body["results"][0]["start_date"] == "2024-07-22"


def test_a_country_page_lists_the_results_naming_it(client, content):
    response = client.get("/en/countries/gh/")

    assert "Regional meeting of the heads of JAITFs, Abidjan" in text_of(response)
    body = client.get("/api/v1/countries/gh/").json()
    assert [item["acronym"] for item in body["results"]] == ["AIRCOP"]


def test_a_programme_s_figures_are_read_in_one_query_as_the_models_give_them(
    content, django_assert_num_queries
):
    aircop = Programme.objects.with_sources().get(acronym="AIRCOP")
    numbers = {s.pk: n for n, s in enumerate(aircop.sources.all(), start=1)}

    with django_assert_num_queries(1):
        figures = figures_of(aircop)

    assert figures.key_facts == list(aircop.key_facts.all())
    assert figures.results == list(aircop.results.all())
    fact = figures.key_facts[0]
    stored = KeyFact.objects.get(pk=fact.pk)
    assert (fact.label_fr, fact.label_en, fact.as_of, fact.number) == (
        stored.label_fr,
        stored.label_en,
        stored.as_of,
        stored.number,
    )
    assert (
        figures.results[0].countries
        == Result.objects.get(pk=figures.results[0].pk).countries
    )
    assert all(
        figure.source_number == numbers[figure.source_id]
        for figure in [*figures.key_facts, *figures.results]
    )


def test_the_countries_involved_are_joined_as_the_language_joins_lists(
    client, content, monkeypatch
):
    from programmes import languages

    def separator(context, message):
        return " / " if context == "list separator" else message

    monkeypatch.setattr(languages, "pgettext", separator)
    text = text_of(client.get("/en/programmes/mayag/"))

    assert "Countries involved: Australia / Cambodia / " in text
