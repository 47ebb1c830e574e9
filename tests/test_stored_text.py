"""Text is stored in one form, whoever writes it: \n line breaks, Unicode NFC.

A browser sends a textarea's line breaks as \r\n: without this, saving a form
unchanged rewrote every paragraph, and the history and the translators saw
changes nobody made (issue 17).
"""

import pytest
from django.contrib.contenttypes.models import ContentType
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
