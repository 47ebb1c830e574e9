import os

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections, transaction
from django.template import Template
from django.test import Client, override_settings

from programmes.editing.roles import ADMINISTRATORS, EDITORS, TRANSLATORS
from programmes.models import GlossaryTerm

from .helpers import (
    FIRST_GLOSSARY_TERMS,
    PRODUCTION_STORAGE,
    logged_in,
    staff_member,
    worker_redis_url,
)

# Template rendering as Django runs it, captured before the test environment
# instruments it (templates_render_as_in_production below).
RENDER_AS_IN_PRODUCTION = Template._render
SEND_REQUEST = Client.request

# Fixtures through which a test reaches the database.
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="Run only the tests that reach the database (CI's PostgreSQL run): "
        "one that does not cannot answer differently on another database.",
    )


def uses_the_database(item):
    return bool(
        DATABASE_FIXTURES & set(item.fixturenames)
        or item.get_closest_marker("django_db")
    )


def pytest_configure(config):
    # Parallel runs (pytest-xdist): each worker gets a Redis database of its
    # own, since emptying the cache empties a whole database. Servers and
    # processes the tests start inherit it through the environment.
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and os.environ.get("REDIS_URL"):
        from django.conf import settings

        url = worker_redis_url(os.environ["REDIS_URL"], worker)
        os.environ["REDIS_URL"] = url
        settings.CACHES["default"]["LOCATION"] = url


@pytest.fixture(scope="session", autouse=True)
def templates_render_as_in_production(django_test_environment):
    """Django's test environment instruments every template render so that the
    test client can keep a copy of each one's context (response.context): one
    per include, tag and form widget, half the time of a test that posts admin
    forms. Templates render here as in production, and response.context is the
    view's own context (TemplateResponse.context_data: every admin page and
    class-based view), which is what the tests read."""

    def request(client, **request):
        response = SEND_REQUEST(client, **request)
        if response.context is None:
            response.context = getattr(response, "context_data", None)
        return response

    Template._render = RENDER_AS_IN_PRODUCTION
    Client.request = request
    yield
    Client.request = SEND_REQUEST


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
def two_step_verification_optional(settings):
    # Production requires it of every staff member (ADMIN_REQUIRE_2FA is on
    # whenever DEBUG is off); most tests sign staff in with force_login, a
    # session that gave no code. The tests of the requirement switch it back on
    # (tests/test_accounts.py).
    settings.ADMIN_REQUIRE_2FA = False


@pytest.fixture(autouse=True)
def sign_in_counts_of_its_own(settings, tmp_path):
    # Without Redis, sign-in attempts are counted in files of the data folder
    # (accounts/throttle.py): each test gets an empty folder of its own.
    if settings.SIGN_IN_CACHE != "default":
        settings.CACHES = {
            **settings.CACHES,
            settings.SIGN_IN_CACHE: {
                **settings.CACHES[settings.SIGN_IN_CACHE],
                "LOCATION": tmp_path / "sign-in-cache",
            },
        }


@pytest.fixture(autouse=True)
def empty_page_cache(settings, tmp_path_factory):
    # Each test starts with no cached page, and a content version of its own
    # (interpol_drugs/page_cache.py): tests running at the same time elsewhere
    # do not share it.
    settings.PAGE_CACHE_VERSION_FILE = tmp_path_factory.mktemp("page-cache") / "version"
    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases, with what Django probes once per
    connection already known: SQLite's JSON support costs three statements (a
    savepoint, SELECT JSON(...), its release) the first time a connection meets
    a JSON field, which a query count must not take for the page's."""
    with django_db_blocker.unblock():
        for connection in connections.all():
            connection.features.supports_json_field  # noqa: B018 (probed, cached)


# --- The real content ---------------------------------------------------------
# Loading it takes a second or two, and some 700 tests only read it: each test
# module loads it once, in a transaction of its own that each test's
# transaction nests in (a savepoint), and that is rolled back after the module.


@pytest.fixture(scope="module")
def module_content(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_content", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def content(module_content, db):
    """The site's real source content, as `make run` loads it.

    Shared by the module's tests (each test's changes are rolled back); a
    module-scoped fixture is set up before every function-scoped one, so the
    module's transaction is always the outer one."""


@pytest.fixture
def content_committed(transactional_db):
    """The real content, committed: for tests that need other connections or
    processes to see it (backups, live servers)."""
    call_command("load_content", verbosity=0)


def pytest_collection_modifyitems(config, items):
    # In each module, the tests that read the shared content run last: the
    # content stays loaded from the first of them to the end of the module.
    modules = {}
    for item in items:
        modules.setdefault(item.module, len(modules))
        if "content" in item.fixturenames and is_transactional(item):
            raise pytest.UsageError(
                f"{item.nodeid}: a transactional test cannot share the module's "
                "content; ask for content_committed instead"
            )
    items.sort(key=lambda item: (modules[item.module], "content" in item.fixturenames))
    if config.getoption("database_tests_only"):
        deselected = [item for item in items if not uses_the_database(item)]
        if deselected:
            config.hook.pytest_deselected(items=deselected)
            items[:] = [item for item in items if uses_the_database(item)]


def is_transactional(item):
    marker = item.get_closest_marker("django_db")
    return {"transactional_db", "live_server"} & set(item.fixturenames) or (
        marker is not None and marker.kwargs.get("transaction", False)
    )


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


@pytest.fixture
def first_glossary_terms(db):
    """The terms migrations 0013-0014 write: a transactional test (browser, nginx)
    run earlier in the same worker empties every table, migrations' rows included."""
    for term_en, term_fr, expansion_en, expansion_fr in FIRST_GLOSSARY_TERMS:
        GlossaryTerm.objects.get_or_create(
            term_en=term_en,
            defaults={
                "term_fr": term_fr,
                "expansion_en": expansion_en,
                "expansion_fr": expansion_fr,
            },
        )
