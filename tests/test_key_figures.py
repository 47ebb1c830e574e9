"""A programme's period, budget and stated number of beneficiary countries:
the key facts measuring them (KeyFact.measure), dated and sourced, are the one
place these figures live. Cards, the comparison table, the timeline, the API
and the CSV show them with their date and a link to their source."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import translation

from programmes.content.facts import figures_of
from programmes.content.history import LOADED_REASON
from programmes.content.loading import ContentLoader
from programmes.models import KeyFact, LoadedRecord, Programme

from .factories import add_key_fact, make_programme
from .helpers import parse, text_of

pytestmark = pytest.mark.django_db

CONSULTED = datetime.date(2026, 11, 27)
BEFORE = ("programmes", "0025_translation_source_and_stored_status")
AFTER = ("programmes", "0028_remove_former_figure_fields")


def test_the_loaded_programmes_figures_are_their_dated_sourced_key_facts(content):
    crimjust, aircop, mayag = (
        Programme.objects.with_related().get(acronym=acronym)
        for acronym in ("CRIMJUST", "AIRCOP", "MAYAG")
    )

    assert (crimjust.start_year, crimjust.end_year) == (2016, None)
    assert crimjust.stated_country_count == 30
    # FACTS.md: designed in 2010, operational since 2011 (WCO, S32).
    assert aircop.start_year == 2011
    assert aircop.budget_amount is None
    assert (mayag.start_year, mayag.end_year) == (2023, 2026)
    assert (mayag.budget_amount, mayag.budget_currency) == (Decimal(1200000), "EUR")
    for programme in (crimjust, aircop, mayag):
        full = figures_of(Programme.objects.with_sources().get(pk=programme.pk))
        by_pk = {fact.pk: fact for fact in full.key_facts}
        for figure in filter(None, programme.key_figures.values()):
            # Read with the programme, as figures_of reads it for its page.
            assert figure.as_of == CONSULTED
            assert figure.source_number == by_pk[figure.pk].source_number
            assert figure.is_confirmed


def test_a_list_of_programmes_reads_their_figures_in_its_own_query(
    content, django_assert_num_queries
):
    with django_assert_num_queries(1):
        programmes = list(Programme.objects.with_key_figures())
        periods = [p.period for p in programmes]
    assert sum(period is not None for period in periods) == 3


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("url", ["/{}/", "/{}/programmes/"])
def test_figures_on_cards_table_and_timeline_are_dated_and_lead_to_the_source(
    client, content, language, url
):
    response = client.get(url.format(language))
    tree = parse(response)
    notes = [a.get("href") for a in tree.iterfind(".//a[@class='source-ref']")]
    assert notes
    pages = {}
    for href in notes:
        page, _, anchor = href.partition("#")
        if page not in pages:
            pages[page] = parse(client.get(page))
        assert pages[page].find(f".//li[@id='{anchor}']") is not None, href
    # MAYAG's period (cards, table, timeline) and budget (table) point to
    # their own source, the INTERPOL page "Projet Mayag".
    with translation.override(language):
        mayag = Programme.objects.with_related().get(acronym="MAYAG")
        page = mayag.get_absolute_url()
    for figure in (mayag.period, mayag.budget):
        href = f"{page}#source-{figure.source_number}"
        assert href in notes
        note = pages[page].find(f".//li[@id='source-{figure.source_number}']")
        assert "".join(note.itertext()).strip().startswith("Projet Mayag")
    as_of = "au 27" if language == "fr" else "as of 27 November 2026"
    assert as_of in text_of(response)


def test_the_comparison_table_shows_the_budget_and_stated_count_with_date(
    client, content
):
    tree = parse(client.get("/en/programmes/"))
    table = tree.find(".//table[@id='programmes-at-a-glance']")
    rows = {
        "".join(row.find("th").itertext()).strip(): row
        for row in table.iterfind(".//tbody/tr")
    }
    budget = "".join(rows["MAYAG"].find("td[@data-label='Budget']").itertext())
    assert "1.2" in budget and "as of 27 November 2026" in budget
    countries = "".join(
        rows["CRIMJUST"].find("td[@data-label='Countries named']").itertext()
    )
    assert "30 stated" in countries and "as of 27 November 2026" in countries


def unsourced_programme():
    programme = make_programme(name_en="Flagged", acronym="FLAG")
    KeyFact.objects.create(
        programme=programme,
        label_fr="Période",
        label_en="Period",
        measure="period",
        kind="period",
        first_year=2015,
        status="unsourced",
    )
    return programme


def test_an_unsourced_figure_is_flagged_never_shown_as_fact(client, db):
    programme = unsourced_programme()
    with translation.override("en"):
        page = programme.get_absolute_url()

    for url in ("/en/", "/en/programmes/", page):
        response = client.get(url)
        text = text_of(response)
        assert "since 2015" in text, url
        assert "no source given, not confirmed" in text, url
        tree = parse(response)
        assert not tree.findall(".//*[@class='as-of']"), url
        assert not tree.findall(".//a[@class='source-ref']"), url
    assert "foundingDate" not in client.get(page).content.decode()

    body = client.get(f"/api/v1/programmes/{programme.pk}/").json()
    # The public contract's field, and where it comes from.
    assert body["start_year"] == 2015
    period = body["key_figures"]["period"]
    assert (period["status"], period["as_of"], period["source"]) == (
        "unsourced",
        None,
        None,
    )


def test_api_and_csv_derive_the_former_fields_and_give_their_date_and_source(
    client, content
):
    body = client.get("/api/v1/programmes/").json()
    items = body["results"] if isinstance(body, dict) else body
    mayag = next(item for item in items if item["acronym"] == "MAYAG")
    assert (mayag["start_year"], mayag["end_year"]) == (2023, 2026)
    assert mayag["budget"] == {"amount": "1200000.00", "currency": "EUR"}
    budget = mayag["key_figures"]["budget"]
    assert budget["as_of"] == "2026-11-27"
    assert budget["measure"] == "budget"
    source = next(s for s in mayag["sources"] if s["number"] == budget["source"])
    assert "Mayag" in next(iter(source["title"].values()))

    response = client.get("/api/v1/programmes.csv")
    content_ = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content_)))
    header = list(rows[0])
    # The former columns keep their names and places; new ones come after.
    assert header.index("start_year") < header.index("updated_at")
    assert header.index("period_as_of") > header.index("updated_at")
    row = next(r for r in rows if r["acronym"] == "MAYAG")
    assert (row["start_year"], row["budget_amount"]) == ("2023", "1200000.00")
    assert row["budget_as_of"] == "2026-11-27"
    assert row["budget_status"] == "confirmed"
    assert row["budget_source"].startswith("https://www.interpol.int/")


def test_one_key_fact_per_measure_of_the_kind_it_needs_and_sourced(db):
    programme = make_programme(start_year=2020)
    source = programme.sources.get()

    second = KeyFact(
        programme=programme,
        source=source,
        label_en="Again",
        measure="period",
        kind="period",
        first_year=2021,
        as_of=CONSULTED,
    )
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="already has a key fact measuring"),
    ):
        second.full_clean()
    wrong_kind = KeyFact(
        programme=programme,
        source=source,
        label_en="Budget",
        measure="budget",
        kind="number",
        number=3,
        as_of=CONSULTED,
    )
    with pytest.raises(ValidationError) as error:
        wrong_kind.full_clean()
    assert set(error.value.message_dict) == {"kind"}
    with pytest.raises(IntegrityError), transaction.atomic():
        add_key_fact(programme, None, as_of=None)


def test_the_file_s_sourced_figure_replaces_a_flagged_one(content):
    aircop = Programme.objects.get(acronym="AIRCOP")
    # A database from before: the former field became a flagged key fact,
    # the file's sourced period is not loaded yet.
    key = "key_facts:aircop:In operation"
    KeyFact.objects.filter(programme=aircop, measure="period").delete()
    LoadedRecord.objects.filter(key=key).delete()
    KeyFact.objects.create(
        programme=aircop,
        label_en="Period",
        measure="period",
        kind="period",
        first_year=2010,
        status="unsourced",
    )

    ContentLoader().load()

    period = KeyFact.objects.get(programme=aircop, measure="period")
    assert (period.first_year, period.status) == (2011, "confirmed")


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_the_former_fields_without_inventing_a_source():
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    try:
        apps_then = executor.loader.project_state([BEFORE]).apps
        OldProgramme = apps_then.get_model("programmes", "Programme")
        OldKeyFact = apps_then.get_model("programmes", "KeyFact")
        OldSource = apps_then.get_model("programmes", "Source")
        values = {"name_fr": "P", "name_en": "P", "slug_fr": "p", "slug_en": "p"}
        flagged = OldProgramme.objects.create(
            **values,
            start_year=2023,
            end_year=2026,
            budget_amount=Decimal("1200000"),
            budget_currency="EUR",
            stated_country_count=7,
        )
        sourced = OldProgramme.objects.create(
            **(values | {"slug_fr": "q", "slug_en": "q"}), start_year=2016
        )
        source = OldSource.objects.create(programme=sourced, title="S", url="")
        OldKeyFact.objects.create(
            programme=sourced,
            source=source,
            label="Début",
            kind="period",
            first_year=2016,
            as_of=CONSULTED,
        )

        executor = MigrationExecutor(connection)
        executor.migrate([AFTER])

        facts = {
            (fact.programme_id, fact.measure): fact
            for fact in KeyFact.objects.exclude(measure="other")
        }
        assert set(facts) == {
            (flagged.pk, "period"),
            (flagged.pk, "budget"),
            (flagged.pk, "stated_countries"),
            (sourced.pk, "period"),
        }
        for measure in ("period", "budget", "stated_countries"):
            fact = facts[flagged.pk, measure]
            assert (fact.status, fact.as_of, fact.source_id) == (
                "unsourced",
                None,
                None,
            )
            assert fact.label_en and fact.label_fr
        assert facts[sourced.pk, "period"].status == "confirmed"
        migrated = Programme.objects.get(pk=flagged.pk)
        assert (migrated.start_year, migrated.end_year) == (2023, 2026)
        assert migrated.stated_country_count == 7
        assert json.dumps(str(migrated.budget_amount)) == '"1200000.00"'
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


SUPERSEDED = ("programmes", "0030_superseded_aircop_key_fact")


def run_superseded_fact_migration():
    loader = MigrationLoader(connection)
    migration = loader.get_migration(*SUPERSEDED)
    migration.operations[0].code(loader.project_state(SUPERSEDED).apps, None)


@pytest.mark.parametrize("edited", [False, True])
def test_the_migration_removes_aircop_s_superseded_figure_unless_edited(
    content, edited
):
    # As a site loaded before the content file made it the period "In operation".
    aircop = Programme.objects.get(acronym="AIRCOP")
    old = KeyFact(
        programme=aircop,
        label_fr="Opérationnel depuis",
        label_en="Operational since",
        kind="number",
        number=2011,
        as_of=CONSULTED,
        source=aircop.sources.first(),
    )
    old._change_reason = LOADED_REASON
    old.save()
    LoadedRecord.objects.create(
        key="key_facts:aircop:Operational since",
        object_id=old.pk,
        source_fingerprint="as loaded",
        object_fingerprint="as loaded",
    )
    if edited:
        old.label_en = "Operating since"
        old._change_reason = "An editor's correction"
        old.save()

    run_superseded_fact_migration()

    assert KeyFact.objects.filter(pk=old.pk).exists() is edited
    periods = KeyFact.objects.filter(programme=aircop, measure="period")
    assert [fact.first_year for fact in periods] == [2011]
