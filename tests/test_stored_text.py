"""Text is stored in one form, whoever writes it: \n line breaks, Unicode NFC.

A browser sends a textarea's line breaks as \r\n: without this, saving a form
unchanged rewrote every paragraph, and the history and the translators saw
changes nobody made (issue 17).
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.special import RunPython
from django.urls import reverse

from programmes.editing.history.revisions import (
    Snapshot,
    differing_fields,
    history_fields,
)
from programmes.models import HomePage, Programme, TranslationState
from programmes.translating.status import (
    Status,
    object_statuses,
    states_by_key,
)

from .factories import add_participation, make_organisation, make_programme
from .hostile import form_data

pytestmark = pytest.mark.django_db

# "réseau" typed as "e" and a combining acute accent, as some keyboards and
# macOS file names send it.
DECOMPOSED = "re\u0301seau"
COMPOSED = "r\u00e9seau"


def as_a_browser_sends_it(data):
    """The form's fields with the line breaks a browser submits: \r\n."""
    return {
        name: value.replace("\n", "\r\n") if isinstance(value, str) else value
        for name, value in data.items()
    }


def save_in_admin(client, obj, **changes):
    url = reverse(f"admin:programmes_{obj._meta.model_name}_change", args=[obj.pk])
    data = form_data(client.get(url), f"{obj._meta.model_name}_form")
    assert any("\n" in value for value in data.values() if isinstance(value, str))
    response = client.post(url, as_a_browser_sends_it(data) | changes)
    assert response.status_code == 302, response.content.decode()[:3000]


def states_of(obj):
    """{(field, language): everything a translation state holds}."""
    return {
        (state.field, state.language): (
            state.source_texts,
            state.checked,
            state.updated_at,
        )
        for state in TranslationState.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        )
    }


def statuses_of(obj):
    obj = type(obj).objects.get(pk=obj.pk)
    return {
        (status.field, status.language): status.status
        for status in object_statuses(obj, states_by_key([obj]))
    }


def changed_in_last_revision(obj):
    """The columns the history page lists as changed by the last save."""
    records = list(obj.history.order_by("-history_date", "-history_id")[:2])
    new, old = Snapshot.of_records(type(obj), records)
    fields = differing_fields(history_fields(type(obj)), old, new)
    return [field.name for field in fields]


def texts_in(value):
    if isinstance(value, dict):
        return [text for item in value.values() for text in texts_in(item)]
    if isinstance(value, list):
        return [text for item in value for text in texts_in(item)]
    return [value] if isinstance(value, str) else []


def aircop():
    return Programme.objects.get(acronym="AIRCOP")


# --- Every path through the model -----------------------------------------------


def test_text_is_stored_with_newline_line_breaks_and_composed_characters():
    programme = make_programme(
        summary_fr=f"Un {DECOMPOSED}.",
        description_en="First.\r\n\r\nSecond.\rThird.",
        facts_note_fr=f"Une note\r\nsur le {DECOMPOSED}.",
        acronym=f"P{DECOMPOSED}",
    )
    note = add_participation(programme, make_organisation(), note_en="A\r\nnote")

    programme.refresh_from_db()
    note.refresh_from_db()
    assert programme.summary_fr == f"Un {COMPOSED}."
    assert programme.description_en == "First.\n\nSecond.\nThird."
    assert programme.facts_note_fr == f"Une note\nsur le {COMPOSED}."
    assert programme.acronym == f"P{COMPOSED}"
    assert note.note_en == "A\nnote"


TEXTS = ("title", "heading", "introduction", "summary")


def test_validation_sees_the_text_as_it_will_be_stored():
    home = HomePage(
        **{f"{name}_{code}": "Texte" for name in TEXTS for code in ("fr", "en")}
        | {"introduction_fr": f"Un\r\n{DECOMPOSED}"}
    )

    home.full_clean()

    assert home.introduction_fr == f"Un\n{COMPOSED}"


# --- Saving in the admin, as a browser sends the form -----------------------------


def test_saving_the_form_unchanged_records_no_change_and_flags_nothing(
    editor_client, content
):
    programme = aircop()
    states, statuses = states_of(programme), statuses_of(programme)
    assert Status.OUTDATED not in statuses.values()

    save_in_admin(editor_client, programme)

    assert changed_in_last_revision(programme) == []
    assert states_of(programme) == states
    assert statuses_of(programme) == statuses
    assert statuses_of(programme)[("summary", "fr")] == Status.UP_TO_DATE


def test_changing_the_english_summary_changes_nothing_else(
    editor_client, client, content
):
    programme = aircop()
    states = states_of(programme)

    save_in_admin(editor_client, programme, summary_en="AIRCOP secures airports.")

    assert changed_in_last_revision(programme) == ["summary_en"]
    # The summary's states alone record the change; the descriptions, which
    # the browser sent with \r\n, are untouched and up to date.
    after = states_of(programme)
    others = [key for key in states if key[0] != "summary"]
    assert {key: after[key] for key in others} == {key: states[key] for key in others}
    statuses = statuses_of(programme)
    assert statuses[("description", "fr")] == Status.UP_TO_DATE
    assert statuses[("description", "en")] == Status.UP_TO_DATE
    body = client.get(f"/api/v1/programmes/{programme.pk}/").json()
    assert body["summary"]["en"] == "AIRCOP secures airports."
    assert "\n\n" in body["description"]["fr"]
    assert [text for text in texts_in(body) if "\r" in text] == []


# --- Rows written before: migration 0015 ------------------------------------------

MIGRATION = ("programmes", "0015_normalise_stored_text")


def run_migration():
    """The migration's function, on the models as they were at that migration."""
    loader = MigrationLoader(connection)
    apps_then = loader.project_state(MIGRATION).apps
    migration = loader.get_migration(*MIGRATION)
    migration.operations[0].code(apps_then, None)
    return migration


def test_the_migration_converts_old_rows_their_history_and_translation_states():
    programme = make_programme(
        summary_fr="Un résumé.",
        summary_en="A summary.",
        description_fr="Un.\n\nDeux.",
        description_en="One.\n\nTwo.",
    )
    # As the admin saved them before: \r\n in both descriptions, and their
    # states keeping those copies; a summary decomposed, its English
    # translation recorded against the decomposed text.
    rows = Programme.objects.filter(pk=programme.pk)
    rows.update(
        description_fr="Un.\r\n\r\nDeux.",
        description_en="One.\r\n\r\nTwo.",
        summary_fr=f"Un {DECOMPOSED}.",
    )
    states = TranslationState.objects.filter(object_id=programme.pk)
    states.filter(field="description", language="fr").update(
        source_texts={"en": "One.\r\n\r\nTwo."}
    )
    states.filter(field="description", language="en").update(
        source_texts={"fr": "Un.\r\n\r\nDeux."}
    )
    states.filter(field="summary", language="en").update(
        source_texts={"fr": f"Un {DECOMPOSED}."}
    )
    # A French name flagged outdated by line breaks alone: the English was
    # sent back with \r\n, and counted as a change.
    rows.update(name_en="A\r\nname")
    states.filter(field="name", language="fr").update(source_texts={"en": "A\nname"})
    programme.history.update(description_en="One.\r\n\r\nTwo.")
    last_changed = rows.get().updated_at
    revisions = programme.history.count()

    migration = run_migration()

    programme.refresh_from_db()
    assert programme.description_fr == "Un.\n\nDeux."
    assert programme.description_en == "One.\n\nTwo."
    assert programme.summary_fr == f"Un {COMPOSED}."
    assert set(statuses_of(programme).values()) == {Status.UP_TO_DATE}
    assert states.get(field="description", language="fr").source_texts == {
        "en": "One.\n\nTwo."
    }
    assert states.get(field="summary", language="en").source_texts == {
        "fr": f"Un {COMPOSED}."
    }
    assert {record.description_en for record in programme.history.all()} == {
        "One.\n\nTwo."
    }
    # Nothing else moves: no revision, no "last changed" date.
    assert programme.history.count() == revisions
    assert programme.updated_at == last_changed
    assert migration.operations[0].reverse_code is RunPython.noop


def test_the_migration_names_only_the_columns_of_its_time(settings):
    programme = make_programme()
    Programme.objects.update(description_fr="Un.\r\nDeux.")
    settings.LANGUAGES = [*settings.LANGUAGES, ("es", "Spanish")]

    run_migration()

    rows = Programme.objects.filter(pk=programme.pk)
    assert rows.values_list("description_fr", flat=True).get() == "Un.\nDeux."
