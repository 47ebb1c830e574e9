import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from interpol_drugs import settings as site_settings

from .helpers import in_fresh_process, settings_value


def test_secret_key_is_generated_once_into_the_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    monkeypatch.setattr(site_settings, "DATA_DIR", tmp_path / "var")

    first = site_settings.load_or_create_secret_key()
    second = site_settings.load_or_create_secret_key()

    assert first == second and len(first) >= 50
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o777 == 0o600


def test_secret_key_from_the_environment_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "from-the-environment")
    monkeypatch.setattr(site_settings, "DATA_DIR", tmp_path)

    assert site_settings.load_or_create_secret_key() == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("true", True), ("0", False), ("off", False), ("", False)],
)
def test_boolean_variables(monkeypatch, value, expected):
    monkeypatch.setenv("DJANGO_DEBUG", value)

    assert site_settings.env_bool("DJANGO_DEBUG") is expected


def test_a_bad_boolean_says_what_is_expected(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "maybe")

    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG must be 1 or 0"):
        site_settings.env_bool("DJANGO_DEBUG")


@pytest.mark.parametrize(("value", "expected"), [("12", 12), ("0", 0), ("", 8)])
def test_whole_number_variables(monkeypatch, value, expected):
    monkeypatch.setenv("DJANGO_LINK_CHECKS_OVERDUE_DAYS", value)

    assert site_settings.env_int("DJANGO_LINK_CHECKS_OVERDUE_DAYS", 8) == expected


@pytest.mark.parametrize("value", ["eight", "-1", "2.5"])
def test_a_bad_whole_number_says_what_is_expected(monkeypatch, value):
    monkeypatch.setenv("DJANGO_HSTS_SECONDS", value)

    with pytest.raises(
        ImproperlyConfigured, match="DJANGO_HSTS_SECONDS must be a whole"
    ):
        site_settings.env_int("DJANGO_HSTS_SECONDS", 0)


def test_debug_is_off_unless_asked_for():
    assert settings_value("DEBUG") == "False"
    assert settings_value("DEBUG", DJANGO_DEBUG="1") == "True"


def test_production_storage_hashes_and_compresses_static_files():
    backend = settings_value("STORAGES['staticfiles']['BACKEND']")

    assert backend == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_https_turns_on_secure_cookies_and_hsts():
    assert settings_value("SESSION_COOKIE_SECURE") == "False"
    assert settings_value("SESSION_COOKIE_SECURE", DJANGO_HTTPS="1") == "True"
    assert settings_value("SECURE_HSTS_SECONDS", DJANGO_HTTPS="1") == "31536000"


def test_hosts_list(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", " example.org, www.example.org ,")

    assert site_settings.env_list("DJANGO_ALLOWED_HOSTS") == [
        "example.org",
        "www.example.org",
    ]


def test_postgresql_gets_health_checks_and_a_statement_timeout():
    postgres = {"DATABASE_URL": "postgres://site:secret@db.example.org:5432/site"}
    database = "DATABASES['default']"

    health_checks = settings_value(f"{database}['CONN_HEALTH_CHECKS']", **postgres)
    options = settings_value(f"{database}['OPTIONS']['options']", **postgres)
    shorter = settings_value(
        f"{database}['OPTIONS']['options']",
        DJANGO_DB_STATEMENT_TIMEOUT_MS="5000",
        **postgres,
    )

    assert health_checks == "True"
    assert options == "-c statement_timeout=30000"
    assert shorter == "-c statement_timeout=5000"


def test_sqlite_gets_no_postgresql_options():
    database = settings_value("DATABASES['default']")

    assert "django.db.backends.sqlite3" in database
    assert "statement_timeout" not in database


@pytest.mark.django_db
def test_postgresql_cancels_a_statement_that_runs_too_long():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (make test-postgres)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == ("30s",)


SQLITE_CONNECTION = """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    journal_mode = cursor.fetchone()[0]
    cursor.execute("PRAGMA busy_timeout")
    busy_timeout = cursor.fetchone()[0]
print(json.dumps([journal_mode, busy_timeout, connection.transaction_mode]))
"""


def test_sqlite_readers_never_wait_for_a_writer(tmp_path):
    # Write-ahead log: django-axes' writes on each sign-in attempt never block
    # a page; a writer waits for another instead of failing at once.
    journal_mode, busy_timeout, transaction_mode = in_fresh_process(
        SQLITE_CONNECTION, tmp_path
    )

    assert journal_mode == "wal"
    assert busy_timeout == 20_000  # milliseconds
    assert transaction_mode == "IMMEDIATE"


def test_the_sqlite_options_are_for_sqlite_only():
    options = settings_value(
        'DATABASES["default"]["OPTIONS"]',
        DATABASE_URL="postgres://user@127.0.0.1:5432/site",
    )

    assert "PRAGMA" not in options and "transaction_mode" not in options
