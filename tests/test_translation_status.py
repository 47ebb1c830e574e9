"""Each translated field's status per language: missing, up to date or outdated."""

import pytest
from django.contrib.auth import get_user_model

from programmes.models import (
    HomePage,
    KeyFact,
    Participation,
    Programme,
    Result,
    Source,
    TranslationState,
)
from programmes.translating.status import (
    TRACKED_MODELS,
    Status,
    all_statuses,
    mark_as_checked,
    object_statuses,
    percent_complete,
    states_by_key,
    tracked_fields,
)

from .factories import (
    add_key_fact,
    add_participation,
    add_result,
    add_source,
    make_organisation,
    make_programme,
)

pytestmark = pytest.mark.django_db


def status_of(obj, field, language):
    obj = type(obj).objects.get(pk=obj.pk)
    for status in object_statuses(obj, states_by_key([obj])):
        if (status.field, status.language) == (field, language):
            return status
    return None


def edit(obj, **values):
    obj = type(obj).objects.get(pk=obj.pk)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()
    return obj


def test_text_fields_and_slugs_are_tracked_websites_are_not():
    assert set(tracked_fields(Programme)) == {
        "name",
        "slug",
        "summary",
        "description",
        "facts_note",
        "image_alt",
    }
    assert tracked_fields(Participation) == ["note"]
    assert tracked_fields(KeyFact) == ["label", "text"]
    assert tracked_fields(Result) == ["title", "summary"]
    # A source's title is a citation, in the cited page's language.
    assert tracked_fields(Source) == ["address_note"]
    assert set(tracked_fields(HomePage)) == {
        "title",
        "heading",
        "introduction",
        "summary",
    }


def test_a_new_bilingual_record_is_up_to_date_in_both_languages():
    programme = make_programme()

    assert status_of(programme, "summary", "fr").status == Status.UP_TO_DATE
    assert status_of(programme, "summary", "en").status == Status.UP_TO_DATE


def test_a_field_written_in_one_language_is_missing_in_the_other():
    programme = make_programme(facts_note_fr="Une note.", facts_note_en="")

    assert status_of(programme, "facts_note", "en").status == Status.MISSING
    assert status_of(programme, "facts_note", "fr").status == Status.UP_TO_DATE
    # Empty in both languages and optional: nothing to translate.
    assert status_of(programme, "image_alt", "en") is None


def test_a_required_field_empty_everywhere_is_missing_everywhere():
    programme = make_programme(summary_fr="", summary_en="", status="draft")

    assert status_of(programme, "summary", "fr").status == Status.MISSING
    assert status_of(programme, "summary", "en").status == Status.MISSING


def test_a_french_edit_makes_the_english_outdated_and_keeps_the_old_source():
    programme = make_programme(summary_fr="Un résumé.", summary_en="A summary.")

    edit(programme, summary_fr="Un résumé plus long.")

    english = status_of(programme, "summary", "en")
    assert english.status == Status.OUTDATED
    assert english.source == "fr"
    assert english.source_text_then == "Un résumé."
    assert english.source_text == "Un résumé plus long."
    # The French is the new source, not a translation behind the English.
    assert status_of(programme, "summary", "fr").status == Status.UP_TO_DATE
    # Other fields are untouched.
    assert status_of(programme, "description", "en").status == Status.UP_TO_DATE


def test_translating_the_outdated_field_makes_both_languages_up_to_date():
    programme = make_programme()
    edit(programme, summary_fr="Un résumé plus long.")

    edit(programme, summary_en="A longer summary.")

    assert status_of(programme, "summary", "en").status == Status.UP_TO_DATE
    assert status_of(programme, "summary", "fr").status == Status.UP_TO_DATE


def test_an_english_edit_never_makes_the_french_source_outdated():
    # French is the source: correcting the English sends no work to French.
    programme = make_programme()

    edit(programme, summary_en="A summary, rewritten in English.")

    assert status_of(programme, "summary", "fr").status == Status.UP_TO_DATE
    assert status_of(programme, "summary", "en").status == Status.UP_TO_DATE


def test_a_record_written_in_english_first_follows_french_once_translated():
    programme = make_programme(summary_fr="", summary_en="Written in English.")
    assert status_of(programme, "summary", "en").status == Status.UP_TO_DATE
    assert status_of(programme, "summary", "fr").status == Status.MISSING

    edit(programme, summary_fr="Traduit de l’anglais.")
    edit(programme, summary_en="Corrected in English.")
    assert status_of(programme, "summary", "fr").status == Status.UP_TO_DATE

    edit(programme, summary_fr="Corrigé en français.")
    english = status_of(programme, "summary", "en")
    assert english.status == Status.OUTDATED
    assert english.source == "fr"
    assert english.source_text_then == "Traduit de l’anglais."


def test_editing_both_languages_in_one_save_leaves_both_up_to_date():
    programme = make_programme()

    edit(programme, summary_fr="Nouveau.", summary_en="New.")

    assert status_of(programme, "summary", "fr").status == Status.UP_TO_DATE
    assert status_of(programme, "summary", "en").status == Status.UP_TO_DATE


def test_a_second_french_edit_keeps_the_diff_from_the_last_translation():
    programme = make_programme(summary_fr="Premier.", summary_en="First.")
    edit(programme, summary_fr="Deuxième.")
    edit(programme, summary_fr="Troisième.")

    english = status_of(programme, "summary", "en")
    assert english.status == Status.OUTDATED
    assert english.source_text_then == "Premier."


def test_filling_a_missing_translation_keeps_the_source_up_to_date():
    programme = make_programme(facts_note_fr="Une note.", facts_note_en="")

    edit(programme, facts_note_en="A note.")

    assert status_of(programme, "facts_note", "en").status == Status.UP_TO_DATE
    assert status_of(programme, "facts_note", "fr").status == Status.UP_TO_DATE
    # And a later French change still makes the English outdated.
    edit(programme, facts_note_fr="Une autre note.")
    assert status_of(programme, "facts_note", "en").status == Status.OUTDATED


def test_emptying_a_translation_makes_it_missing_and_forgets_its_state():
    programme = make_programme(facts_note_fr="Une note.", facts_note_en="A note.")

    edit(programme, facts_note_en="")

    assert status_of(programme, "facts_note", "en").status == Status.MISSING
    assert not TranslationState.objects.filter(
        object_id=programme.pk, field="facts_note", language="en"
    ).exists()


def test_mark_as_checked_makes_it_up_to_date_without_changing_the_text():
    user = get_user_model().objects.create_user("tina")
    programme = make_programme()
    edit(programme, summary_fr="Un résumé, avec une virgule.")

    state = mark_as_checked(programme, "summary", "en", user)

    english = status_of(programme, "summary", "en")
    assert english.status == Status.UP_TO_DATE
    assert english.text == "A summary."
    assert state.checked and state.updated_by == user
    # A later French change makes it outdated again.
    edit(programme, summary_fr="Encore autre chose.")
    assert status_of(programme, "summary", "en").status == Status.OUTDATED


def test_a_participation_note_is_tracked_and_links_to_its_programme_form():
    programme = make_programme()
    participation = add_participation(
        programme, make_organisation(), note_fr="Fournit des fonds.", note_en=""
    )

    note = status_of(participation, "note", "en")

    assert note.status == Status.MISSING
    assert note.unit_id == f"participation.{participation.pk}.note"
    assert note.admin_url() == (
        f"/admin/programmes/programme/{programme.pk}/change/#participations-group"
    )


def test_figures_and_address_notes_are_tracked_and_link_to_their_inline():
    programme = make_programme()
    source = add_source(
        programme, url="", address_note_fr="Document imprimé.", address_note_en=""
    )
    fact = add_key_fact(programme, source, label_en="")
    result = add_result(programme, source, summary_en="")
    url = f"/admin/programmes/programme/{programme.pk}/change/"

    found = {
        (status.unit_id, status.status, status.admin_url())
        for status in all_statuses()
        if status.language == "en"
        and status.status != Status.UP_TO_DATE
        and isinstance(status.obj, (KeyFact, Result, Source))
    }

    assert found == {
        (f"source.{source.pk}.address_note", Status.MISSING, f"{url}#sources-group"),
        (f"keyfact.{fact.pk}.label", Status.MISSING, f"{url}#key_facts-group"),
        (f"result.{result.pk}.summary", Status.MISSING, f"{url}#results-group"),
    }
    assert {KeyFact, Result, Source} <= set(TRACKED_MODELS)


def test_the_rows_of_an_archived_programme_need_no_translation():
    programme = make_programme(status="archived")
    source = add_source(programme, url="", address_note_fr="Imprimé.")
    add_key_fact(programme, source, label_en="")

    rows = [s for s in all_statuses() if isinstance(s.obj, (KeyFact, Source))]

    assert rows == []


def test_the_admin_link_opens_the_fields_language_tab():
    programme = make_programme()

    assert status_of(programme, "summary", "en").admin_url() == (
        f"/admin/programmes/programme/{programme.pk}/change/#id_summary_en"
    )


def test_deleting_a_record_deletes_its_states():
    programme = make_programme()
    assert TranslationState.objects.filter(object_id=programme.pk).exists()

    Programme.objects.get(pk=programme.pk).delete()

    assert not TranslationState.objects.filter(object_id=programme.pk).exists()


def test_archived_records_are_left_out_and_percentages_count_fields():
    programme = make_programme()
    make_programme(status="archived")
    edit(programme, summary_fr="Changé.")

    statuses = all_statuses(models_=[Programme])

    assert {status.obj.pk for status in statuses} == {programme.pk}
    english = [status for status in statuses if status.language == "en"]
    # name, slug, summary, description: 4 fields, one of them outdated.
    assert len(english) == 4
    assert percent_complete(statuses, "en") == 75
    assert percent_complete(statuses, "fr") == 100


def test_the_loaded_content_starts_up_to_date(content):
    statuses = all_statuses()

    assert statuses
    assert {status.status for status in statuses} <= {Status.UP_TO_DATE, Status.MISSING}
