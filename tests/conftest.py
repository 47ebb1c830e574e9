import pytest
from django.core.cache import cache
from django.core.management import call_command


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
