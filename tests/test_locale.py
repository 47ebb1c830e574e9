import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.utils import translation

CATALOGUE = (
    Path(__file__).resolve().parent.parent
    / "locale"
    / "fr"
    / "LC_MESSAGES"
    / "django.po"
)


def test_french_catalogue_is_complete():
    catalogue = polib.pofile(str(CATALOGUE))

    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    assert not catalogue.metadata_is_fuzzy
    assert catalogue.percent_translated() == 100


def test_french_catalogue_is_compiled_and_used():
    with translation.override("fr"):
        assert (
            translation.gettext("Skip to main content") == "Aller au contenu principal"
        )
        assert translation.gettext("Page not found") == "Page introuvable"


@pytest.mark.skipif(
    shutil.which("xgettext") is None,
    reason="GNU gettext is not installed: apt-get install gettext",
)
def test_french_catalogue_has_every_string_of_the_code(tmp_path):
    """Fails when a string was added to the code without `make messages`."""
    saved = tmp_path / "django.po"
    shutil.copy(CATALOGUE, saved)
    try:
        call_command(
            "makemessages",
            locale=["fr"],
            no_location=True,
            ignore_patterns=[".venv", "var", "node_modules"],
            verbosity=0,
        )
        current = {
            (e.msgctxt, e.msgid) for e in polib.pofile(str(CATALOGUE)) if not e.obsolete
        }
    finally:
        shutil.copy(saved, CATALOGUE)
    committed = {
        (e.msgctxt, e.msgid) for e in polib.pofile(str(saved)) if not e.obsolete
    }

    assert current - committed == set(), (
        "run `make messages` and translate the new strings"
    )


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
