"""A source language per record (issue 18): chosen on the first write, French by
default; only a change to the source makes the other languages outdated."""

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from programmes.models import Participation, Programme
from programmes.translating.status import (
    Status,
    object_statuses,
    states_by_key,
)

from .factories import add_participation, make_organisation, make_programme
from .helpers import parse
from .hostile import form_data

pytestmark = pytest.mark.django_db

MIGRATION = ("programmes", "0025_translation_source_and_stored_status")
ENGLISH_ONLY = {
    "name_fr": "",
    "summary_fr": "",
    "description_fr": "",
    "name_en": "Written in English",
    "summary_en": "An English summary.",
    "description_en": "An English description.",
}


def status_of(obj, field, language):
    obj = type(obj).objects.get(pk=obj.pk)
    for status in object_statuses(obj, states_by_key([obj])):
        if (status.field, status.language) == (field, language):
            return status.status
    return None


def edit(obj, **values):
    obj = type(obj).objects.get(pk=obj.pk)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()
    return obj


def english_programme():
    programme = make_programme(**ENGLISH_ONLY)
    # French catches up: nothing is outdated.
    return edit(
        programme,
        name_fr="Écrit en anglais",
        summary_fr="Un résumé traduit.",
        description_fr="Une description traduite.",
    )


def test_a_record_written_in_french_or_both_languages_has_french_as_source():
    assert make_programme().source_language == "fr"
    assert make_programme(summary_en="", description_en="").source_language == "fr"


def test_a_record_written_in_english_first_keeps_english_once_french_exists():
    programme = english_programme()

    assert programme.source_language == "en"
    for code in ("fr", "en"):
        assert status_of(programme, "summary", code) == Status.UP_TO_DATE


def test_with_english_as_source_a_french_change_flags_nothing():
    programme = edit(english_programme(), summary_fr="Un résumé corrigé.")

    assert status_of(programme, "summary", "en") == Status.UP_TO_DATE
    assert status_of(programme, "summary", "fr") == Status.UP_TO_DATE


def test_with_english_as_source_an_english_change_makes_french_outdated():
    programme = edit(english_programme(), summary_en="A new English summary.")

    assert status_of(programme, "summary", "fr") == Status.OUTDATED
    assert status_of(programme, "summary", "en") == Status.UP_TO_DATE


def test_with_french_as_source_only_french_changes_flag_english():
    programme = edit(make_programme(), summary_en="A corrected summary.")
    assert status_of(programme, "summary", "fr") == Status.UP_TO_DATE
    assert status_of(programme, "summary", "en") == Status.UP_TO_DATE

    programme = edit(programme, summary_fr="Un nouveau résumé.")
    assert status_of(programme, "summary", "en") == Status.OUTDATED
    assert status_of(programme, "summary", "fr") == Status.UP_TO_DATE


def test_the_source_is_kept_once_chosen():
    programme = edit(english_programme(), summary_en="", description_en="")

    assert Programme.objects.get(pk=programme.pk).source_language == "en"


def test_a_programme_row_prefers_its_programme_source_language():
    programme = english_programme()
    organisation = make_organisation()

    both = add_participation(programme, organisation, note_fr="Note", note_en="Note")
    french = add_participation(programme, make_organisation(), note_fr="Seule")
    empty = add_participation(programme, make_organisation())

    assert both.source_language == "en"
    assert french.source_language == "fr"
    # Nothing written yet: chosen later, on the first save with text.
    assert empty.source_language == ""
    assert edit(empty, note_en="Later").source_language == "en"


def test_changing_a_programme_source_moves_its_rows_with_text_in_it():
    programme = english_programme()
    row = add_participation(programme, make_organisation(), note_fr="A", note_en="A")
    only_english = add_participation(programme, make_organisation(), note_en="B")

    edit(programme, source_language="fr")

    assert Participation.objects.get(pk=row.pk).source_language == "fr"
    assert Participation.objects.get(pk=only_english.pk).source_language == "en"
    # Now French leads the row: an English change flags nothing.
    edit(row, note_en="A, corrected")
    assert status_of(row, "note", "fr") == Status.UP_TO_DATE


def test_the_migration_gives_existing_records_the_old_rule_source():
    french = make_programme()
    english = make_programme(**ENGLISH_ONLY)
    Programme.objects.update(source_language="")

    loader = MigrationLoader(connection)
    apps_then = loader.project_state(MIGRATION).apps
    loader.get_migration(*MIGRATION).operations[-1].code(apps_then, None)

    assert Programme.objects.get(pk=french.pk).source_language == "fr"
    assert Programme.objects.get(pk=english.pk).source_language == "en"


# --- In the admin -------------------------------------------------------------------


def change_url(programme):
    return f"/admin/programmes/programme/{programme.pk}/change/"


def test_editors_choose_the_source_language_on_the_change_form(editor_client):
    programme = english_programme()

    tree = parse(editor_client.get(change_url(programme)))

    select = tree.find(".//select[@name='source_language']")
    assert select is not None
    options = {option.get("value"): option for option in select.iter("option")}
    assert {"fr", "en"} <= set(options)
    assert options["en"].get("selected") is not None


def test_translators_see_the_source_language_without_changing_it(translator_client):
    programme = english_programme()

    response = translator_client.get(change_url(programme), HTTP_ACCEPT_LANGUAGE="fr")

    assert 'name="source_language"' not in response.content.decode()
    field = parse(response).find(
        ".//*[@class='form-row field-source_language_name']//div[@class='readonly']"
    )
    assert field is not None and field.text == "Anglais"


def test_an_editor_changing_the_source_language_changes_what_counts(editor_client):
    programme = english_programme()
    url = change_url(programme)
    data = form_data(editor_client.get(url), "programme_form")

    response = editor_client.post(url, data | {"source_language": "fr"})

    assert response.status_code == 302
    assert Programme.objects.get(pk=programme.pk).source_language == "fr"
    # French leads now: an English correction flags nothing.
    programme = edit(programme, summary_en="A corrected English summary.")
    assert status_of(programme, "summary", "fr") == Status.UP_TO_DATE
