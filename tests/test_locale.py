import gettext
import os
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"


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
    """Fails when a string was added to the code without `make messages`.

    makemessages runs on a copy of the project, so the catalogue in the
    working tree is never touched.
    """
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "var", "node_modules", "test-artifacts", "*.pyc", "*.mo"
        ),
    )
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SECRET_KEY": "catalogue-test",
        "DJANGO_DATA_DIR": str(tmp_path / "var"),
    }
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-location"],
        cwd=copy,
        env=environment,
        check=True,
        capture_output=True,
    )

    def entries(path):
        return {(e.msgctxt, e.msgid) for e in polib.pofile(str(path)) if not e.obsolete}

    fresh = entries(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po")
    assert fresh - entries(CATALOGUE) == set(), (
        "run `make messages`, translate the new strings"
    )


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_catalogues_compile_without_gettext(settings, tmp_path, monkeypatch):
    """`make run` needs no system package: polib compiles when msgfmt is absent."""
    messages = tmp_path / "fr" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    shutil.copy(CATALOGUE, messages / "django.po")
    settings.LOCALE_PATHS = [tmp_path]
    monkeypatch.setattr(shutil, "which", lambda name: None)
    out = StringIO()

    call_command("compile_catalogues", stdout=out)

    with open(messages / "django.mo", "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    assert catalogue.gettext("Skip to main content") == "Aller au contenu principal"
    assert "Compiled 1 catalogue(s) with polib." in out.getvalue()
