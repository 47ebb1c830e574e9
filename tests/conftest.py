import os

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings

from programmes.editing.roles import ADMINISTRATORS, EDITORS, TRANSLATORS

from .helpers import PRODUCTION_STORAGE, logged_in, staff_member


@pytest.fixture(autouse=True)
def test_storage(settings, tmp_path):
    # Manifest storage needs collectstatic; tests use plain storage and a
    # throwaway media folder.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()


@pytest.fixture(autouse=True)
def empty_page_cache(settings, tmp_path_factory):
    # Each test starts with no cached page, and a content version of its own
    # (interpol_drugs/page_cache.py): tests running at the same time elsewhere
    # do not share it.
    settings.PAGE_CACHE_VERSION_FILE = tmp_path_factory.mktemp("page-cache") / "version"
    cache.clear()


@pytest.fixture
def content(db):
    """The site's real source content, as `make run` loads it."""
    call_command("load_content", verbosity=0)


# --- Staff, as the groups of programmes/editing/roles.py make them ------------


@pytest.fixture
def editor(db):
    return staff_member(EDITORS, "editor")


@pytest.fixture
def translator(db):
    return staff_member(TRANSLATORS, "translator")


@pytest.fixture
def administrator(db):
    return staff_member(ADMINISTRATORS, "administrator")


@pytest.fixture
def editor_client(editor):
    return logged_in(editor)


@pytest.fixture
def translator_client(translator):
    return logged_in(translator)


@pytest.fixture
def administrator_client(administrator):
    return logged_in(administrator)


@pytest.fixture
def redis_url():
    """The real Redis at REDIS_URL; skipped without one, except in CI."""
    if url := os.environ.get("REDIS_URL"):
        return url
    message = "REDIS_URL is not set (.ci/run starts a throwaway Redis)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


# --- Static files as production collects them ---------------------------------


def production_storages(settings_storages):
    return {
        **settings_storages,
        "staticfiles": {"BACKEND": PRODUCTION_STORAGE},
    }


@pytest.fixture(scope="module")
def collected(tmp_path_factory, django_test_environment):
    """A STATIC_ROOT filled by collectstatic with the production storage."""
    from django.conf import settings

    root = tmp_path_factory.mktemp("collected-static")
    with override_settings(
        STATIC_ROOT=root, STORAGES=production_storages(settings.STORAGES)
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def production_static(settings, collected):
    settings.STATIC_ROOT = collected
    settings.STORAGES = production_storages(settings.STORAGES)
    return collected
