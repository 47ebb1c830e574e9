"""Stored translation statuses (issue 20): written by the save path, read by the
dashboard, the exchange files and the translation view; rebuilt and checked by
a command, and by migrate when the tracked fields or the languages change."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programmes.models import Programme, StoredStatus
from programmes.translating import dashboard
from programmes.translating import status as translation_status
from programmes.translating.exchange import writing
from programmes.translating.exchange.checks import check_file
from programmes.translating.exchange.writing import export_translations
from programmes.translating.status import (
    Status,
    differences,
    mark_as_checked,
    rebuild,
    rebuild_if_stale,
)

from .factories import add_participation, make_organisation, make_programme

pytestmark = pytest.mark.django_db

DASHBOARD = "/admin/translations/"


def edit(obj, **values):
    obj = type(obj).objects.get(pk=obj.pk)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()
    return obj


def stored(obj):
    return {
        (row.field, row.language): row.status
        for row in StoredStatus.objects.filter(object_id=obj.pk, kind=1)
    }


def test_every_save_keeps_the_stored_statuses_equal_to_the_computed_ones():
    programme = make_programme(facts_note_fr="Une note.", facts_note_en="A note.")
    assert stored(programme)[("summary", "en")] == Status.UP_TO_DATE

    edit(programme, summary_fr="Un autre résumé.")
    assert stored(programme)[("summary", "en")] == Status.OUTDATED
    edit(programme, facts_note_en="")
    assert stored(programme)[("facts_note", "en")] == Status.MISSING
    edit(programme, facts_note_fr="")
    # Empty in every language and optional: nothing to translate, no row.
    assert ("facts_note", "en") not in stored(programme)
    mark_as_checked(programme, "summary", "en")
    assert stored(programme)[("summary", "en")] == Status.UP_TO_DATE
    add_participation(programme, make_organisation(), note_fr="Une note.")

    assert differences() == []


def test_deleting_a_record_deletes_its_stored_statuses():
    programme = make_programme()
    row = add_participation(programme, make_organisation(), note_fr="Une note.")
    assert StoredStatus.objects.filter(object_id=row.pk, kind=4).exists()

    programme.delete()

    assert not StoredStatus.objects.filter(object_id=programme.pk, kind=1).exists()
    assert not StoredStatus.objects.filter(object_id=row.pk, kind=4).exists()


def test_the_command_finds_and_repairs_what_update_bypassed(capsys):
    programme = make_programme()
    Programme.objects.filter(pk=programme.pk).update(summary_fr="Changé.")

    with pytest.raises(CommandError, match="1 stored translation statuses are stale"):
        call_command("rebuild_translation_status", "--check")
    assert "summary (en): stored up_to_date, computed outdated" in (
        capsys.readouterr().out
    )

    call_command("rebuild_translation_status")
    assert stored(programme)[("summary", "en")] == Status.OUTDATED
    call_command("rebuild_translation_status", "--check")
    assert "Every stored translation status is current." in capsys.readouterr().out


def test_the_check_names_a_stale_status(capsys):
    programme = make_programme()
    StoredStatus.objects.filter(
        object_id=programme.pk, kind=1, field="summary", language="en"
    ).update(status=Status.OUTDATED)

    with pytest.raises(CommandError):
        call_command("rebuild_translation_status", "--check")

    assert "summary (en): stored outdated, computed up_to_date" in (
        capsys.readouterr().out
    )


def test_migrate_rebuilds_only_when_the_tracked_fields_or_languages_change(
    monkeypatch,
):
    programme = make_programme()
    # As before slugs were tracked (issue 19).
    tracked = translation_status.tracked_fields
    monkeypatch.setattr(
        translation_status,
        "tracked_fields",
        lambda model: [name for name in tracked(model) if name != "slug"],
    )
    rebuild()
    with monkeypatch.context() as patch:
        calls = []
        patch.setattr(translation_status, "rebuild", lambda: calls.append(1))
        rebuild_if_stale()
        assert calls == []
    assert ("slug", "en") not in stored(programme)

    # Slugs become tracked: every status again.
    monkeypatch.undo()
    rebuild_if_stale()

    assert stored(programme)[("slug", "en")] == Status.UP_TO_DATE


def test_the_dashboard_costs_the_same_queries_whatever_the_number_of_records(
    translator_client, monkeypatch
):
    monkeypatch.setattr(dashboard, "ROWS_PER_PAGE", 3)

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert translator_client.get(DASHBOARD).status_code == 200
        return len(context.captured_queries)

    for _ in range(4):
        edit(make_programme(), summary_fr="Changé.")
    queries()  # The first request of a session reads more (the user, its groups).
    few = queries()
    for _ in range(12):
        edit(make_programme(), summary_fr="Changé.")

    assert queries() == few


def test_the_dashboard_counts_and_lists_stored_statuses_not_archived_ones(
    translator_client,
):
    kept = edit(make_programme(), summary_fr="Changé.")
    archived = edit(make_programme(), summary_fr="Changé.")
    add_participation(archived, make_organisation(), note_fr="Une note.")
    edit(archived, status="archived")

    page = translator_client.get(DASHBOARD, {"language": "en"}).content.decode()

    assert kept.name_fr in page and archived.name_fr not in page
    assert "Une note" not in page


def test_the_dashboard_shows_the_stored_verdict(translator_client):
    programme = make_programme()
    StoredStatus.objects.filter(
        object_id=programme.pk, kind=1, field="summary", language="en"
    ).update(status=Status.OUTDATED)

    page = translator_client.get(DASHBOARD, {"status": "outdated"}).content.decode()

    assert programme.name_fr in page


def test_the_export_reads_stored_statuses_a_chunk_at_a_time(monkeypatch):
    monkeypatch.setattr(writing, "CHUNK", 2)
    programmes = [edit(make_programme(), summary_fr="Changé.") for _ in range(5)]
    chunks = []
    field_statuses = writing.field_statuses
    monkeypatch.setattr(
        writing,
        "field_statuses",
        lambda rows: chunks.append(len(rows)) or field_statuses(rows),
    )

    export = export_translations("en", "po", only_outdated=True)

    assert export.units == export.outdated == 5
    assert max(chunks) == 2
    data = export.data.decode()
    positions = [data.index(f'"programme.{p.pk}.summary"') for p in programmes]
    assert positions == sorted(positions)


def test_an_import_reads_the_statuses_of_its_file_records_only():
    def import_queries():
        data = export_translations("en", "po", models_=[Programme], ids=[first.pk]).data
        with CaptureQueriesContext(connection) as context:
            report = check_file(data, "one.po")
        assert not report.errors
        return len(context.captured_queries)

    first = make_programme()
    few = import_queries()
    for _ in range(10):
        make_programme()

    assert import_queries() == few
