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

from programmes.languages import (
    catalogue_languages,
    language_codes,
    required_languages,
)

from .helpers import project_copy

ROOT = Path(__file__).resolve().parent.parent


def catalogue_path(root, code):
    return root / "locale" / code / "LC_MESSAGES" / "django.po"


CATALOGUE = catalogue_path(ROOT, "fr")


@pytest.mark.parametrize("code", catalogue_languages())
def test_every_configured_language_has_a_catalogue_without_fuzzy_entries(code):
    catalogue = polib.pofile(str(catalogue_path(ROOT, code)))

    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    assert not catalogue.metadata_is_fuzzy
    if code in required_languages():
        # A language added since may be translated bit by bit; its missing
        # strings show the default language's, marked with its lang.
        assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
        assert catalogue.percent_translated() == 100


def test_french_catalogue_is_compiled_and_used():
    with translation.override("fr"):
        assert (
            translation.gettext("Skip to main content") == "Aller au contenu principal"
        )
        assert translation.gettext("Page not found") == "Page introuvable"


def require_xgettext():
    """Skip without GNU gettext, but fail in CI (CI set): there it must run."""
    if shutil.which("xgettext") is None:
        message = "GNU gettext is not installed: apt-get install gettext"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (CI never skips the catalogue check)")
        pytest.skip(message)


def test_without_gettext_the_catalogue_check_is_skipped(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.delenv("CI", raising=False)

    with pytest.raises(pytest.skip.Exception, match="apt-get install gettext"):
        require_xgettext()


def test_in_ci_a_missing_gettext_fails_the_run(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", "true")

    with pytest.raises(pytest.fail.Exception, match="CI never skips"):
        require_xgettext()


def test_every_catalogue_has_every_string_of_the_code(tmp_path):
    """Fails when a string was added to the code without `make messages`.

    makemessages runs on a copy of the project, so the catalogue in the
    working tree is never touched.
    """
    require_xgettext()
    copy = project_copy(tmp_path)
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SECRET_KEY": "catalogue-test",
        "DJANGO_DATA_DIR": str(tmp_path / "var"),
        "DJANGO_LANGUAGES": ",".join(language_codes()),
    }
    for code in catalogue_languages():
        catalogue_path(copy, code).unlink()
    subprocess.run(
        [sys.executable, "manage.py", "update_catalogues"],
        cwd=copy,
        env=environment,
        check=True,
        capture_output=True,
    )

    def entries(path):
        return {(e.msgctxt, e.msgid) for e in polib.pofile(str(path)) if not e.obsolete}

    for code in catalogue_languages():
        fresh = entries(catalogue_path(copy, code))
        assert fresh - entries(catalogue_path(ROOT, code)) == set(), (
            f"run `make messages`, translate the new strings ({code})"
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
