"""The export writes its file unit by unit (issue 20): the same bytes as the
whole file translate-toolkit built in memory before, with notes made once per
field, record and text."""

import re
from io import BytesIO, StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from programmes.models import GlossaryTerm, Organisation, Programme
from programmes.translating import glossary
from programmes.translating.exchange import writing
from programmes.translating.exchange.writing import (
    NotesMaker,
    export_translations,
    statuses_to_export,
)
from programmes.translating.status import states_by_key

from . import exchange_writers_before as before
from .factories import (
    add_key_fact,
    add_participation,
    add_result,
    add_source,
    make_organisation,
    make_programme,
    make_region,
)

pytestmark = pytest.mark.django_db

FORMATS = ["xliff", "xliff2", "po"]
BASE_URL = "https://example.org"
# translate-toolkit dates a PO header to the minute it is made.
PO_DATES = re.compile(rb'"(POT-Creation-Date|PO-Revision-Date): [^"]*"')


def export_before(target, file_format, base_url="", **options):
    """The file as the export wrote it before it streamed."""
    source = writing.source_language_for(target)
    terms = glossary.terms()
    pages = {}
    with translation.override(target):
        units = [
            (status, before.unit_notes(status, base_url, terms, pages))
            for status in statuses_to_export(target, **options)
        ]
        writer = {
            "xliff": before.xliff12_file,
            "xliff2": before.xliff20_file,
            "po": before.po_file,
        }[file_format]
        return writer(iter(units), source, target)


def same_file(target, file_format, base_url="", **options):
    new = export_translations(target, file_format, base_url=base_url, **options).data
    old = export_before(target, file_format, base_url, **options)
    return PO_DATES.sub(b"", new), PO_DATES.sub(b"", old)


def every_kind_of_unit():
    """Records of every tracked kind, with units missing, outdated (with the
    source then), up to date, rich text, limited in length, holding a control
    character, spaces to keep, a glossary term and a quotation mark."""
    GlossaryTerm.objects.get_or_create(
        term_en="UNODC",
        defaults={"term_fr": "ONUDC", "expansion_en": "United Nations Office"},
    )
    make_region(name_fr="Région « test »", name_en="")
    organisation = make_organisation(name_fr="L’ONUDC à Vienne", name_en="UNODC")
    programme = make_programme(
        name_fr="Programme « Été » & <co>",
        name_en="“Summer” programme",
        summary_fr="Un résumé\x0c collé avec l’ONUDC.",
        summary_en="",
        description_fr="<p>Une <strong>description</strong>.</p>\n\n  <p>Deux.</p>",
        description_en="<p>A <strong>description</strong>.</p>",
        facts_note_fr="Une note.",
        facts_note_en="A note.",
    )
    programme.facts_note_fr = "Une note changée."
    programme.save()
    add_participation(programme, organisation, note_fr="Via l’ONUDC.", note_en="")
    source = add_source(programme)
    add_key_fact(programme, source, label_en="")
    add_result(
        programme,
        source,
        summary_fr=" \tLigne 1\r\nLigne 2 ]]> 🙂 \"q\" 'a' &amp; ",
        summary_en="Line 1\n\nLine 2 ",
    )
    return programme


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize("target", ["en", "fr"])
def test_the_streamed_export_of_the_seed_is_the_file_written_before(
    content, file_format, target
):
    new, old = same_file(target, file_format, BASE_URL)
    assert new.count(b"programme.") > 10
    assert new == old


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize("options", [{}, {"only_outdated": True}])
def test_every_kind_of_unit_is_written_as_before(file_format, options):
    every_kind_of_unit()

    new, old = same_file("en", file_format, **options)

    kinds = ["programme", "region", "participation", "keyfact"]
    if not options:
        kinds += ["organisation", "result"]
    for kind in kinds:
        assert f"{kind}.".encode() in new
    assert b"Glossary: ONUDC" in new
    assert new == old


@pytest.mark.parametrize("file_format", FORMATS)
def test_an_export_without_units_is_written_as_before(file_format):
    make_programme(summary_en="", summary_fr="")
    new, old = same_file("en", file_format, models_=[Organisation])
    assert new == old


@pytest.mark.parametrize("file_format", FORMATS)
def test_the_export_writes_to_a_file_and_counts(file_format):
    programme = every_kind_of_unit()
    out = BytesIO()

    export = export_translations("en", file_format, output=out)

    assert export.data == b""
    expected = export_translations("en", file_format)
    assert PO_DATES.sub(b"", out.getvalue()) == PO_DATES.sub(b"", expected.data)
    assert (export.units, export.missing, export.outdated) == (
        expected.units,
        expected.missing,
        expected.outdated,
    )
    assert export.units >= 5
    assert str(programme.pk).encode() in out.getvalue()


def test_xliff_1_2_rich_text_spilled_to_disk_is_html(monkeypatch):
    # Past SPOOL_BYTES the units wait on disk; the datatype still says html.
    monkeypatch.setattr(writing, "SPOOL_BYTES", 10)
    every_kind_of_unit()
    new, old = same_file("en", "xliff")
    assert b'datatype="html"' in new
    assert new == old


def test_notes_reverse_the_admin_address_once_per_field(monkeypatch):
    first, second = make_programme(summary_en=""), make_programme(summary_en="")
    calls = []
    real = writing.FieldStatus.admin_url

    def counted(self):
        calls.append(self.obj.pk)
        return real(self)

    monkeypatch.setattr(writing.FieldStatus, "admin_url", counted)
    with translation.override("en"):
        maker = NotesMaker("fr", "en", BASE_URL)
        notes = {
            (status.obj.pk, status.field): maker.notes(status)
            for status in statuses_to_export("en", models_=[Programme])
            if status.field == "summary"
        }

    assert len(calls) == 1
    for programme in (first, second):
        address = reverse("admin:programmes_programme_change", args=[programme.pk])
        assert (
            f"Edit in the admin: {BASE_URL}{address}#id_summary_en"
            in notes[programme.pk, "summary"]
        )


def test_notes_match_the_glossary_once_per_text(monkeypatch):
    GlossaryTerm.objects.get_or_create(term_en="UNODC", term_fr="ONUDC")
    GlossaryTerm.objects.create(term_en="drug trafficking", term_fr="trafic de drogue")
    maker = glossary.NotesMaker("fr", "en")

    text = "L’ONUDC lutte contre le Trafic de drogue."
    with translation.override("en"):
        notes = maker.notes(text)
        assert maker.notes(text) is notes
        assert notes == tuple(glossary.notes_for(text, "fr", "en"))

    assert "Glossary: trafic de drogue → drug trafficking" in notes
    assert any(note.startswith("Glossary: ONUDC → UNODC") for note in notes)
    assert maker.notes.cache_info().hits == 1
    # An acronym matches as written only, as notes_for does.
    with translation.override("en"):
        assert maker.notes("l’onudc") == ()
        assert maker.notes("ONUDC-led") == ()


def test_field_notes_are_made_once_per_field():
    make_programme(summary_en="")
    make_programme(summary_en="")
    with translation.override("en"):
        maker = NotesMaker("fr", "en")
        statuses = list(statuses_to_export("en", models_=[Programme]))
        for status in statuses:
            maker.notes(status)
    fields = {status.field for status in statuses}
    assert len(statuses) > len(fields) >= 2
    assert set(maker.field_notes) == {(Programme, name) for name in fields}


def test_the_command_writes_the_file_it_names_or_says_why_not(tmp_path):
    every_kind_of_unit()
    path = tmp_path / "all.xlf"

    call_command(
        "export_translations", "--target=en", f"--output={path}", stdout=StringIO()
    )

    new = path.read_bytes()
    assert new == export_translations("en", "xliff", base_url=settings.SITE_URL).data
    with pytest.raises(CommandError, match="Cannot write"):
        call_command(
            "export_translations",
            "--target=en",
            f"--output={tmp_path / 'missing' / 'all.xlf'}",
            stdout=StringIO(),
        )


def test_page_addresses_reverse_once_per_kind_and_language(monkeypatch):
    first, second = make_programme(), make_programme()
    # A slug the <slug:…> converter refuses (written past the form): no page,
    # as page_address() says.
    Programme.objects.filter(pk=second.pk).update(slug_en="été-2026")
    second.refresh_from_db()
    calls = []
    real = Programme.get_absolute_url

    def counted(self):
        calls.append(self.slug)
        return real(self)

    monkeypatch.setattr(Programme, "get_absolute_url", counted)
    maker = NotesMaker("fr", "en")

    for language in ("en", "fr", "en"):
        for programme in (first, second, first):
            assert maker.page_address(programme, language) == (
                writing.page_address(programme, language)
            )

    made = [slug for slug in calls if slug == writing.STAND_IN_SLUG]
    assert len(made) == 2  # one per language
    with translation.override("en"):
        assert maker.page_address(first, "en") == first.get_absolute_url()
    assert maker.page_address(second, "en") == ""


def test_the_export_reads_the_states_of_its_language_only():
    programme = every_kind_of_unit()
    every = states_by_key([programme])
    english = states_by_key([programme], {"en"})

    assert {key[-1] for key in every} > {"en"}
    assert english == {key: state for key, state in every.items() if key[-1] == "en"}
    (status,) = (
        status
        for status in statuses_to_export("en", models_=[Programme])
        if status.field == "facts_note"
    )
    # The source the translation was made from, read from its state.
    assert status.source_text_then == "Une note."
