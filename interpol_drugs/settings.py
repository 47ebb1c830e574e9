"""Settings for interpol_drugs, driven by environment variables (see README.md)."""

import importlib.util
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
# Everything the running site writes (database, secret key, uploads, collected
# static files) lives in one git-ignored folder.
DATA_DIR = Path(os.environ.get("DJANGO_DATA_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0 (true/false), not {value!r}.")


def env_int(name, default):
    """A whole number of at least 0 (a count, seconds, days), else a clear error."""
    value = os.environ.get(name, "").strip()
    if value == "":
        return default
    if value.isdigit():
        return int(value)
    raise ImproperlyConfigured(
        f"{name} must be a whole number (0 or more), not {value!r}."
    )


def env_list(name, default=""):
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


def language_unknown(code):
    raise ImproperlyConfigured(f"DJANGO_LANGUAGES: Django knows no language {code!r}.")


def load_or_create_secret_key():
    """Use DJANGO_SECRET_KEY, or a key generated once into the data folder."""
    if key := os.environ.get("DJANGO_SECRET_KEY"):
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


# ---------------------------------------------------------------------------
# 1. Core
# ---------------------------------------------------------------------------
SECRET_KEY = load_or_create_secret_key()
DEBUG = env_bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# The public address (https://example.org) where no request gives it: the
# static export's canonical links, sitemap and feeds (manage.py export_site).
SITE_URL = os.environ.get("DJANGO_SITE_URL", "").strip()

INSTALLED_APPS = [
    # modeltranslation must come before the admin to patch its forms.
    "modeltranslation",
    # Django's admin with the login asking for a two-step verification code
    # (interpol_drugs/admin_site.py): replaces "django.contrib.admin".
    "interpol_drugs.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_countries",
    # Staff accounts: login lockout (axes), two-step verification (django-otp).
    # Their admin names come from accounts/apps.py.
    "accounts.apps.SignInLockoutsConfig",
    "django_otp",
    "accounts.apps.AuthenticatorDevicesConfig",
    # Editorial history: a revision per save, compared and restored in the admin.
    "simple_history",
    "accounts",
    "programmes",
    # Site-wide operations: backups and restore, static export, catalogues.
    "operations",
]

MIDDLEWARE = [
    # First, so that every response carries X-Request-ID and every log line
    # written while handling the request names it (interpol_drugs/middleware.py).
    "interpol_drugs.middleware.RequestIdMiddleware",
    # Turns "database unreachable" raised by any view into a 503 page.
    "interpol_drugs.middleware.DatabaseUnavailableMiddleware",
    # A page cache hit is answered here, with the headers every middleware
    # below gave the page when it was kept (interpol_drugs/page_cache.py).
    "interpol_drugs.page_cache.PageCacheFrontMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Security headers (CONTENT_SECURITY_POLICY below, interpol_drugs/headers.py)
    # come early so that every response, static files and refusals included,
    # carries them.
    "csp.middleware.CSPMiddleware",
    # Here rather than last: redirects, refusals and static files get it too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "interpol_drugs.headers.SecurityHeadersMiddleware",
    "interpol_drugs.headers.RefuseTraceMiddleware",
    # WhiteNoise: hashed static files, cached for a year (static_files.py).
    "interpol_drugs.static_files.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Judges which answers anyone may get from the cache: after the language
    # is chosen, before anything reads the session or the user (page_cache.py).
    "interpol_drugs.page_cache.PageCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: tells whether the session gave a two-step code.
    "django_otp.middleware.OTPMiddleware",
    # Records who made each revision (programmes/editing/history/).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "interpol_drugs.urls"
WSGI_APPLICATION = "interpol_drugs.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# ---------------------------------------------------------------------------
# 2. Database: SQLite in the data folder unless DATABASE_URL is set
# ---------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
# PostgreSQL cancels a statement that runs longer than this, so that one slow
# query cannot hold a worker (and its connection) for ever.
DB_STATEMENT_TIMEOUT_MS = env_int("DJANGO_DB_STATEMENT_TIMEOUT_MS", 30000)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS}"
    )
# SQLite: readers never wait for a writer (write-ahead log); a write waits up to
# this many seconds for another one instead of failing with "database is
# locked", and takes its lock when the transaction begins, so that two
# transactions never both wait to upgrade theirs (django-axes writes on every
# sign-in attempt).
DB_SQLITE_TIMEOUT_SECONDS = 20
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL",
            "transaction_mode": "IMMEDIATE",
            "timeout": DB_SQLITE_TIMEOUT_SECONDS,
        }
    )

# ---------------------------------------------------------------------------
# 3. Languages: French is the default; each is prefixed in URLs (/fr/, /en/)
# ---------------------------------------------------------------------------
# Adding a language: README.md, "Adding a language". DJANGO_LANGUAGES replaces
# the list for one run (CI runs tests with fr,en,es,ar); a language needs its
# database columns (a migration) before the site can use it.
LANGUAGE_CODE = "fr"
LANGUAGES = [
    (code, _(LANG_INFO[code]["name"]))
    for code in env_list("DJANGO_LANGUAGES", "fr,en")
    if code in LANG_INFO or language_unknown(code)
]
if not LANGUAGES or LANGUAGES[0][0] != LANGUAGE_CODE:
    raise ImproperlyConfigured(f"DJANGO_LANGUAGES must start with {LANGUAGE_CODE}.")
# Publishing needs the text in these languages; any other configured language
# is optional, its empty fields showing the default language's text, marked.
REQUIRED_LANGUAGES = env_list("DJANGO_REQUIRED_LANGUAGES", "fr,en")
if not {LANGUAGE_CODE} <= set(REQUIRED_LANGUAGES) <= {c for c, _n in LANGUAGES}:
    raise ImproperlyConfigured(
        "DJANGO_REQUIRED_LANGUAGES must hold the default language and "
        "configured languages only."
    )
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Paris"
# "en" is British English here: interpol_drugs/formats/en/ replaces Django's
# American formats (dates "7 December 2026", 24-hour times). French keeps
# Django's own, which already read "7 décembre 2026" and "1 200 000".
FORMAT_MODULE_PATH = ["interpol_drugs.formats"]
# Country names with the typographic apostrophe: django-countries' French
# names write "Côte d'Ivoire". The catalogue gives each language's name.
COUNTRIES_OVERRIDE = {
    "CI": _("Côte d’Ivoire"),
    "IO": _("British Indian Ocean Territory"),
    "SZ": _("Eswatini"),
    "US": _("United States of America"),
}

MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
# A field left empty in one language shows the other language's text; templates
# mark such text with its own lang attribute (WCAG 3.1.2).
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": tuple(code for code, _n in LANGUAGES)}
# modeltranslation's tabbed admin loads jQuery UI from a CDN by default; the
# site ships its own copy so the tabs work offline and under a strict CSP.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

# ---------------------------------------------------------------------------
# 4. Static files and uploads
# ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
# Uploads in S3-compatible object storage when DJANGO_S3_BUCKET is set, so
# that every application server sees the same files (docs/operations.md).
# Credentials come from boto3's usual places (AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY in the environment, or the machine's role), never
# from this file.
S3_BUCKET = os.environ.get("DJANGO_S3_BUCKET", "").strip()
# The application serves MEDIA_URL itself (make run has no web server in
# front); turn off when nginx or object storage serves the uploads.
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", default=not S3_BUCKET)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
if S3_BUCKET:
    if importlib.util.find_spec("storages") is None:
        raise ImproperlyConfigured(
            "DJANGO_S3_BUCKET needs django-storages: pip install '.[s3]'."
        )
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            # Another provider than AWS (MinIO, Scaleway, OVH...): its address.
            "endpoint_url": os.environ.get("DJANGO_S3_ENDPOINT_URL", "").strip()
            or None,
            "region_name": os.environ.get("DJANGO_S3_REGION", "").strip() or None,
            # A CDN or domain in front of the bucket: https://<domain>/<name>.
            "custom_domain": os.environ.get("DJANGO_S3_CUSTOM_DOMAIN", "").strip()
            or None,
            # Plain public addresses: cached pages would outlive signed ones.
            # The bucket (or the CDN) must let anyone read its objects.
            "querystring_auth": False,
            # Like FileSystemStorage: a new name rather than replacing a file.
            "file_overwrite": False,
            # Every upload and rendition has a name of its own (programmes/
            # images.py), as served locally by interpol_drugs/media.py.
            "object_parameters": {
                "CacheControl": "public, max-age=31536000, immutable"
            },
        },
    }

# ---------------------------------------------------------------------------
# 5. Security
# ---------------------------------------------------------------------------
# DJANGO_HTTPS=1 when the site is served over HTTPS behind a proxy.
HTTPS = env_bool("DJANGO_HTTPS", default=False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Only staff get cookies (public pages set none, so any cache may keep them).
# The admin never reads the CSRF cookie from JavaScript: it can be HttpOnly.
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# The longest request line (method, address with its query string, protocol)
# the servers accept, refused with 414 beyond: gunicorn's limit_request_line,
# and with its CRLF the buffer size of nginx's large_client_header_buffers
# (deploy/nginx.conf). Read here by the API's description; tests/test_nginx.py
# checks that all three agree.
REQUEST_LINE_LIMIT = 4094

# The admin's address (default "admin/"). A custom one keeps the bots that
# probe /admin/ away from the login form; robots.txt never names it.
ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin/").strip().strip("/") + "/"
if ADMIN_PATH == "/":
    raise ImproperlyConfigured("DJANGO_ADMIN_PATH must not be empty, e.g. admin/.")

# Content-Security-Policy (django-csp 4), the same for every page, the admin
# included: nothing by default, then scripts, styles and images from the site
# itself, no inline script or style anywhere. JSON-LD blocks are data, not
# scripts: script-src does not apply. Django's admin, modeltranslation's tabs
# (jQuery UI, served locally) and the admin's widgets need nothing more, but
# for connect-src: the autocomplete asks the server for its choices
# (tests/browser/test_content_security_policy.py). No fonts, frames, media or
# workers: default-src refuses them. deploy/nginx.conf repeats this policy for
# the static files it serves.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

PASSWORD_VALIDATION = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{PASSWORD_VALIDATION}.UserAttributeSimilarityValidator"},
    {
        "NAME": f"{PASSWORD_VALIDATION}.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": f"{PASSWORD_VALIDATION}.CommonPasswordValidator"},
    {"NAME": f"{PASSWORD_VALIDATION}.NumericPasswordValidator"},
]

# ---------------------------------------------------------------------------
# 6. Logging
# ---------------------------------------------------------------------------
# One line per event on standard error, each with the request's id
# (interpol_drugs/logs.py): JSON for log collectors unless DEBUG is on, where
# text is easier to read. DJANGO_LOG_FORMAT=json or text overrides the choice.
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(
        f"DJANGO_LOG_FORMAT must be json or text, not {LOG_FORMAT!r}."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "interpol_drugs.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "interpol_drugs.logs.JsonFormatter"},
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO"),
    },
    "loggers": {
        # Django's default handlers (its own console in DEBUG, mail to ADMINS)
        # would write each line twice or mail it: the root handler has them all.
        "django": {"handlers": [], "propagate": True},
    },
}

# ---------------------------------------------------------------------------
# 7. Open data (the JSON API and CSV downloads)
# ---------------------------------------------------------------------------
# The publisher has not stated the content's licence: none is assumed. Until
# these are set, the site and the API say the licence is not yet specified.
OPEN_DATA_LICENCE = {
    "name": os.environ.get("DJANGO_OPEN_DATA_LICENCE_NAME", "").strip(),
    "url": os.environ.get("DJANGO_OPEN_DATA_LICENCE_URL", "").strip(),
}

# ---------------------------------------------------------------------------
# 8. Cache: local memory unless REDIS_URL is set
# ---------------------------------------------------------------------------
if REDIS_URL := os.environ.get("REDIS_URL", "").strip():
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "interpol_drugs",
            "OPTIONS": {
                # A Redis outage makes the site slower, not broken: reads
                # miss, writes are dropped, and the error is logged.
                "IGNORE_EXCEPTIONS": True,
                # Fail fast when Redis is down rather than hold the request.
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # Django's 300 would not hold both languages' pages of a big site:
            # each worker keeps up to this many (pages weigh 10-60 KB).
            "OPTIONS": {"MAX_ENTRIES": 3000},
        }
    }
# Sign-in attempts per address (accounts/throttle.py) must be counted alike by
# every worker: in Redis when there is one, otherwise in files of the data
# folder, which one machine's workers share (local memory is each worker's own).
if REDIS_URL:
    SIGN_IN_CACHE = "default"
else:
    SIGN_IN_CACHE = "sign_in"
    CACHES[SIGN_IN_CACHE] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": DATA_DIR / "cache" / "sign-in",
    }
# The same switch for any other django-redis cache, and log what it ignored.
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# How long browsers, proxies and CDNs may keep a public page before asking
# again (then five times as long serving it stale while they ask). The
# application's own page cache is always exact (interpol_drugs/page_cache.py).
PAGE_CACHE_SECONDS = env_int("DJANGO_PAGE_CACHE_SECONDS", 60)

# ---------------------------------------------------------------------------
# Bad input (tests/test_hostile_input.py)
# ---------------------------------------------------------------------------
# Database sessions that ignore a session cookie holding anything but the
# characters Django's keys are made of: PostgreSQL refuses a NUL with an error.
SESSION_ENGINE = "interpol_drugs.sessions"

# ---------------------------------------------------------------------------
# Backups (manage.py backup_site / restore_site, operations/backups.py)
# ---------------------------------------------------------------------------
# Where backup_site writes its archives by default. Keep copies elsewhere too:
# a backup on the same disk as the site is lost with the disk.
BACKUP_DIR = Path(os.environ.get("DJANGO_BACKUP_DIR", DATA_DIR / "backups"))

# ---------------------------------------------------------------------------
# Link checks (manage.py check_links, scheduled: docs/operations.md)
# ---------------------------------------------------------------------------
# Days after which the last run of check_links counts as overdue: the editors'
# home and `check --database default` say so. A weekly run leaves a day spare.
LINK_CHECKS_OVERDUE_DAYS = env_int("DJANGO_LINK_CHECKS_OVERDUE_DAYS", 8)

# ---------------------------------------------------------------------------
# Staff accounts: login lockout, two-step verification, sessions (accounts/)
# ---------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # First: refuses every attempt while the username and address are locked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# 5 failed logins (wrong password or wrong two-step code) for one username from
# one address lock that pair for 30 minutes, without telling whether the
# account exists; a successful login starts the count again.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"
# Each failure and lockout is logged by the "axes" loggers through the root
# handler above, with the username and address masked (no personal data).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address"]
# Sign-in attempts (POSTs to the admin's login) allowed per client address and
# minute, whatever the account names: more get a 429 before any password is
# checked (accounts/throttle.py), counted in SIGN_IN_CACHE above. 0: no limit.
# nginx limits them too (deploy/nginx.conf).
ADMIN_LOGIN_ATTEMPTS_PER_MINUTE = int(
    os.environ.get("DJANGO_ADMIN_LOGIN_ATTEMPTS_PER_MINUTE", 10)
)

# Whenever DEBUG is off, a staff member whose session has not given a two-step
# code reaches only the enrolment page (admin two-factor/), where a new one
# sets up their authenticator app on first sign-in. DJANGO_ADMIN_REQUIRE_2FA=0
# opts out, which `check --deploy` warns about (accounts/checks.py).
ADMIN_REQUIRE_2FA = env_bool("DJANGO_ADMIN_REQUIRE_2FA", default=not DEBUG)
# The account's name in authenticator apps.
OTP_TOTP_ISSUER = "INTERPOL drug programmes"
# Administrators may delete a lost device, never read its secret or QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# A staff session lasts a working day from sign-in (10 hours), then asks for
# the password (and code) again. It survives closing the browser so that a
# crash or restart mid-edit does not sign the editor out.
SESSION_COOKIE_AGE = 10 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = False

# A refused form tells the editor, in their language, that their text is still
# in the form (templates/403_csrf.html).
CSRF_FAILURE_VIEW = "accounts.views.csrf_failure"
