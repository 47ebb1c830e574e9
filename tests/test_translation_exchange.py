"""XLIFF and PO files for translators: export, import, admin pages (issue 4)."""

import getpass
import html
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from lxml import etree
from translate.storage import po, xliff, xliff2

from programmes.content.history import reason_display
from programmes.content.rich_text import clean_for_storage, plain_text
from programmes.editing.roles import EDITORS, TRANSLATORS
from programmes.models import GlossaryTerm, Programme, TranslationState
from programmes.translating.exchange import admin as exchange_admin
from programmes.translating.exchange.checks import check_file
from programmes.translating.exchange.formats import text_digest
from programmes.translating.exchange.writing import export_translations
from programmes.translating.status import (
    TO_DO,
    Status,
    all_statuses,
    object_statuses,
    states_by_key,
)

from .factories import (
    add_key_fact,
    add_participation,
    add_result,
    add_source,
    make_organisation,
    make_programme,
    make_region,
)
from .helpers import parse, staff_member
from .hostile import nothing_changes

pytestmark = pytest.mark.django_db

XLIFF_12 = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF_20 = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF_20_METADATA = "urn:oasis:names:tc:xliff:metadata:2.0"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
FORMATS = ["xliff", "xliff2", "po"]
EXPORT_URL = "admin:translations_export"
IMPORT_URL = "admin:translations_import"
APPLY_URL = "admin:translations_apply_import"
PO_DATES = re.compile(rb'"(POT-Creation-Date|PO-Revision-Date): [^"]*"')


# --- Helpers --------------------------------------------------------------------------


def unit_id(obj, field):
    return f"{obj._meta.model_name}.{obj.pk}.{field}"


def export(target="en", file_format="xliff", **options):
    return export_translations(target, file_format, **options).data


def export_of(programme, file_format="xliff", **options):
    """A file holding the English units of one programme."""
    return export("en", file_format, models_=[Programme], ids=[programme.pk], **options)


def store_of(data, file_format):
    if file_format == "po":
        return po.pofile.parsestring(data)
    if file_format == "xliff2":
        return xliff2.Xliff2File.parsestring(data)
    return xliff.xlifffile.parsestring(data)


def id_of(unit, file_format):
    if file_format == "po":
        return unit.getcontext()
    if file_format == "xliff2":
        return unit.getid()
    return unit.xmlelement.get("id")


def units(data, file_format="xliff"):
    """{unit id: translate-toolkit unit} of a file."""
    store = store_of(data, file_format)
    return {
        id_of(unit, file_format): unit
        for unit in store.units
        if not (file_format == "po" and unit.isheader())
    }


def translated(data, file_format="xliff", **targets):
    """The file as a translator sends it back: `targets` by unit id, marked done."""
    store = store_of(data, file_format)
    for unit in store.units:
        if file_format == "po" and unit.isheader():
            continue
        uid = id_of(unit, file_format)
        if uid in targets:
            unit.target = targets[uid]
            if file_format == "xliff":
                unit.set_state_n(unit.S_TRANSLATED)
            else:
                unit.markfuzzy(False)
    return bytes(store)


def translate_programme(programme, file_format="xliff", **targets):
    """An export of the programme with `targets` by field name."""
    data = export_of(programme, file_format)
    return translated(
        data,
        file_format,
        **{unit_id(programme, field): text for field, text in targets.items()},
    )


def run_import(path, *args):
    out, err = StringIO(), StringIO()
    call_command("import_translations", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(path, *args):
    """The error output of an import that must be refused."""
    err = StringIO()
    with pytest.raises(CommandError) as error:
        call_command(
            "import_translations", str(path), *args, stdout=StringIO(), stderr=err
        )
    return err.getvalue() + str(error.value)


def status_of(obj, field, language):
    obj = type(obj).objects.get(pk=obj.pk)
    for status in object_statuses(obj, states_by_key([obj])):
        if (status.field, status.language) == (field, language):
            return status.status
    return None


def staff(client, username="translator", *codenames):
    # Hand-picked permissions, for the tests of one permission's boundary
    # (the list action, the 403s), whatever the groups come to hold.
    user = User.objects.create_user(username, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return user


def exchanger(client, username="translator"):
    """A translator (the Translators group) signed in on `client`."""
    user = staff_member(TRANSLATORS, username)
    client.force_login(user)
    return user


@pytest.fixture
def user():
    return User.objects.create_user("ana", is_staff=True)


@pytest.fixture
def programme():
    return make_programme(
        name_fr="Programme « Été »",
        name_en="“Summer” programme",
        summary_fr="Un résumé court.",
        summary_en="A short summary.",
        description_fr="<p>Une <strong>description</strong>.</p>",
        description_en="<p>A <strong>description</strong>.</p>",
        facts_note_fr="Une note.",
        facts_note_en="A note.",
    )


# --- Export ---------------------------------------------------------------------------


def test_xliff_export_is_xliff_1_2_with_one_unit_per_field(programme):
    programme.summary_fr = "Un résumé modifié."
    programme.save()
    programme.facts_note_en = ""
    programme.save()

    data = export_of(programme, base_url="https://example.org")

    root = etree.fromstring(data)
    assert root.tag == f"{{{XLIFF_12}}}xliff"
    assert root.get("version") == "1.2"
    # No XLIFF 1.1 declaration left behind by translate-toolkit.
    assert "document:1.1" not in data.decode()
    (file_element,) = root.iter(f"{{{XLIFF_12}}}file")
    assert file_element.get("original") == "interpol-drugs"
    assert file_element.get("source-language") == "fr"
    assert file_element.get("target-language") == "en"
    assert file_element.get("datatype") == "html"  # the description is HTML
    found = units(data)
    assert set(found) == {
        unit_id(programme, field)
        for field in ("name", "slug", "summary", "description", "facts_note")
    }
    summary = found[unit_id(programme, "summary")]
    assert summary.source == "Un résumé modifié."
    assert summary.target == "A short summary."
    states = {
        uid: unit.getlanguageNode(lang=None, index=1).get("state")
        for uid, unit in found.items()
    }
    assert states == {
        unit_id(programme, "name"): "translated",
        unit_id(programme, "slug"): "translated",
        unit_id(programme, "summary"): "needs-review-translation",
        unit_id(programme, "description"): "translated",
        unit_id(programme, "facts_note"): "needs-translation",
    }
    assert summary.xmlelement.get("maxwidth") == "400"
    assert summary.xmlelement.get("size-unit") == "char"


def test_xliff_notes_give_the_translator_context(programme):
    GlossaryTerm.objects.create(term_fr="ONUDC", term_en="UNODC", expansion_en="UN")
    programme.summary_fr = "Avec l’ONUDC."
    programme.save()

    data = export_of(programme, base_url="https://example.org/")

    notes = units(data)[unit_id(programme, "summary")].getnotes()
    assert f"Record: {programme.name_en} (programme)" in notes
    assert "Field: Summary" in notes
    assert "Maximum length: 400 characters" in notes
    assert "Plain text: no HTML tags." in notes
    assert f"Page: https://example.org/en/programmes/{programme.slug_en}/" in notes
    assert (
        "Edit in the admin: https://example.org/admin/programmes/programme/"
        f"{programme.pk}/change/#id_summary_en"
    ) in notes
    assert "Glossary: ONUDC → UNODC (UN)" in notes
    description = units(data)[unit_id(programme, "description")].getnotes()
    assert "HTML: keep the source's tags" in description


def test_without_a_base_url_the_notes_give_paths(programme):
    notes = units(export_of(programme))[unit_id(programme, "name")].getnotes()

    assert f"Page: /en/programmes/{programme.slug_en}/" in notes


def test_an_outdated_unit_carries_the_source_it_was_translated_from(programme):
    programme.summary_fr = "Un résumé modifié."
    programme.save()

    data = export_of(programme)

    unit = units(data)[unit_id(programme, "summary")]
    (previous,) = unit.xmlelement.iter(f"{{{XLIFF_12}}}alt-trans")
    assert previous.get("alttranstype") == "previous-version"
    assert previous.findtext(f"{{{XLIFF_12}}}source") == "Un résumé court."
    assert previous.findtext(f"{{{XLIFF_12}}}target") == "A short summary."


def test_a_file_without_rich_text_is_plain_text(programme):
    programme.summary_fr = "Un résumé modifié."
    programme.save()

    everything = export_of(programme)
    summary_only = export_of(programme, only_outdated=True)

    assert b'datatype="html"' in everything
    assert b'datatype="plaintext"' in summary_only


def test_units_without_source_text_are_left_out():
    programme = make_programme(facts_note_fr="", facts_note_en="An English note.")

    found = units(export_of(programme))

    # Translating into English needs French text to translate from.
    assert unit_id(programme, "facts_note") not in found
    assert unit_id(programme, "name") in found


def test_only_outdated_exports_exactly_the_missing_and_outdated_units(content):
    programme = Programme.objects.order_by("pk").first()
    programme.summary_fr += " Une phrase de plus."
    programme.save()
    programme.facts_note_fr = "Une note nouvelle."
    programme.facts_note_en = ""
    programme.save()
    expected = {
        status.unit_id
        for status in all_statuses()
        if status.language == "en" and status.status in TO_DO and status.source_text
    }

    data = export("en", only_outdated=True)

    assert set(units(data)) == expected
    assert {unit_id(programme, "summary"), unit_id(programme, "facts_note")} <= expected
    # Every field otherwise: the whole site's English units.
    everything = units(export("en"))
    assert len(everything) > len(expected)
    assert expected < set(everything)


# The OASIS schemas, vendored with their notices (tests/schemas/README.md).
SCHEMAS = Path(__file__).resolve().parent / "schemas"
XLIFF_SCHEMAS = {
    "xliff": SCHEMAS / "xliff-1.2" / "xliff-core-1.2-strict.xsd",
    "xliff2": SCHEMAS / "xliff-2.0" / "xliff_core_2.0.xsd",
}


def schema_errors(data, file_format):
    """What the OASIS schema of `file_format` finds wrong with `data`."""
    # Imports (xml.xsd) resolve next to the schema: never over the network.
    parser = etree.XMLParser(no_network=True, load_dtd=False, resolve_entities=False)
    schema = etree.XMLSchema(etree.parse(XLIFF_SCHEMAS[file_format], parser))
    if schema.validate(etree.fromstring(data, parser)):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]


@pytest.mark.parametrize("file_format", ["xliff", "xliff2"])
@pytest.mark.parametrize("target", ["en", "fr"])
@pytest.mark.parametrize(
    "options",
    [{}, {"only_outdated": True}, {"base_url": "https://example.org"}],
    ids=["whole-site", "only-outdated", "absolute-addresses"],
)
def test_every_xliff_export_is_valid_against_the_oasis_schema(
    file_format, target, options, content
):
    # Every kind of unit: outdated (1.2: with the previous source), missing,
    # rich text, glossary notes, a participation's note, the home page, key
    # facts, results and a source's note on its missing address.
    aircop = Programme.objects.get(acronym="AIRCOP")
    aircop.summary_fr += " Une phrase de plus, avec l’ONUDC."
    aircop.description_en = "<h2>Airports</h2>\n\n<p>With <strong>UNODC</strong>.</p>"
    aircop.facts_note_fr = ""
    aircop.save()
    add_participation(aircop, make_organisation(), note_fr="Via l’ONUDC.")

    data = export(target, file_format, **options)

    kinds = {uid.partition(".")[0] for uid in units(data, file_format)}
    if not options.get("only_outdated"):
        assert {"keyfact", "result", "source"} <= kinds
        # Addresses are translators' work too.
        assert unit_id(aircop, "slug") in units(data, file_format)
    assert schema_errors(data, file_format) == []


def test_the_schemas_find_what_is_wrong(programme):
    # What exports wrote before issue 17: xml:space on the segment.
    root = etree.fromstring(export_of(programme, "xliff2"))
    root.find(f".//{{{XLIFF_20}}}segment").set(XML_SPACE, "preserve")
    # And a 1.2 unit without its id.
    root_12 = etree.fromstring(export_of(programme))
    del root_12.find(f".//{{{XLIFF_12}}}trans-unit").attrib["id"]

    (error,) = schema_errors(etree.tostring(root), "xliff2")
    errors_12 = schema_errors(etree.tostring(root_12), "xliff")

    assert "segment" in error and "space" in error and "not allowed" in error
    assert any("trans-unit" in e and "'id' is required" in e for e in errors_12)


def test_po_export_uses_msgctxt_fuzzy_and_the_previous_source(programme):
    programme.summary_fr = "Un résumé modifié."
    programme.save()

    data = export_of(programme, "po")

    store = po.pofile.parsestring(data)
    header = store.parseheader()
    assert header["Language"] == "en"
    assert header["X-Source-Language"] == "fr"
    summary = units(data, "po")[unit_id(programme, "summary")]
    assert summary.source == "Un résumé modifié."
    assert summary.target == "A short summary."
    assert summary.isfuzzy()
    assert summary.prev_source == "Un résumé court."
    assert "Field: Summary" in summary.getnotes()
    assert not units(data, "po")[unit_id(programme, "name")].isfuzzy()
    assert '#| msgid "Un résumé court."' in data.decode()


def test_xliff_2_export_has_languages_notes_in_the_unit_and_states(programme):
    programme.summary_fr = "Un résumé modifié."
    programme.save()

    data = export_of(programme, "xliff2")

    root = etree.fromstring(data)
    assert root.tag == f"{{{XLIFF_20}}}xliff"
    assert (root.get("srcLang"), root.get("trgLang")) == ("fr", "en")
    ns = f"{{{XLIFF_20}}}"
    unit = root.find(f".//{ns}unit[@id='{unit_id(programme, 'summary')}']")
    # XLIFF 2.0: modules (the metadata holding the digest of the translation
    # at export), then notes, belong to the unit, before its segments.
    assert unit[0].tag == f"{{{XLIFF_20_METADATA}}}metadata"
    assert unit[1].tag == f"{ns}notes"
    assert unit.find(f"{ns}segment/{ns}notes") is None
    assert unit.find(f"{ns}segment").get("state") == "initial"
    name = root.find(f".//{ns}unit[@id='{unit_id(programme, 'name')}']")
    assert name.find(f"{ns}segment").get("state") == "translated"


def test_xliff_2_units_keep_their_line_breaks_and_spaces_in_any_tool(programme):
    programme.facts_note_fr = "Premier  paragraphe.\n\nDeuxième."
    programme.save()

    data = export_of(programme, "xliff2")

    # On the unit, where the schema allows it; a tool reading the file as
    # XLIFF 2.0 says (translate-toolkit here) keeps the text as written.
    unit_element = etree.fromstring(data).find(
        f".//{{{XLIFF_20}}}unit[@id='{unit_id(programme, 'facts_note')}']"
    )
    assert unit_element.get(XML_SPACE) == "preserve"
    unit = units(data, "xliff2")[unit_id(programme, "facts_note")]
    assert unit.source == "Premier  paragraphe.\n\nDeuxième."


def test_participation_notes_are_exported_with_their_programme_page():
    programme = make_programme()
    participation = add_participation(
        programme, make_organisation(), note_fr="Via le programme.", note_en=""
    )

    data = export("en", only_outdated=True)

    unit = units(data)[unit_id(participation, "note")]
    assert unit.source == "Via le programme."
    assert f"Page: /en/programmes/{programme.slug_en}/" in unit.getnotes()
    # "ORG1: partner" alone would not say in which programme.
    assert f"Record: {programme.name_en} — ORG" in unit.getnotes()


@pytest.mark.parametrize("file_format", ["xliff", "xliff2", "po"])
def test_figures_and_address_notes_go_out_and_come_back(file_format, user, tmp_path):
    programme = make_programme()
    source = add_source(
        programme, url="", address_note_fr="Rapport imprimé.", address_note_en=""
    )
    fact = add_key_fact(programme, source, label_fr="Pays", label_en="")
    result = add_result(programme, source, title_fr="Opération", title_en="")

    data = export("en", file_format, only_outdated=True)

    exported = units(data, file_format)
    wanted = {
        unit_id(source, "address_note"): "Printed report.",
        unit_id(fact, "label"): "Countries",
        unit_id(result, "title"): "Operation",
    }
    assert set(wanted) <= set(exported)
    # Each with its programme's page, as a participation's note.
    assert f"Page: /en/programmes/{programme.slug_en}/".encode() in data
    path = tmp_path / f"en.{file_format}"
    path.write_bytes(translated(data, file_format, **wanted))

    run_import(path, "--user=ana")

    source.refresh_from_db()
    fact.refresh_from_db()
    result.refresh_from_db()
    assert (source.address_note_en, fact.label_en, result.title_en) == (
        "Printed report.",
        "Countries",
        "Operation",
    )
    assert status_of(fact, "label", "en") == Status.UP_TO_DATE


def test_export_command_says_what_it_does_and_sums_up(programme, tmp_path):
    programme.summary_fr = "Un résumé modifié."
    programme.save()
    programme.facts_note_en = ""
    programme.save()
    output = tmp_path / "en.xlf"
    out = StringIO()

    call_command(
        "export_translations",
        "--target=en",
        "--only-outdated",
        "--model=programme",
        f"--ids={programme.pk}",
        f"--output={output}",
        stdout=out,
    )

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Exporting the missing and outdated translations")
    assert lines[-1] == f"Exported 2 units (1 missing, 1 outdated) to {output}."
    assert set(units(output.read_bytes())) == {
        unit_id(programme, "summary"),
        unit_id(programme, "facts_note"),
    }


@pytest.mark.parametrize(
    ("options", "file_format"),
    [
        (["--format=po"], "po"),
        (["--format=xliff", "--xliff-version=2.0"], "xliff2"),
    ],
)
def test_export_command_formats(programme, tmp_path, options, file_format):
    output = tmp_path / "file"

    call_command(
        "export_translations",
        "--target=en",
        "--model=programme",
        f"--output={output}",
        *options,
        stdout=StringIO(),
    )

    assert unit_id(programme, "name") in units(output.read_bytes(), file_format)


def test_export_command_refuses_ids_without_one_model(tmp_path):
    with pytest.raises(CommandError, match="--ids needs exactly one --model"):
        call_command(
            "export_translations",
            "--target=en",
            "--ids=1",
            f"--output={tmp_path / 'x.xlf'}",
            stdout=StringIO(),
        )


def test_export_into_french_has_french_notes(programme):
    GlossaryTerm.objects.create(
        term_fr="ONUDC", term_en="UNODC", expansion_fr="Office des Nations Unies"
    )
    GlossaryTerm.objects.create(term_fr="UE", term_en="EU")
    programme.name_en = "Summer programme, renamed with the UNODC and the EU"
    programme.save()

    data = export("fr", models_=[Programme], ids=[programme.pk])

    root = etree.fromstring(data)
    (file_element,) = root.iter(f"{{{XLIFF_12}}}file")
    assert file_element.get("source-language") == "en"
    notes = units(data)[unit_id(programme, "name")].getnotes()
    assert f"/fr/programmes/{programme.slug_fr}/" in notes
    assert "Champ\u202f: Nom" in notes
    assert "Glossaire\u202f: UNODC → ONUDC (Office des Nations Unies)" in notes
    assert "Glossaire\u202f: EU → UE" in notes
    assert "Glossary" not in notes


# --- Round trips ----------------------------------------------------------------------

# Already in French typography (text.py), which saving would otherwise apply.
TYPOGRAPHY_FR = (
    "L’été «\u202fchaud\u202f»\u202f: 50\u202f% des “saisies”\u202f; déjà vu\u202f!"
)
TYPOGRAPHY_EN = "The “hot” summer: 50\u00a0% of «\u202fseizures\u202f» — it’s déjà vu!"


def long_description(language):
    """About 20 000 characters of rich text, the same markup in each language."""
    word = {"fr": "Été", "en": "Summer"}[language]
    paragraph = (
        f"<p>{word} « guillemets » et\u00a0espaces <strong>gras</strong>, "
        f"<em>accentué</em> é è ê à ç œ.</p>\n\n"
    )
    return (paragraph * 215).strip()


@pytest.mark.parametrize("file_format", FORMATS)
def test_round_trip_keeps_every_character(file_format, user, tmp_path):
    summary_en = ("Forty characters of English, “quoted”. " * 11)[:399] + "’"
    programme = make_programme(
        name_fr=TYPOGRAPHY_FR,
        name_en="",
        summary_fr="Un résumé « court »\u00a0!",
        summary_en="",
        description_fr=long_description("fr"),
        description_en="",
        facts_note_fr="Première ligne.\n\nDeuxième  ligne, espaces  doubles. ",
        facts_note_en="",
        status="draft",
    )
    description_en = long_description("en")
    assert len(description_en) > 20_000
    data = translate_programme(
        programme,
        file_format,
        name=TYPOGRAPHY_EN,
        summary=summary_en,
        description=description_en,
        facts_note="First line.\n\nSecond  line, double  spaces. ",
    )
    path = tmp_path / f"round-trip.{file_format}"
    path.write_bytes(data)

    out, err = run_import(path, "--user=ana")

    programme.refresh_from_db()
    assert programme.name_en == TYPOGRAPHY_EN
    assert len(programme.summary_en) == 400
    assert programme.summary_en == summary_en
    assert programme.facts_note_en == "First line.\n\nSecond  line, double  spaces. "
    # Rich text is stored as the sanitiser writes it (U+00A0 as &nbsp;), the
    # same HTML as sent.
    assert programme.description_en == clean_for_storage(description_en)
    assert plain_text(programme.description_en) == plain_text(description_en)
    assert "et\u00a0espaces" in html.unescape(programme.description_en)
    assert out.splitlines()[-1] == (
        f"Imported 4 changes to 1 record from round-trip.{file_format} "
        "(1 unchanged, 0 marked as checked)."
    )
    assert err == ""
    # And back out: the sources and the new targets travel intact.
    again = units(export_of(programme, file_format), file_format)
    assert again[unit_id(programme, "name")].source == TYPOGRAPHY_FR
    assert again[unit_id(programme, "name")].target == TYPOGRAPHY_EN


@pytest.mark.parametrize("file_format", FORMATS)
def test_control_characters_xml_cannot_hold_do_not_break_a_round_trip(
    file_format, user, tmp_path
):
    # Pasted from a word processor: a form feed, which XML 1.0 cannot hold.
    programme = make_programme(summary_fr="Un résumé\x0c collé.", summary_en="")
    data = export_of(programme, file_format)
    path = tmp_path / f"x.{file_format}"
    path.write_bytes(
        translated(data, file_format, **{unit_id(programme, "summary"): "Pasted."})
    )

    run_import(path, "--user=ana")

    programme.refresh_from_db()
    assert programme.summary_en == "Pasted."


@pytest.mark.parametrize("file_format", FORMATS)
def test_an_import_stores_text_as_the_admin_does(file_format, user, tmp_path):
    # "réseau" with a combining accent, and Windows line breaks.
    typed = "Un re\u0301seau.\r\n\r\nTwo lines."
    programme = make_programme(facts_note_fr="Une note.", facts_note_en="")
    path = tmp_path / f"x.{file_format}"
    path.write_bytes(translate_programme(programme, file_format, facts_note=typed))

    run_import(path, "--user=ana")

    programme.refresh_from_db()
    assert programme.facts_note_en == "Un r\u00e9seau.\n\nTwo lines."


def test_import_records_one_revision_per_record_with_user_and_reason(
    programme, user, tmp_path
):
    before = programme.history.count()
    path = tmp_path / "from-translator.xlf"
    path.write_bytes(
        translate_programme(programme, summary="New summary.", name="New name")
    )

    run_import(path, "--user=ana")

    assert programme.history.count() == before + 1
    latest = programme.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == user
    assert latest.history_change_reason == "Imported from from-translator.xlf"
    assert latest.summary_en == "New summary."
    assert latest.name_en == "New name"


def test_the_reason_is_shown_in_the_page_language():
    with translation.override("fr"):
        shown = reason_display("Imported from x.xlf")

    assert shown == "Importé depuis x.xlf"


def test_imported_translations_become_up_to_date(programme, user, tmp_path):
    programme.summary_fr = "Un résumé modifié."
    programme.save()
    assert status_of(programme, "summary", "en") == Status.OUTDATED
    path = tmp_path / "x.po"
    path.write_bytes(translate_programme(programme, "po", summary="A changed summary."))

    run_import(path, "--user=ana")

    assert status_of(programme, "summary", "en") == Status.UP_TO_DATE
    state = TranslationState.objects.get(
        object_id=programme.pk, field="summary", language="en"
    )
    assert state.updated_by == user


def test_an_outdated_translation_sent_back_unchanged_and_done_is_checked(
    programme, user, tmp_path
):
    programme.summary_fr = "Un résumé, virgule comprise."
    programme.save()
    path = tmp_path / "x.xlf"
    # The translator read the change and confirmed the English still fits.
    path.write_bytes(translate_programme(programme, summary="A short summary."))

    out, _err = run_import(path, "--user=ana")

    assert "marked as checked" in out
    assert out.splitlines()[-1].endswith("(4 unchanged, 1 marked as checked).")
    assert status_of(programme, "summary", "en") == Status.UP_TO_DATE
    programme.refresh_from_db()
    assert programme.summary_en == "A short summary."


def test_an_outdated_unit_left_for_review_stays_outdated(programme, user, tmp_path):
    programme.summary_fr = "Un résumé, virgule comprise."
    programme.save()
    path = tmp_path / "x.xlf"
    path.write_bytes(export_of(programme))  # as exported: needs review

    out, _err = run_import(path, "--user=ana")

    assert out.splitlines()[-1].endswith("(5 unchanged, 0 marked as checked).")
    assert status_of(programme, "summary", "en") == Status.OUTDATED


def left_for_review(data, file_format, state, **targets):
    """The file with `targets` by unit id typed in but marked as `state`.

    `state` is XLIFF 1.2's target state (None: no state, approved="no"); XLIFF
    2.0 units become "initial" and PO ones fuzzy, whatever `state` says.
    """
    store = store_of(data, file_format)
    for unit in store.units:
        uid = id_of(unit, file_format)
        if uid not in targets:
            continue
        unit.target = targets[uid]
        if file_format == "xliff":
            target_element = unit.getlanguageNode(lang=None, index=1)
            target_element.attrib.pop("state", None)
            if state is None:
                unit.xmlelement.set("approved", "no")
            else:
                target_element.set("state", state)
        else:
            unit.markfuzzy(True)
    return bytes(store)


DRAFT_WARNING = "Not applied: the file marks this translation as needing review"

LEFT_FOR_REVIEW = [
    ("xliff", "needs-review-translation"),
    ("xliff", "needs-translation"),
    ("xliff", "new"),
    ("xliff2", "initial"),
    ("po", "fuzzy"),
]


@pytest.mark.parametrize(("file_format", "state"), LEFT_FOR_REVIEW)
def test_a_unit_left_for_review_in_the_tool_is_not_applied(
    file_format, state, programme, user, tmp_path
):
    data = translate_programme(programme, file_format, name="A finished name")
    summary = unit_id(programme, "summary")
    path = tmp_path / f"x.{file_format}"
    path.write_bytes(
        left_for_review(data, file_format, state, **{summary: "A first draft."})
    )

    out, err = run_import(path, "--user=ana")

    programme.refresh_from_db()
    assert programme.summary_en == "A short summary."
    assert programme.name_en == "A finished name"  # the rest of the file imports
    assert f"Warning: {summary} (Programme" in err
    assert DRAFT_WARNING in err
    assert out.splitlines()[-1] == (
        f"Imported 1 change to 1 record from x.{file_format} (3 unchanged, 0 "
        "marked as checked, 1 not applied, marked as needing review)."
    )


def test_a_unit_without_a_state_is_applied_even_if_not_approved(
    programme, user, tmp_path
):
    summary = unit_id(programme, "summary")
    path = tmp_path / "x.xlf"
    path.write_bytes(
        left_for_review(export_of(programme), "xliff", None, **{summary: "Typed."})
    )

    _out, err = run_import(path, "--user=ana")

    programme.refresh_from_db()
    assert programme.summary_en == "Typed."
    assert err == ""


def test_a_draft_is_not_checked_either(programme, user, tmp_path):
    # Unfinished, so not refused for what it holds: the translator may be
    # halfway through.
    summary = unit_id(programme, "summary")
    path = tmp_path / "x.po"
    path.write_bytes(
        left_for_review(
            export_of(programme, "po"), "po", "fuzzy", **{summary: "x" * 401}
        )
    )

    with nothing_changes():
        out, err = run_import(path, "--user=ana")

    assert DRAFT_WARNING in err
    assert "Imported 0 changes" in out.splitlines()[-1]


NOT_TRANSLATED = "Not applied: the translation is empty (not translated yet)"


@pytest.mark.parametrize("file_format", FORMATS)
def test_an_unmodified_export_imports_leaving_out_its_empty_units(
    file_format, user, tmp_path
):
    # Into French, one summary not translated yet: the export's target is
    # empty, and the same file sent back changes nothing.
    programme = make_programme(summary_fr="")
    path = tmp_path / f"fr.{file_format}"
    path.write_bytes(export("fr", file_format, models_=[Programme], ids=[programme.pk]))

    with nothing_changes():
        out, err = run_import(path, "--user=ana")

    assert f"Warning: {unit_id(programme, 'summary')} (Programme" in err
    assert NOT_TRANSLATED in err
    assert out.splitlines()[-1] == (
        f"Imported 0 changes to 0 records from fr.{file_format} (3 unchanged, 0 "
        "marked as checked, 1 not translated yet, left out)."
    )


@pytest.mark.parametrize("file_format", FORMATS)
def test_an_empty_target_is_left_out_and_the_rest_imports(
    file_format, programme, user, tmp_path
):
    path = tmp_path / f"x.{file_format}"
    path.write_bytes(
        translate_programme(programme, file_format, name="A new name", summary="")
    )

    _out, err = run_import(path, "--user=ana")

    programme.refresh_from_db()
    assert programme.name_en == "A new name"
    assert programme.summary_en == "A short summary."
    assert f"Warning: {unit_id(programme, 'summary')} (Programme" in err
    assert NOT_TRANSLATED in err


EDITED = "Edited in the admin since the export."
FROM_THE_FILE = "The translator’s summary."


def edited_meanwhile(programme, file_format="xliff"):
    """A file changing the name and summary, exported before someone edited
    the summary on the site."""
    data = export_of(programme, file_format)
    programme.summary_en = EDITED
    programme.save()
    return translated(
        data,
        file_format,
        **{
            unit_id(programme, "name"): "A new name",
            unit_id(programme, "summary"): FROM_THE_FILE,
        },
    )


@pytest.mark.parametrize("file_format", FORMATS)
def test_a_translation_edited_since_the_export_is_a_conflict_refusing_the_file(
    file_format, programme, user, tmp_path
):
    path = tmp_path / f"x.{file_format}"
    path.write_bytes(edited_meanwhile(programme, file_format))

    with nothing_changes():
        output = refused(path, "--user=ana")

    summary = unit_id(programme, "summary")
    assert f"{summary}: Programme “" in output
    assert "conflict (edited on the site since the export, and in the file)" in output
    assert f"  site: {EDITED}" in output
    assert f"  file: {FROM_THE_FILE}" in output
    assert f"Refused x.{file_format}: 1 conflict, nothing changed." in output
    assert "--skip-conflicts" in output


def test_dry_run_lists_the_conflicts_and_fails(programme, tmp_path):
    path = tmp_path / "x.xlf"
    path.write_bytes(edited_meanwhile(programme))

    with nothing_changes():
        output = refused(path, "--dry-run")

    assert f"  site: {EDITED}" in output
    assert "Refused x.xlf: 1 conflict, nothing changed." in output


SETTLED = {
    # flag: (the summary after the import, what the command says, the counts)
    "--skip-conflicts": (
        EDITED,
        "conflict, the site's version kept",
        "Imported 1 change to 1 record from x.{} (3 unchanged, 0 marked as "
        "checked, 1 conflict, 0 taken from the file).",
    ),
    "--take-file": (
        FROM_THE_FILE,
        "conflict, the file's version taken",
        "Imported 2 changes to 1 record from x.{} (3 unchanged, 0 marked as "
        "checked, 1 conflict, 1 taken from the file).",
    ),
}


@pytest.mark.parametrize("flag", SETTLED)
@pytest.mark.parametrize("file_format", FORMATS)
def test_a_flag_settles_the_conflicts_and_the_rest_imports(
    flag, file_format, programme, user, tmp_path
):
    summary, outcome, counts = SETTLED[flag]
    path = tmp_path / f"x.{file_format}"
    path.write_bytes(edited_meanwhile(programme, file_format))

    out, err = run_import(path, "--user=ana", flag)

    programme.refresh_from_db()
    assert programme.summary_en == summary
    assert programme.name_en == "A new name"
    assert outcome in err
    assert out.splitlines()[-1] == counts.format(file_format)


def test_skip_conflicts_and_take_file_exclude_each_other(programme, tmp_path):
    path = tmp_path / "x.xlf"
    path.write_bytes(edited_meanwhile(programme))

    with pytest.raises(CommandError, match="not allowed with argument"):
        run_import(path, "--skip-conflicts", "--take-file")


@pytest.mark.parametrize("file_format", FORMATS)
def test_a_stale_file_sent_back_unchanged_keeps_the_later_edit(
    file_format, programme, user, tmp_path
):
    # The file holds the summary as exported: the site's is the newer one.
    data = export_of(programme, file_format)
    programme.summary_en = EDITED
    programme.save()
    path = tmp_path / f"x.{file_format}"
    path.write_bytes(
        translated(data, file_format, **{unit_id(programme, "name"): "A new name"})
    )

    out, err = run_import(path, "--user=ana")

    programme.refresh_from_db()
    assert programme.summary_en == EDITED
    assert programme.name_en == "A new name"
    assert err == ""


def without_digests(data, file_format):
    """The file as exported before units carried the translation's digest."""
    if file_format == "po":
        return re.sub(rb"#\. x-target-sha256: \w+\n", b"", data)
    root = etree.fromstring(data)
    for element in root.xpath(
        "//*[local-name()='context-group' or local-name()='metadata']"
    ):
        element.getparent().remove(element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@pytest.mark.parametrize("file_format", FORMATS)
def test_a_file_without_digests_imports_as_before_with_a_warning(
    file_format, programme, user, tmp_path
):
    data = without_digests(export_of(programme, file_format), file_format)
    assert b"x-target-sha256" not in data
    programme.summary_en = EDITED
    programme.save()
    path = tmp_path / f"x.{file_format}"
    path.write_bytes(
        translated(data, file_format, **{unit_id(programme, "summary"): FROM_THE_FILE})
    )

    _out, err = run_import(path, "--user=ana")

    programme.refresh_from_db()
    assert programme.summary_en == FROM_THE_FILE
    assert (
        "Warning: The file does not record the translations as they were at the export"
    ) in err
    assert "translations edited on the site since cannot be detected" in err


def test_dry_run_shows_the_changes_and_changes_nothing(programme, tmp_path):
    path = tmp_path / "x.xlf"
    path.write_bytes(
        translate_programme(programme, summary="A short summary, now longer.")
    )

    with nothing_changes():
        out, _err = run_import(path, "--dry-run")

    assert f"{unit_id(programme, 'summary')}: Programme" in out
    assert "Summary (English)" in out
    assert "  - A short summary." in out
    assert "  + A short summary, now longer." in out
    assert out.splitlines()[-1] == (
        "Would import 1 change to 1 record from x.xlf (4 unchanged, 0 marked as "
        "checked); nothing changed (--dry-run)."
    )


def test_the_preview_starts_near_the_change_in_long_texts(programme, tmp_path):
    long_summary = "A sentence that goes on and on. " * 8
    programme.summary_en = long_summary
    programme.save()
    path = tmp_path / "x.xlf"
    path.write_bytes(
        translate_programme(programme, summary=long_summary + "A new ending.")
    )

    out, _err = run_import(path, "--dry-run")

    assert "A new ending." in out


def test_an_import_without_a_user_names_the_command_line_in_the_history(
    programme, tmp_path
):
    path = tmp_path / "x.xlf"
    path.write_bytes(translate_programme(programme, summary="New."))

    out, _err = run_import(path)

    programme.refresh_from_db()
    assert programme.summary_en == "New."
    latest = programme.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user is None
    assert latest.history_change_reason == (
        f"Imported from x.xlf (command line, {getpass.getuser()})"
    )
    assert "No --user given" in out


def test_an_unknown_user_is_refused(programme, tmp_path):
    path = tmp_path / "x.xlf"
    path.write_bytes(translate_programme(programme, summary="New."))

    with nothing_changes(), pytest.raises(CommandError, match="No user 'nobody'"):
        run_import(path, "--user=nobody")


def test_glossary_terms_of_the_other_language_are_warnings(programme, user, tmp_path):
    GlossaryTerm.objects.create(term_fr="ONUDC", term_en="UNODC")
    path = tmp_path / "x.xlf"
    path.write_bytes(translate_programme(programme, summary="With ONUDC."))

    out, err = run_import(path, "--user=ana")

    assert "Warning: " in err
    assert "“ONUDC” is the term of another language" in err
    assert "“UNODC”" in err
    programme.refresh_from_db()
    assert programme.summary_en == "With ONUDC."


# --- Files edited by translation tools ------------------------------------------------


DESCRIBED = "<p>A <strong>described</strong> thing.</p>"


def cat_tool_file(programme):
    """What a CAT tool hands back: its own namespaces, attributes and order.

    Units reordered and grouped, attributes reordered, xml:space dropped, a
    regional language code, <mrk> segments, alt-trans from a memory, notes
    added, the digests of the translations at export moved about, a byte order
    mark and Windows line ends.
    """
    pk = programme.pk

    def digest(field):
        return text_digest(getattr(programme, f"{field}_en"))

    text = f"""<?xml version="1.0" encoding="utf-8"?>
<xliff xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0" version="1.2"
 xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:mq="MQXliff" sdl:version="1.0">
 <file tool-id="cat" datatype="html" target-language="en-GB" mq:id="7"
  original="interpol-drugs" source-language="fr-FR">
  <header><tool tool-id="cat" tool-name="A CAT tool"/></header>
  <body>
   <group id="g1" mq:name="programme">
    <trans-unit size-unit="char" mq:status="Confirmed" maxwidth="400"
     approved="yes" id="programme.{pk}.summary">
     <source xml:lang="fr-FR">{escape(programme.summary_fr)}</source>
     <seg-source><mrk mtype="seg" mid="1">{escape(programme.summary_fr)}</mrk>
     </seg-source>
     <target xml:lang="en-GB" state="final"><mrk mtype="seg" mid="1"
      >Summary, from a tool.</mrk></target>
     <note from="translator">Checked with the reviewer.</note>
     <context-group name="interpol-drugs" purpose="information">
      <context context-type="x-target-sha256">{digest("summary")}</context>
     </context-group>
     <alt-trans match-quality="75" origin="memory" mq:x="1">
      <source>Un résumé.</source><target>A summary.</target>
     </alt-trans>
    </trans-unit>
   </group>
   <trans-unit id="programme.{pk}.facts_note" approved="yes">
    <context-group name="interpol-drugs"><context context-type="x-target-sha256"
     >{digest("facts_note")}</context></context-group>
    <source>{escape(programme.facts_note_fr)}</source>
    <target state="translated">First paragraph.

Second paragraph.</target>
   </trans-unit>
   <trans-unit mq:locked="false" id="programme.{pk}.description" xml:space="preserve">
    <source>{escape(programme.description_fr)}</source>
    <target state="signed-off" mq:tm="none">{escape(DESCRIBED)}</target>
    <context-group purpose="information" name="interpol-drugs"><context
     context-type="x-target-sha256">{digest("description")}</context></context-group>
   </trans-unit>
  </body>
 </file>
</xliff>
"""
    return "\ufeff".encode() + text.replace("\n", "\r\n").encode()


def test_a_file_edited_by_a_cat_tool_is_accepted(user, tmp_path):
    programme = make_programme(
        summary_fr="Un résumé court.",
        facts_note_fr="Premier paragraphe.\n\nDeuxième paragraphe.",
        facts_note_en="",
        description_fr="<p>Une <strong>description</strong>.</p>",
    )
    path = tmp_path / "from-a-tool.xlf"
    path.write_bytes(cat_tool_file(programme))

    out, err = run_import(path, "--user=ana")

    programme.refresh_from_db()
    assert programme.summary_en == "Summary, from a tool."
    assert programme.facts_note_en == "First paragraph.\n\nSecond paragraph."
    assert programme.description_en == DESCRIBED
    assert "Imported 3 changes to 1 record" in out
    assert err == ""


def test_a_po_file_saved_by_poedit_is_accepted(programme, user, tmp_path):
    data = translate_programme(programme, "po", summary="A summary from Poedit.")
    text = data.decode().replace("Language: en", "Language: en_GB")
    text = text.replace("#. Field: Summary", "# Checked.\n#. Field: Summary")
    path = tmp_path / "poedit.po"
    path.write_bytes("\ufeff".encode() + text.replace("\n", "\r\n").encode())

    run_import(path, "--user=ana")

    programme.refresh_from_db()
    assert programme.summary_en == "A summary from Poedit."


def test_an_xliff_2_unit_cut_into_segments_is_read_whole(user, tmp_path):
    programme = make_programme(summary_fr="Première phrase. Deuxième phrase.")
    pk = programme.pk
    path = tmp_path / "segments.xlf"
    path.write_text(
        f"""<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0"
 trgLang="en" srcLang="fr">
  <file id="f1">
    <unit id="programme.{pk}.summary">
      <segment state="translated"><source>Première phrase.</source>
        <target>First sentence.</target></segment>
      <ignorable><source> </source></ignorable>
      <segment state="final"><source>Deuxième phrase.</source>
        <target>Second sentence.</target></segment>
    </unit>
  </file>
</xliff>
""",
        encoding="utf-8",
    )

    run_import(path, "--user=ana")

    programme.refresh_from_db()
    assert programme.summary_en == "First sentence. Second sentence."


# --- Bad files: refused with a message, nothing changed -------------------------------

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE xliff [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="interpol-drugs" source-language="fr" target-language="en"
 datatype="plaintext"><body>
<trans-unit id="UNIT"><source>SOURCE</source><target>&d;&d;&d;&d;</target></trans-unit>
</body></file></xliff>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="interpol-drugs" source-language="fr" target-language="en"
 datatype="plaintext"><body>
<trans-unit id="UNIT"><source>SOURCE</source><target>&secret;</target></trans-unit>
</body></file></xliff>"""


def with_unit(template, programme):
    return template.replace(b"UNIT", unit_id(programme, "summary").encode()).replace(
        b"SOURCE", programme.summary_fr.encode()
    )


def good(programme, file_format="xliff"):
    return translate_programme(
        programme,
        file_format,
        name="New name",
        summary="New summary.",
        description="<p>A <strong>new</strong> description.</p>",
        facts_note="A new note.",
    )


def replaced(old, new, file_format="xliff"):
    def change(programme):
        data = good(programme, file_format)
        assert old.encode() in data
        return data.replace(old.encode(), new.encode())

    return change


def with_target(field, text, file_format="xliff"):
    def change(programme):
        data = good(programme, file_format)
        return translated(data, file_format, **{unit_id(programme, field): text})

    return change


def with_id(old_field, new_id):
    def change(programme):
        return good(programme).replace(
            f'id="{unit_id(programme, old_field)}"'.encode(),
            f'id="{new_id(programme)}"'.encode(),
        )

    return change


LINKED_FR = '<p>Voir <a href="https://www.unodc.org/">l’ONUDC</a>.</p>'


def with_link(address, also=None):
    """The programme's French description linking to the UNODC; its English
    translation linking to `address` (and to `also`)."""

    def change(programme):
        programme.description_fr = LINKED_FR
        programme.save()
        extra = f' and <a href="{also}">more</a>' if also else ""
        description = f'<p>See <a href="{address}">the UNODC</a>{extra}.</p>'
        return translate_programme(programme, description=description)

    return change


BAD_FILES = {
    "malformed XML": (
        lambda programme: good(programme)[:-40],
        "The file is not well-formed XML",
    ),
    "not UTF-8 XML": (
        lambda programme: good(programme).replace(
            "Été".encode(), "Été".encode("latin-1")
        ),
        "The file is not well-formed XML",
    ),
    "XML that is not XLIFF": (
        lambda programme: b"<html><body><p>Hello</p></body></html>",
        "The file is XML but not XLIFF (its root element is <html>)",
    ),
    "billion laughs": (
        lambda programme: with_unit(LAUGHS, programme),
        "The file declares a document type (DTD)",
    ),
    "external entity": (
        lambda programme: with_unit(EXTERNAL_ENTITY, programme),
        "The file declares a document type (DTD)",
    ),
    "not a PO file": (
        lambda programme: b"Dear translator,\nhere is the text.\n",
        "The file is neither XLIFF nor a readable PO file",
    ),
    "PO not in UTF-8": (
        lambda programme: good(programme, "po").replace(
            "Été".encode(), "Été".encode("latin-1")
        ),
        "The file is neither XLIFF nor a readable PO file",
    ),
    "target language not of the site": (
        replaced('target-language="en"', 'target-language="de"'),
        "The target language “de” is not a language of this site (fr, en)",
    ),
    "no target language": (
        replaced('target-language="en"', ""),
        "The file names no target language",
    ),
    "source language equal to the target": (
        replaced('source-language="fr"', 'source-language="en"'),
        "The source and target languages are the same (“en”)",
    ),
    "source language not the file's": (
        replaced('source-language="fr"', 'source-language="de"'),
        "The file translates from “de”, but translations into English are made "
        "from French",
    ),
    "PO target language not of the site": (
        replaced("Language: en", "Language: es", "po"),
        "The target language “es” is not a language of this site",
    ),
    "unknown kind of record": (
        with_id("summary", lambda programme: "glossaryterm.1.term"),
        "glossaryterm.1.term: Unknown unit",
    ),
    "unknown record": (
        with_id("summary", lambda programme: "programme.999999.summary"),
        "programme.999999.summary: No such record",
    ),
    "unknown field": (
        with_id("summary", lambda programme: unit_id(programme, "status")),
        "Unknown unit: no translated field of this site has this id",
    ),
    "a unit twice": (
        with_id("name", lambda programme: unit_id(programme, "summary")),
        "The unit appears more than once in the file",
    ),
    "text too long for its field": (
        with_target("summary", "x" * 401),
        "The translation is 401 characters long; this field holds at most 400",
    ),
    "a script in rich text": (
        with_target(
            "description",
            "<p>A <strong>new</strong> one.</p><script>alert(1)</script>",
        ),
        "The translation holds markup the site does not allow: <script>",
    ),
    "an event handler in rich text": (
        with_target(
            "description", '<p onclick="steal()">A <strong>new</strong> one.</p>'
        ),
        'markup the site does not allow: <p onclick="steal()">',
    ),
    "a javascript link in rich text": (
        with_target(
            "description",
            '<p>A <strong>new</strong> <a href="javascript:alert(1)">one</a>.</p>',
        ),
        'markup the site does not allow: <a href="javascript:alert(1)">',
    ),
    "a comment in rich text": (
        with_target("description", "<p>A <strong>new</strong> one.<!-- hidden --></p>"),
        "markup the site does not allow: <!-- -->",
    ),
    "a link sent elsewhere": (
        with_link("https://attacker.example/"),
        "The links differ from the source's: “https://www.unodc.org/” in the "
        "source, “https://attacker.example/” in the translation",
    ),
    "a link dropped for another": (
        with_link("https://www.unodc.org/", also="/en/programmes/"),
        "The links differ from the source's: “https://www.unodc.org/” in the "
        "source, “/en/programmes/”, “https://www.unodc.org/” in the translation",
    ),
    "an XLIFF script element in a target": (
        replaced("New name</target>", "New name<script>alert(1)</script></target>"),
        "The translation holds XML elements XLIFF does not allow in a "
        "translation: <script>",
    ),
    "an XHTML script element in a target": (
        replaced(
            "New name</target>",
            'New name<script xmlns="http://www.w3.org/1999/xhtml">alert(1)</script>'
            "</target>",
        ),
        "XLIFF does not allow in a translation: <script>",
    ),
    "a script element in an XLIFF 2.0 target": (
        replaced(
            "New name</target>",
            "New name<script>alert(1)</script></target>",
            "xliff2",
        ),
        "XLIFF does not allow in a translation: <script>",
    ),
    "HTML in plain text": (
        with_target("summary", "A <b>bold</b> summary."),
        "This field is plain text: remove the HTML tags",
    ),
    "a slug that is not one": (
        with_target("slug", "une adresse ?"),
        "Enter a valid “slug”",
    ),
    "a slug another page has in that language": (
        lambda programme: with_target("slug", make_programme().slug_en)(programme),
        "Another page already has this address in English: choose another slug.",
    ),
    "markup that differs from the source": (
        with_target("description", "<p>A new description.</p>"),
        "The markup differs from the source's: <p>, <strong> in the source, "
        "<p> in the translation",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_is_refused_with_a_message_and_changes_nothing(
    case, programme, user, tmp_path
):
    make_file, message = BAD_FILES[case]
    path = tmp_path / "bad.file"
    path.write_bytes(make_file(programme))

    with nothing_changes():
        output = refused(path, "--user=ana")

    assert message in output
    assert "Refused bad.file" in output
    assert "nothing changed" in output


def test_a_link_keeps_its_address_while_its_words_are_translated(
    programme, user, tmp_path
):
    programme.description_fr = LINKED_FR
    programme.save()
    path = tmp_path / "x.xlf"
    translation_of_links = (
        '<p>See <a title="Its site" href="https://www.unodc.org/">the UNODC</a>.</p>'
    )
    path.write_bytes(translate_programme(programme, description=translation_of_links))

    run_import(path, "--user=ana")

    programme.refresh_from_db()
    assert 'href="https://www.unodc.org/"' in programme.description_en
    assert "the UNODC" in programme.description_en


def test_the_external_entity_is_never_resolved(programme, user, tmp_path):
    path = tmp_path / "xxe.xlf"
    path.write_bytes(with_unit(EXTERNAL_ENTITY, programme))

    output = refused(path, "--user=ana")

    assert "root:" not in output


def test_the_entities_are_never_expanded(programme):
    report = check_file(with_unit(LAUGHS, programme), "laughs.xlf")

    (error,) = report.errors
    assert "aaaaaaaaaa" not in str(error)
    assert report.changes == []


def test_a_source_changed_since_the_export_is_refused(programme, user, tmp_path):
    path = tmp_path / "old.xlf"
    path.write_bytes(good(programme))
    programme.summary_fr = "Un résumé réécrit entre-temps."
    programme.save()

    with nothing_changes():
        output = refused(path, "--user=ana")

    assert (
        f"{unit_id(programme, 'summary')} (Programme “{programme.name_en}”, "
        "Summary (English)): The source text has changed since the export: "
        "export the file again"
    ) in output


def test_placeholders_must_match_the_source(user, tmp_path):
    programme = make_programme(summary_fr="Il reste %(count)s jours et {name}.")
    path = tmp_path / "x.xlf"
    path.write_bytes(
        translate_programme(programme, summary="There are %(count)s days left.")
    )

    with nothing_changes():
        output = refused(path, "--user=ana")

    assert (
        "The placeholders differ from the source's: %(count)s, {name} in the "
        "source, %(count)s in the translation"
    ) in output


def test_every_problem_is_listed_at_once(programme, user, tmp_path):
    data = translated(
        good(programme),
        **{
            unit_id(programme, "summary"): "x" * 401,
            unit_id(programme, "name"): "<em>Name</em>",
            unit_id(programme, "facts_note"): "y" * 10,
        },
    )
    path = tmp_path / "x.xlf"
    path.write_bytes(data)

    with nothing_changes():
        output = refused(path, "--user=ana")

    assert output.count("Error: ") == 2
    assert "Refused x.xlf: 2 problems, nothing changed." in output
    assert f"{unit_id(programme, 'summary')} (" in output
    assert f"{unit_id(programme, 'name')} (" in output


def test_a_file_without_units_is_refused(programme, user, tmp_path):
    path = tmp_path / "empty.xlf"
    path.write_bytes(export("en", only_outdated=True))

    output = refused(path, "--user=ana")

    assert "The file holds no translation unit." in output


def test_the_command_exits_with_status_1_when_refusing(tmp_path):
    path = tmp_path / "broken.xlf"
    path.write_bytes(b"<xliff version='1.2'><file>")
    # SQLite in a folder of its own: never the database of a run's settings.
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DJANGO_DATA_DIR": str(tmp_path / "data"),
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "import_translations", str(path), "--dry-run"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 1
    assert "Error: The file is not well-formed XML" in result.stderr
    assert "Refused broken.xlf: 1 problem, nothing changed." in result.stderr


# --- Admin ----------------------------------------------------------------------------


def test_the_export_page_is_a_form(client):
    exchanger(client)

    response = client.get(reverse(EXPORT_URL), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    page = parse(response)
    assert page.find(".//select[@name='target']") is not None
    assert page.find(".//select[@name='file_format']") is not None
    assert page.find(".//input[@name='only_outdated']").get("checked") is not None
    assert page.find(".//select[@name='model']") is not None
    # The admin's strict CSP: no inline script or style.
    assert not page.findall(".//script[@src='']")
    assert all(script.get("src") for script in page.iter("script"))
    assert not page.findall(".//style")
    assert not [element for element in page.iter() if element.get("style")]


def test_the_export_downloads_a_file(client, programme):
    exchanger(client)
    programme.summary_fr = "Un résumé modifié."
    programme.save()

    response = client.get(
        reverse(EXPORT_URL),
        {
            "target": "en",
            "file_format": "xliff",
            "only_outdated": "on",
            "model": "programme",
        },
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-xliff+xml"
    assert re.fullmatch(
        r'attachment; filename="interpol-drugs-en-to-do-programme-'
        r'\d{4}-\d\d-\d\d\.xlf"',
        response["Content-Disposition"],
    )
    exported = units(response.getvalue())
    assert set(exported) == {unit_id(programme, "summary")}
    notes = exported[unit_id(programme, "summary")].getnotes()
    # Absolute addresses from the request.
    assert "Edit in the admin: http://testserver/admin/" in notes


def test_the_export_downloads_po(client, programme):
    exchanger(client)

    response = client.get(reverse(EXPORT_URL), {"target": "fr", "file_format": "po"})

    assert response["Content-Type"] == "text/x-gettext-translation"
    assert '.po"' in response["Content-Disposition"]
    assert "-fr-all-" in response["Content-Disposition"]
    assert unit_id(programme, "name") in units(response.getvalue(), "po")


@pytest.mark.parametrize(
    ("file_format", "options"),
    [("xliff", []), ("xliff2", ["--xliff-version=2.0"]), ("po", ["--format=po"])],
)
def test_the_download_streams_the_commands_file(client, tmp_path, file_format, options):
    """The admin's download is the file the command writes, byte for byte,
    streamed from disk rather than held in memory."""
    exchanger(client)
    make_programme(summary_fr="Un résumé.", summary_en="")
    path = tmp_path / "all"
    call_command(
        "export_translations",
        "--target=en",
        *options,
        "--base-url=http://testserver",
        f"--output={path}",
        stdout=StringIO(),
    )

    response = client.get(
        reverse(EXPORT_URL), {"target": "en", "file_format": file_format}
    )

    assert response.status_code == 200
    assert response.streaming
    data = response.getvalue()
    assert int(response["Content-Length"]) == len(data)
    # A PO header dates the file: the command's and the download's may differ
    # by a minute.
    expected = path.read_bytes()
    if file_format == "po":
        data, expected = (PO_DATES.sub(b"", file) for file in (data, expected))
    assert data == expected


def test_nothing_to_export_says_so_instead_of_an_empty_file(client, programme):
    exchanger(client)

    response = client.get(
        reverse(EXPORT_URL),
        {"target": "en", "file_format": "xliff", "only_outdated": "on"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert "Content-Disposition" not in response
    assert "Nothing to export: no field matches your choice." in (
        response.content.decode()
    )


EXPORTABLE = {
    "programme": make_programme,
    "organisation": make_organisation,
    "region": make_region,
}


@pytest.mark.parametrize("model", EXPORTABLE)
def test_the_list_action_exports_the_selected_records(client, model):
    staff(client, "translator", f"view_{model}", "exchange_translations")
    chosen, other, also_chosen = (EXPORTABLE[model]() for _ in range(3))
    changelist = reverse(f"admin:programmes_{model}_changelist")

    response = client.post(
        changelist,
        {
            "action": "export_for_translation",
            "_selected_action": [chosen.pk, also_chosen.pk],
        },
    )

    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse(EXPORT_URL)}?model={model}"
        f"&records={model}.{chosen.pk}&records={model}.{also_chosen.pk}"
    )
    page = parse(client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en"))
    # Chosen by name: a translator never sees a database id.
    selected = page.findall(".//select[@name='records']//option[@selected]")
    with translation.override("en"):
        names = [str(chosen), str(also_chosen)]
    assert [option.text for option in selected] == names
    assert page.find(".//select[@name='model']/option[@selected]").get("value") == (
        model
    )
    # The page's form, sent as it stands with a language: those records only.
    exported = client.get(
        reverse(EXPORT_URL),
        {
            "target": "en",
            "file_format": "xliff",
            "model": model,
            "records": [f"{model}.{chosen.pk}", f"{model}.{also_chosen.pk}"],
        },
    )
    assert exported.status_code == 200
    exported_records = {unit.split(".")[1] for unit in units(exported.getvalue())}
    assert exported_records == {str(chosen.pk), str(also_chosen.pk)}
    assert str(other.pk) not in exported_records


def test_the_list_action_is_offered_with_the_permission_only(client):
    make_programme()
    changelist = reverse("admin:programmes_programme_changelist")
    staff(client, "editor", "view_programme")

    action = ".//select[@name='action']/option[@value='export_for_translation']"
    assert parse(client.get(changelist)).find(action) is None

    staff(client, "translator", "view_programme", "exchange_translations")
    offered = parse(client.get(changelist, HTTP_ACCEPT_LANGUAGE="fr"))
    assert offered.find(action).text == "Exporter pour traduction"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            {"records": "programme.999999"},
            "Select a valid choice. programme.999999 is not one of the available"
            " choices.",
        ),
        ({"records": "programme.3;7"}, None),
        ({"records": "<script>"}, None),
    ],
)
def test_the_export_refuses_records_it_cannot_export(client, query, message):
    exchanger(client)

    with nothing_changes():
        response = client.get(
            reverse(EXPORT_URL),
            {"target": "en", "file_format": "xliff", **query},
            HTTP_ACCEPT_LANGUAGE="en",
        )

    assert response.status_code == 200
    assert "Content-Disposition" not in response
    errors = response.context["form"].errors["records"]
    assert len(errors) == 1
    assert message is None or errors == [message]


def test_the_export_takes_records_of_one_kind_at_a_time(client):
    exchanger(client)
    programme, region = make_programme(), make_region()

    response = client.get(
        reverse(EXPORT_URL),
        {
            "target": "en",
            "file_format": "xliff",
            "records": [f"programme.{programme.pk}", f"region.{region.pk}"],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.context["form"].errors["records"] == [
        "Choose records of one kind at a time (programmes, or organisations…),"
        " or none for all."
    ]


def test_an_archived_record_is_not_offered(client):
    exchanger(client)
    archived = make_programme(status="archived")

    response = client.get(
        reverse(EXPORT_URL),
        {
            "target": "en",
            "file_format": "xliff",
            "records": f"programme.{archived.pk}",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "records" in response.context["form"].errors


def test_the_export_form_defaults_to_the_language_that_needs_work(client):
    exchanger(client)
    make_programme(summary_en="")

    page = parse(client.get(reverse(EXPORT_URL), HTTP_ACCEPT_LANGUAGE="en"))

    selected = page.find(".//select[@name='target']/option[@selected]")
    assert selected.get("value") == "en"


def test_the_record_picker_groups_records_by_kind_without_javascript(client):
    exchanger(client)
    programme, region = make_programme(), make_region()

    page = parse(client.get(reverse(EXPORT_URL), HTTP_ACCEPT_LANGUAGE="fr"))

    # The plain select's headings; static/admin-site/select-filter-groups.js
    # keeps them in the two-pane picker (tests/browser/test_translation_files.py).
    groups = {
        group.get("label"): [option.get("value") for option in group]
        for group in page.findall(".//select[@name='records']/optgroup")
    }
    assert groups["Programmes"] == [f"programme.{programme.pk}"]
    assert groups["Régions"] == [f"region.{region.pk}"]


def upload(client, data, name="translated.xlf", language="en"):
    return client.post(
        reverse(IMPORT_URL),
        {"file": SimpleUploadedFile(name, data)},
        HTTP_ACCEPT_LANGUAGE=language,
    )


def apply_token(response):
    page = parse(response)
    return page.find(".//input[@name='token']").get("value")


def test_an_upload_shows_a_preview_and_apply_saves_everything(client, programme):
    importer = exchanger(client)
    data = translate_programme(programme, summary="A reviewed summary.")

    with nothing_changes():
        preview = upload(client, data)

    assert preview.status_code == 200
    page = parse(preview)
    text = "".join(
        page.find(
            ".//table[@class='translation-files-table translation-files-changes']"
        ).itertext()
    )
    assert "Summary (English)" in text
    assert unit_id(programme, "summary") in text
    assert page.find(".//ins") is not None  # the words added, marked

    response = client.post(
        reverse(APPLY_URL), {"token": apply_token(preview)}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 302
    assert response["Location"] == reverse(IMPORT_URL)
    programme.refresh_from_db()
    assert programme.summary_en == "A reviewed summary."
    latest = programme.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == importer
    assert latest.history_change_reason == "Imported from translated.xlf"
    followed = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert (
        "Imported translated.xlf: 1 translation changed in 1 record, 0 marked as "
        "checked."
    ) in followed.content.decode()


@pytest.mark.parametrize(
    ("language", "summary"),
    [
        (
            "en",
            "Imported translated.xlf: 2 translations changed in 2 records, 1 "
            "marked as checked.",
        ),
        (
            "fr",
            "Import de translated.xlf terminé\u202f: 2 traductions modifiées dans "
            "2 enregistrements, 1 marquée comme vérifiée.",
        ),
    ],
)
def test_the_import_summary_agrees_with_each_count(
    client, programme, language, summary
):
    exchanger(client)
    other = make_programme(summary_en="Another summary.")
    programme.summary_fr = "Un résumé, virgule comprise."
    programme.save()
    data = export("en", models_=[Programme], ids=[programme.pk, other.pk])
    data = translated(
        data,
        **{
            # Confirmed unchanged after the French edit: marked as checked.
            unit_id(programme, "summary"): programme.summary_en,
            unit_id(programme, "name"): "A new name",
            unit_id(other, "name"): "Another new name",
        },
    )
    preview = upload(client, data, language=language)

    response = client.post(
        reverse(APPLY_URL),
        {"token": apply_token(preview)},
        HTTP_ACCEPT_LANGUAGE=language,
    )

    followed = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE=language)
    assert summary in html.unescape(followed.content.decode())


def test_an_upload_with_problems_lists_them_and_changes_nothing(client, programme):
    exchanger(client)
    data = translate_programme(programme, summary="x" * 401)

    with nothing_changes():
        response = upload(client, data)

    assert response.status_code == 400
    content = response.content.decode()
    assert "translated.xlf was refused: nothing was changed." in content
    assert "The translation is 401 characters long" in content
    assert 'name="token"' not in content
    parse(response)


def test_the_import_pages_speak_french(client, programme):
    exchanger(client)
    data = translate_programme(programme, summary="x" * 401)

    response = upload(client, data, language="fr")

    content = response.content.decode()
    assert "Importer des traductions" in content
    assert "translated.xlf a été refusé\u202f: rien n’a été modifié." in content
    assert "La traduction compte 401 caractères" in content


def test_the_export_page_speaks_french(client):
    exchanger(client)

    response = client.get(reverse(EXPORT_URL), HTTP_ACCEPT_LANGUAGE="fr")

    assert "Exporter des traductions" in response.content.decode()
    assert "Télécharger le fichier" in response.content.decode()


def apply_preview(client, preview, language):
    """Posts the preview's Apply button, in `language`."""
    return client.post(
        reverse(APPLY_URL),
        {"token": apply_token(preview)},
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_apply_checks_the_file_again(client, programme):
    exchanger(client)
    preview = upload(client, translate_programme(programme, summary="New."))
    programme.summary_fr = "Le français a changé depuis l’aperçu."
    programme.save()

    with nothing_changes():
        response = apply_preview(client, preview, "en")

    assert response.status_code == 400
    assert "The source text has changed since the export" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The translation on the site has changed since the preview"),
        ("fr", "La traduction sur le site a changé depuis l’aperçu"),
    ],
)
def test_apply_refuses_a_translation_edited_since_the_preview(
    client, programme, language, message
):
    exchanger(client)
    preview = upload(client, translate_programme(programme, summary="New."))
    # Someone edits the English summary in the admin before Apply.
    programme.summary_en = "Edited in the admin meanwhile."
    programme.save()

    with nothing_changes():
        response = apply_preview(client, preview, language)

    assert response.status_code == 400
    content = html.unescape(response.content.decode())
    assert f"<code>{unit_id(programme, 'summary')}</code>" in content
    assert message in content
    programme.refresh_from_db()
    assert programme.summary_en == "Edited in the admin meanwhile."


def test_apply_refuses_a_unit_the_preview_showed_unchanged_if_edited_since(
    client, programme
):
    exchanger(client)
    # The file's name is the site's: nothing to change there in the preview.
    preview = upload(client, translate_programme(programme, summary="New."))
    programme.name_en = "Renamed in the admin meanwhile"
    programme.save()

    with nothing_changes():
        response = apply_preview(client, preview, "en")

    assert response.status_code == 400
    assert f"<code>{unit_id(programme, 'name')}</code>" in response.content.decode()


@pytest.mark.parametrize(
    ("ticked", "summary"), [(False, EDITED), (True, FROM_THE_FILE)]
)
def test_the_preview_shows_each_conflict_and_apply_takes_only_the_ticked(
    client, programme, ticked, summary
):
    exchanger(client)
    preview = upload(client, edited_meanwhile(programme))

    assert preview.status_code == 200
    page = parse(preview)
    table = page.find(
        ".//table[@class='translation-files-table translation-files-conflicts']"
    )
    text = "".join(table.itertext())
    assert unit_id(programme, "summary") in text
    assert EDITED.replace(" ", "") in text.replace(" ", "")
    assert FROM_THE_FILE.replace(" ", "") in text.replace(" ", "")
    box = table.find(".//input[@type='checkbox']")
    assert (box.get("name"), box.get("value")) == (
        "take",
        unit_id(programme, "summary"),
    )
    assert box.get("checked") is None
    changes = page.find(
        ".//table[@class='translation-files-table translation-files-changes']"
    )
    assert unit_id(programme, "summary") not in "".join(changes.itertext())

    response = client.post(
        reverse(APPLY_URL),
        {"token": apply_token(preview)}
        | ({"take": unit_id(programme, "summary")} if ticked else {}),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.summary_en == summary
    assert programme.name_en == "A new name"


def test_apply_refuses_a_forged_or_used_token(client, programme):
    exchanger(client)
    preview = upload(client, translate_programme(programme, summary="New."))
    token = apply_token(preview)

    with nothing_changes():
        forged = client.post(reverse(APPLY_URL), {"token": token[:-2] + "xx"})
    assert forged.status_code == 302
    client.post(reverse(APPLY_URL), {"token": token})
    with nothing_changes():
        again = client.post(
            reverse(APPLY_URL), {"token": token}, HTTP_ACCEPT_LANGUAGE="en"
        )
    followed = client.get(again["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert "This import is no longer waiting" in followed.content.decode()


def test_another_users_token_is_refused(client, programme):
    exchanger(client)
    preview = upload(client, translate_programme(programme, summary="New."))
    token = apply_token(preview)
    exchanger(client, "someone-else")

    with nothing_changes():
        response = client.post(reverse(APPLY_URL), {"token": token})

    assert response.status_code == 302


def test_a_file_already_on_the_site_offers_nothing_to_apply(client, programme):
    exchanger(client)

    response = upload(client, export_of(programme))

    content = response.content.decode()
    assert (
        "Nothing to import: every translation in the file is already on the site."
        in content
    )
    assert 'name="token"' not in content


def test_a_file_holding_only_drafts_says_why_nothing_is_imported(client, programme):
    exchanger(client)
    data = left_for_review(
        export_of(programme),
        "xliff",
        "needs-review-translation",
        **{unit_id(programme, "summary"): "A first draft."},
    )

    with nothing_changes():
        response = upload(client, data)

    content = html.unescape(response.content.decode())
    assert DRAFT_WARNING in content
    assert "marked as needing review in the file (see the warnings)" in content
    assert 'name="token"' not in content


def test_a_file_over_the_size_limit_is_refused(client, programme, monkeypatch):
    exchanger(client)
    monkeypatch.setattr(exchange_admin, "MAX_UPLOAD_BYTES", 100)

    with nothing_changes():
        response = upload(client, good(programme))

    assert response.status_code == 200
    assert "the limit is 100\u00a0bytes" in response.content.decode()


@pytest.mark.parametrize("name", [EXPORT_URL, IMPORT_URL])
def test_staff_without_the_permission_get_403(client, name):
    staff(client, "editor", "change_programme", "review_translations")

    assert client.get(reverse(name)).status_code == 403


def test_apply_needs_the_permission_too(client):
    staff(client, "editor", "change_programme")

    assert client.post(reverse(APPLY_URL), {"token": "x"}).status_code == 403


def test_the_admin_links_to_the_translation_files(client):
    exchanger(client)

    # A translator's admin home is the dashboard; "all" shows the index.
    response = client.get(reverse("admin:index"), {"all": ""})

    assert f'href="{reverse(EXPORT_URL)}"' in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(reverse(EXPORT_URL))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_translators_and_editors_may_exchange_files(client):
    for group in (TRANSLATORS, EDITORS):
        client.force_login(staff_member(group, group.lower()))
        assert client.get(reverse(EXPORT_URL)).status_code == 200
        assert client.get(reverse(IMPORT_URL)).status_code == 200


# --- A translator's whole path --------------------------------------------------------


def test_a_translators_whole_path(client, content):
    """A French edit makes the English outdated; the dashboard shows it; an
    XLIFF export holds exactly that unit; the translated file imports; the
    English page shows the new text."""
    exchanger(client)
    programme = Programme.objects.published().order_by("pk").first()
    programme.summary_fr += " Il couvre désormais aussi les ports."
    programme.save()
    summary = unit_id(programme, "summary")

    dashboard = client.get(
        reverse("admin:translations"), {"language": "en", "status": "outdated"}
    )
    assert f"/programmes/programme/{programme.pk}/change/#id_summary_en" in (
        dashboard.content.decode()
    )

    exported = client.get(
        reverse(EXPORT_URL),
        {"target": "en", "file_format": "xliff", "only_outdated": "on"},
    ).getvalue()
    assert set(units(exported)) == {summary}

    new_summary = programme.summary_en + " It now covers seaports too."
    preview = upload(client, translated(exported, **{summary: new_summary}), "en.xlf")
    client.post(reverse(APPLY_URL), {"token": apply_token(preview)})

    programme.refresh_from_db()
    assert programme.summary_en == new_summary
    assert status_of(programme, "summary", "en") == Status.UP_TO_DATE
    with translation.override("en"):
        page = client.get(programme.get_absolute_url())
    assert "It now covers seaports too." in page.content.decode()


def test_an_imported_slug_moves_the_page_and_the_former_address_answers_301(
    client, programme, user, tmp_path
):
    former = f"/en/programmes/{programme.slug_en}/"
    assert client.get(former).status_code == 200
    path = tmp_path / "x.xlf"
    path.write_bytes(translate_programme(programme, slug="airport-controls"))

    out, _err = run_import(path, "--user=ana")

    assert out.splitlines()[-1].startswith("Imported 1 change to 1 record")
    programme.refresh_from_db()
    assert programme.slug_en == "airport-controls"
    response = client.get(former)
    assert response.status_code == 301
    assert response["Location"].endswith("/en/programmes/airport-controls/")
    assert status_of(programme, "slug", "en") == Status.UP_TO_DATE
