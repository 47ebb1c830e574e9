"""French typography: narrow no-break spaces inside guillemets and before
; : ! ?, typographic apostrophes; on save and by migration 0020, never in the
content file (programmes/content/text.py)."""

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from translate.storage import po

from programmes.content.text import french_typography, typeset
from programmes.models import GlossaryTerm, Programme, TranslationState
from programmes.translating import glossary
from programmes.translating.exchange.checks import check_file
from programmes.translating.exchange.writing import export_translations

from .factories import make_programme
from .helpers import text_of

pytestmark = pytest.mark.django_db

N = "\u202f"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("la page « Projets »", f"la page «{N}Projets{N}»"),
        ("la page «Projets»", f"la page «{N}Projets{N}»"),
        ("d'INTERPOL", "d’INTERPOL"),
        ("Note : voir ; fin ! Vrai ?", f"Note{N}: voir{N}; fin{N}! Vrai{N}?"),
        ("Attention!", f"Attention{N}!"),
        ("Note: x", f"Note{N}: x"),
        # Left alone: times, ratios, addresses, markup and entities.
        ("à 10:30, 1:2", "à 10:30, 1:2"),
        (
            "voir https://example.org/a?b=1 : ici",
            f"voir https://example.org/a?b=1{N}: ici",
        ),
        (
            "<a href='https://x.org/?q=1'>l'ONUDC</a> &amp; x",
            "<a href='https://x.org/?q=1'>l’ONUDC</a> &amp; x",
        ),
    ],
)
def test_french_typography(before, after):
    assert french_typography(before) == after
    assert french_typography(after) == after  # nothing changes twice


def test_only_french_has_these_rules():
    assert typeset("Note: it's", "en") == "Note: it's"
    assert typeset("Note: c'est", "fr") == f"Note{N}: c’est"


def test_saving_typesets_french_text_and_no_other_language(db):
    programme = make_programme(
        summary_fr="Le projet « X » : l'essor !",
        summary_en="Project 'X': growth!",
        website_fr="https://example.org/a?b=c:d",
    )
    programme.refresh_from_db()
    assert programme.summary_fr == f"Le projet «{N}X{N}»{N}: l’essor{N}!"
    assert programme.summary_en == "Project 'X': growth!"
    assert programme.website_fr == "https://example.org/a?b=c:d"
    history = programme.history.count()
    programme.save()
    assert programme.history.count() == history + 1
    assert programme.history.first().summary_fr == programme.summary_fr


def test_the_site_shows_french_typography(client, content):
    # (That the seed's words stay verbatim is test_house_style's to check.)
    # The raw page: text_of() would turn the narrow spaces into spaces.
    page = client.get("/fr/programmes/aircop/").content.decode()
    assert f"programme «{N}Route de la cocaïne{N}»" in page
    # django-countries' French name, with the typographic apostrophe.
    assert "Côte d’Ivoire" in text_of(client.get("/fr/pays/"))


def run_migration(key=("programmes", "0020_french_typography")):
    loader = MigrationLoader(connection)
    apps_then = loader.project_state(key).apps
    loader.get_migration(*key).operations[0].code(apps_then, None)


def test_the_migration_typesets_old_rows_history_and_translation_states(db):
    programme = make_programme(summary_fr="Un résumé.", summary_en="A summary.")
    rows = Programme.objects.filter(pk=programme.pk)
    rows.update(summary_fr="Le « projet » d'INTERPOL", name_en="It's: a name")
    programme.history.update(summary_fr="Le « projet » d'INTERPOL")
    states = TranslationState.objects.filter(object_id=programme.pk)
    states.filter(field="summary", language="en").update(
        source_texts={"fr": "Le « projet » d'INTERPOL"}
    )
    last_changed = rows.get().updated_at
    revisions = programme.history.count()

    run_migration()

    typeset_text = f"Le «{N}projet{N}» d’INTERPOL"
    assert rows.get().summary_fr == typeset_text
    assert rows.get().name_en == "It's: a name"
    assert {r.summary_fr for r in programme.history.all()} == {typeset_text}
    assert states.get(field="summary", language="en").source_texts == {
        "fr": typeset_text
    }
    assert programme.history.count() == revisions
    assert rows.get().updated_at == last_changed


# --- The glossary and the translators' files -------------------------------------


def test_glossary_terms_are_typeset_on_save_and_found_in_french_text(db):
    term = GlossaryTerm.objects.create(
        term_en="Cocaine Route Programme",
        term_fr="Programme « Route de la cocaïne »",
        expansion_fr="l'itinéraire : la route",
        expansion_en="It's: English",
    )
    term.refresh_from_db()
    assert term.term_fr == f"Programme «{N}Route de la cocaïne{N}»"
    assert term.expansion_fr == f"l’itinéraire{N}: la route"
    assert term.expansion_en == "It's: English"
    # French content has narrow no-break spaces (typeset on save): the term is
    # found in it, in notes for translators and warnings alike.
    programme = make_programme(summary_fr="Voir le Programme « Route de la cocaïne ».")
    assert term in glossary.found_terms(programme.summary_fr, "fr")


def test_the_migration_typesets_the_stored_glossary(db):
    term = GlossaryTerm.objects.create(term_en="Cocaine Route Programme", term_fr="x")
    # As migration 0013 wrote it: no-break spaces (U+00A0) inside « ».
    GlossaryTerm.objects.filter(pk=term.pk).update(
        term_fr="Programme «\u00a0Route de la cocaïne\u00a0»", expansion_fr="l'ONUDC"
    )

    run_migration(("programmes", "0029_glossary_typography"))

    term.refresh_from_db()
    assert term.term_fr == f"Programme «{N}Route de la cocaïne{N}»"
    assert term.expansion_fr == "l’ONUDC"


def french_file(programme, **targets):
    """An export towards French of `programme`, with `targets` by field, done."""
    data = export_translations("fr", "po", models_=[Programme], ids=[programme.pk]).data
    store = po.pofile.parsestring(data)
    for unit in store.units:
        field = unit.getcontext().rsplit(".", 1)[-1]
        if not unit.isheader() and field in targets:
            unit.target = targets[field]
            unit.markfuzzy(False)
    return bytes(store)


def test_imported_french_is_typeset_before_it_is_compared(db):
    programme = make_programme(
        summary_en="A summary: short.",
        summary_fr="Un résumé : court.",
        facts_note_en="It's a note.",
        facts_note_fr="Une note.",
    )
    assert programme.summary_fr == f"Un résumé{N}: court."
    # A translator's tool writes ordinary spaces and straight apostrophes.
    report = check_file(
        french_file(
            programme,
            summary="Un résumé : court.",
            facts_note="L'autre note : « la note ».",
        ),
        "fr.po",
    )
    assert not report.errors
    # The summary differs only by its typography: no change to apply.
    assert [change.field for change in report.changes] == ["facts_note"]
    assert report.changes[0].new == f"L’autre note{N}: «{N}la note{N}»."
