"""Staff accounts: lockout, two-step verification, passwords, sessions, CSRF page."""

import logging
import uuid
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.cache import caches
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import throttle
from accounts.lockout import client_ip
from programmes.editing.roles import EDITORS

from .helpers import in_fresh_process, settings_value, staff_member

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def no_code_throttling(settings):
    # django-otp refuses every code for a few seconds after a wrong one; the
    # tests that need that delay switch it back on.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.fixture
def staff(db):
    return staff_member(EDITORS, "editor", PASSWORD)


def add_device(user, confirmed=True):
    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=confirmed)


def current_code(device):
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device):
    return f"{(int(current_code(device)) + 500_000) % 1_000_000:06d}"


def log_in(client, username="editor", password=PASSWORD, code="", language="en"):
    return client.post(
        reverse("admin:login"),
        {
            "username": username,
            "password": password,
            "otp_token": code,
            "next": reverse("admin:index"),  # as the form sends it
        },
        headers={"accept-language": language},
    )


# Settings ------------------------------------------------------------------


def test_lockout_sessions_and_passwords_are_configured(settings):
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_RESET_ON_SUCCESS is True
    assert settings.SESSION_COOKIE_AGE == 36000
    assert settings.ADMIN_LOGIN_ATTEMPTS_PER_MINUTE == 10
    validators = {
        v["NAME"].rsplit(".", 1)[1]: v for v in settings.AUTH_PASSWORD_VALIDATORS
    }
    assert validators["MinimumLengthValidator"]["OPTIONS"]["min_length"] == 12
    assert {"CommonPasswordValidator", "NumericPasswordValidator"} <= set(validators)


def test_two_step_verification_is_required_whenever_debug_is_off():
    assert settings_value("ADMIN_REQUIRE_2FA") == "True"  # DJANGO_DEBUG unset: off
    assert settings_value("ADMIN_REQUIRE_2FA", DJANGO_DEBUG="0") == "True"
    assert settings_value("ADMIN_REQUIRE_2FA", DJANGO_DEBUG="1") == "False"
    assert settings_value("ADMIN_REQUIRE_2FA", DJANGO_ADMIN_REQUIRE_2FA="0") == "False"
    both = {"DJANGO_DEBUG": "1", "DJANGO_ADMIN_REQUIRE_2FA": "1"}
    assert settings_value("ADMIN_REQUIRE_2FA", **both) == "True"


def refused_page(response, retry_after, language, messages):
    """The text of a 429 sign-in page, checked: its wait, language and words."""
    assert response.status_code == 429
    assert response["Retry-After"] == retry_after
    page = response.content.decode()
    assert f'<html lang="{language}"' in page
    for message in messages:
        assert message in page
    return page


# Login with and without a code ----------------------------------------------


def test_staff_without_device_logs_in_with_password_alone(client, staff):
    response = log_in(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_login_form_offers_the_code_field(client):
    page = client.get(reverse("admin:login"), headers={"accept-language": "fr"})

    assert 'name="otp_token"' in page.content.decode()
    assert 'autocomplete="one-time-code"' in page.content.decode()
    assert "Code de vérification" in page.content.decode()


def test_staff_with_a_device_logs_in_with_a_valid_code(client, staff):
    device = add_device(staff)

    response = log_in(client, code=current_code(device))

    assert response.status_code == 302
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Your account uses two-step verification"),
        ("fr", "Votre compte utilise la validation en deux étapes"),
    ],
)
def test_a_missing_code_is_asked_for(client, staff, language, message):
    add_device(staff)

    response = log_in(client, language=language)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "This code is wrong or has expired."),
        ("fr", "Ce code est faux ou a expiré."),
    ],
)
def test_a_wrong_code_is_refused_and_counts_as_a_failed_login(
    client, staff, language, message
):
    device = add_device(staff)

    response = log_in(client, code=wrong_code(device), language=language)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username="editor").failures_since_start == 1


def test_a_wrong_password_with_a_valid_code_is_refused(client, staff):
    device = add_device(staff)

    response = log_in(client, password="not-the-password", code=current_code(device))

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_codes_are_throttled_after_a_wrong_one(client, staff, settings):
    # Throttled for an hour after a failure: however slow this machine, the
    # right code comes within the delay (1 s was outrun under load).
    settings.OTP_TOTP_THROTTLE_FACTOR = 3600
    device = add_device(staff)
    log_in(client, code=wrong_code(device))

    response = log_in(client, code=current_code(device))

    assert "_auth_user_id" not in client.session
    assert "This code is wrong or has expired." in response.content.decode()


def test_an_unconfirmed_device_is_not_asked_for(client, staff):
    add_device(staff, confirmed=False)

    assert log_in(client).status_code == 302


# Enrolment -----------------------------------------------------------------


def test_enrolment_page_is_linked_from_the_admin(client, staff):
    client.force_login(staff)

    page = client.get(reverse("admin:index")).content.decode()

    assert f'href="{reverse("admin:two_factor")}"' in page


def test_enrolment_page_needs_a_staff_login(client):
    response = client.get(reverse("admin:two_factor"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    ("language", "heading", "button"),
    [
        ("en", "Two-step verification", "Turn on two-step verification"),
        ("fr", "Validation en deux étapes", "Activer la validation en deux étapes"),
    ],
)
def test_enrolment_page_shows_a_qr_code_and_the_key(
    client, staff, language, heading, button
):
    client.force_login(staff)

    response = client.get(
        reverse("admin:two_factor"), headers={"accept-language": language}
    )

    page = response.content.decode()
    device = TOTPDevice.objects.get(user=staff)
    assert not device.confirmed
    assert f"<h1>{heading}</h1>" in page
    assert button in page
    # Inline SVG: nothing the Content-Security-Policy must allow.
    assert '<div class="two-factor__qr-code" role="img" aria-label=' in page
    qr_code = page.split('class="two-factor__qr-code"')[1].split("</div>")[0]
    assert "<svg " in qr_code and "<path " in qr_code
    assert "data:" not in page
    secret = page.split('<code class="two-factor__secret">')[1].split("</code>")[0]
    assert len(secret.replace(" ", "")) == 32
    assert secret.replace(" ", "") in device.config_url
    assert "issuer=INTERPOL%20drug%20programmes" in device.config_url
    assert response["Cache-Control"].startswith("max-age=0")  # never cached


def test_reloading_the_enrolment_page_keeps_the_same_secret(client, staff):
    client.force_login(staff)
    client.get(reverse("admin:two_factor"))
    client.get(reverse("admin:two_factor"))

    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_a_first_valid_code_confirms_the_device_and_verifies_the_session(client, staff):
    client.force_login(staff)
    client.get(reverse("admin:two_factor"))
    device = TOTPDevice.objects.get(user=staff)

    response = client.post(reverse("admin:two_factor"), {"code": current_code(device)})

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    page = client.get(
        reverse("admin:two_factor"), headers={"accept-language": "en"}
    ).content.decode()
    assert "Two-step verification is on for your account" in page
    assert "two-factor__qr-code" not in page  # the secret is never shown again
    assert "two-factor__secret" not in page


def test_a_wrong_first_code_leaves_the_device_unconfirmed(client, staff):
    client.force_login(staff)
    client.get(reverse("admin:two_factor"))
    device = TOTPDevice.objects.get(user=staff)

    response = client.post(
        reverse("admin:two_factor"),
        {"code": wrong_code(device)},
        headers={"accept-language": "fr"},
    )

    assert response.status_code == 200
    assert "Ce code est faux ou a expiré." in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_after_enrolment_the_login_asks_for_the_code(client, staff):
    client.force_login(staff)
    client.get(reverse("admin:two_factor"))
    device = TOTPDevice.objects.get(user=staff)
    client.post(reverse("admin:two_factor"), {"code": current_code(device)})
    client.logout()

    assert log_in(client).status_code == 200  # no code: refused
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "This code has already been used, and each code is accepted once"),
        ("fr", "Ce code a déjà servi, et chaque code n’est accepté qu’une fois."),
    ],
)
def test_signing_in_with_the_code_just_used_to_enrol_says_it_was_used(
    client, staff, language, message
):
    client.force_login(staff)
    client.get(reverse("admin:two_factor"))
    device = TOTPDevice.objects.get(user=staff)
    code = current_code(device)
    client.post(reverse("admin:two_factor"), {"code": code})
    client.logout()

    response = log_in(client, code=code, language=language)

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "wrong or has expired" not in page and "faux ou a expiré" not in page
    assert "_auth_user_id" not in client.session


def test_a_code_used_to_sign_in_is_said_used_on_the_verification_page(client, staff):
    device = add_device(staff)
    code = current_code(device)
    log_in(client, code=code)
    other = Client()
    other.force_login(staff)  # a session that never gave a code

    response = other.post(
        reverse("admin:two_factor"), {"code": code}, headers={"accept-language": "en"}
    )

    assert "This code has already been used" in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in other.session


def test_a_code_never_accepted_is_still_wrong_not_used(client, staff):
    device = add_device(staff)
    log_in(client, code=current_code(device))
    client.logout()

    page = log_in(client, code=wrong_code(device)).content.decode()

    assert "This code is wrong or has expired." in page
    assert "already been used" not in page


# Mandatory two-step verification --------------------------------------------


@pytest.fixture
def required(settings):
    settings.ADMIN_REQUIRE_2FA = True


@pytest.mark.parametrize(
    "name",
    ["admin:index", "admin:programmes_programme_changelist", "admin:password_change"],
)
def test_mandatory_mode_sends_staff_without_a_device_to_enrolment(
    client, staff, required, name
):
    client.force_login(staff)

    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:two_factor")


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Two-step verification is required to use the administration."),
        ("fr", "La validation en deux étapes est obligatoire pour utiliser"),
    ],
)
def test_mandatory_mode_explains_why_on_the_enrolment_page(
    client, staff, required, language, message
):
    client.force_login(staff)

    response = client.get(
        reverse("admin:two_factor"), headers={"accept-language": language}
    )

    assert response.status_code == 200
    assert message in response.content.decode()


def test_mandatory_mode_after_a_password_login_then_enrolment(client, staff, required):
    assert log_in(client).status_code == 302  # the password is accepted...
    assert client.get(reverse("admin:index"))["Location"] == reverse(
        "admin:two_factor"
    )  # ...but nothing else until enrolled
    client.get(reverse("admin:two_factor"))
    device = TOTPDevice.objects.get(user=staff)
    client.post(reverse("admin:two_factor"), {"code": current_code(device)})

    assert client.get(reverse("admin:index")).status_code == 200


def test_a_new_superuser_enrols_on_first_sign_in(client, required):
    User.objects.create_superuser("chief", "chief@example.org", PASSWORD)

    response = log_in(client, username="chief")
    page = client.get(
        response["Location"], follow=True, headers={"accept-language": "en"}
    )

    assert page.redirect_chain == [(reverse("admin:two_factor"), 302)]
    assert "Two-step verification is required" in page.content.decode()
    assert "two-factor__qr-code" in page.content.decode()


def test_mandatory_mode_lets_staff_log_out(client, staff, required):
    client.force_login(staff)

    response = client.post(reverse("admin:logout"))

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_mandatory_mode_asks_an_unverified_session_for_a_code(client, staff, required):
    device = add_device(staff)
    client.force_login(staff)  # a session that never gave a code

    page = client.get(
        reverse("admin:two_factor"), headers={"accept-language": "en"}
    ).content.decode()
    assert "Enter the code shown by your authenticator app to confirm it is you" in page
    assert "two-factor__qr-code" not in page
    client.post(reverse("admin:two_factor"), {"code": current_code(device)})

    assert client.get(reverse("admin:index")).status_code == 200


def test_mandatory_mode_lets_in_staff_who_logged_in_with_a_code(
    client, staff, required
):
    device = add_device(staff)
    log_in(client, code=current_code(device))

    assert client.get(reverse("admin:index")).status_code == 200


def test_without_mandatory_mode_staff_without_a_device_use_the_admin(admin_client):
    assert admin_client.get(reverse("admin:index")).status_code == 200


# Lockout -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "messages"),
    [
        (
            "en",
            [
                "Sign-in is paused after 5 failed attempts.",
                "for 30 minutes",
                "Back to the sign-in page",
            ],
        ),
        (
            "fr",
            [
                "La connexion est suspendue après 5 tentatives échouées.",
                "pendant 30 minutes",
                "Retour à la page de connexion",
            ],
        ),
    ],
)
def test_five_failures_lock_the_account_name_out_for_thirty_minutes(
    client, staff, language, messages
):
    for _attempt in range(4):
        assert log_in(client, password="wrong", language=language).status_code == 200

    fifth = log_in(client, password="wrong", language=language)
    with_the_right_password = log_in(client, language=language)

    for response in (fifth, with_the_right_password):
        page = refused_page(response, "1800", language, messages)
        assert "editor" not in page
    assert "_auth_user_id" not in client.session


def test_lockout_page_is_the_same_for_an_unknown_account_name(client, staff):
    def locked_page(username):
        for _attempt in range(5):
            response = log_in(client, username=username, password="wrong")
        return response.content.decode().replace(username, "NAME")

    assert locked_page("editor") == locked_page("nobody-here")


def test_the_lock_is_per_account_name_and_address(client, staff):
    User.objects.create_user("other", password=PASSWORD, is_staff=True)
    for _attempt in range(5):
        log_in(client, password="wrong")

    assert log_in(client, username="other").status_code == 302
    elsewhere = Client(REMOTE_ADDR="192.0.2.7")
    assert log_in(elsewhere).status_code == 302


def test_the_lock_ends_after_thirty_minutes(client, staff):
    for _attempt in range(5):
        log_in(client, password="wrong")
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=31)
    )

    assert log_in(client).status_code == 302


def test_a_successful_login_resets_the_count(client, staff):
    for _attempt in range(4):
        log_in(client, password="wrong")
    assert log_in(client).status_code == 302
    client.logout()

    for _attempt in range(4):
        assert log_in(client, password="wrong").status_code == 200
    assert log_in(client).status_code == 302


def test_five_wrong_codes_lock_out_too(client, staff):
    device = add_device(staff)
    for _attempt in range(4):
        assert log_in(client, code=wrong_code(device)).status_code == 200

    assert log_in(client, code=wrong_code(device)).status_code == 429
    assert log_in(client, code=current_code(device)).status_code == 429


def test_failed_logins_are_logged_without_the_account_name_or_password(
    client, staff, caplog
):
    with caplog.at_level(logging.INFO):
        log_in(client, password="secret-guess-1")

    failures = [r for r in caplog.records if r.name.startswith("axes")]
    assert any(r.levelno == logging.WARNING for r in failures)
    # The records reach the root logger, whose handler formats them (JSON in
    # production): the site's logging configuration, not axes' own.
    assert all(logging.getLogger(r.name).propagate for r in failures)
    text = "\n".join(r.getMessage() for r in failures)
    assert "login failure" in text
    assert "editor" not in text and "secret-guess-1" not in text


def test_the_client_address_behind_the_https_proxy(settings):
    factory = RequestFactory()
    request = factory.get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    settings.SECURE_PROXY_SSL_HEADER = None
    assert client_ip(request) == "10.0.0.1"

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client_ip(request) == "203.0.113.9"  # added by our proxy
    forged = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="x; drop")
    assert client_ip(forged) == "10.0.0.1"


# Sign-in attempts per address -------------------------------------------------


@pytest.fixture
def three_a_minute(settings, monkeypatch):
    settings.ADMIN_LOGIN_ATTEMPTS_PER_MINUTE = 3
    # The start of a minute: a slow test never sees the count start again.
    monkeypatch.setattr(throttle, "clock", lambda: 600.0)


def new_name():
    # A flood uses ever-new account names: django-axes' lock never trips.
    return f"nobody-{uuid.uuid4().hex[:8]}"


@pytest.mark.parametrize(
    ("language", "messages"),
    [
        ("en", ["Too many sign-in attempts from your connection.", "then try again"]),
        (
            "fr",
            ["Trop de tentatives de connexion depuis votre adresse réseau.", "puis"],
        ),
    ],
)
def test_sign_in_attempts_are_limited_per_address(three_a_minute, language, messages):
    flooder = Client(REMOTE_ADDR="192.0.2.1")
    for _attempt in range(3):
        assert log_in(flooder, username=new_name()).status_code == 200

    refused = log_in(flooder, username=new_name(), language=language)

    refused_page(refused, "61", language, messages)
    # Refused before the form: no password checked, nothing written by axes.
    assert AccessAttempt.objects.count() == 3
    # The sign-in page itself still opens; other addresses are not limited.
    assert flooder.get(reverse("admin:login")).status_code == 200
    assert (
        log_in(Client(REMOTE_ADDR="192.0.2.2"), username=new_name()).status_code == 200
    )


def test_the_right_password_is_refused_too_past_the_limit(staff, three_a_minute):
    client = Client(REMOTE_ADDR="192.0.2.1")
    for _attempt in range(3):
        log_in(client, username=new_name())

    assert log_in(client).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_count_lives_in_the_shared_cache(three_a_minute, settings):
    # Another worker (or server) counted three attempts from this address.
    for _attempt in range(3):
        throttle.count_attempt("192.0.2.1")

    assert (
        log_in(Client(REMOTE_ADDR="192.0.2.1"), username=new_name()).status_code == 429
    )
    caches[settings.SIGN_IN_CACHE].clear()
    assert (
        log_in(Client(REMOTE_ADDR="192.0.2.1"), username=new_name()).status_code == 200
    )


COUNT_ATTEMPT = """
from accounts.throttle import count_attempt
print(json.dumps(count_attempt("192.0.2.1", now=600.0)))
"""


def test_without_redis_the_workers_count_together(tmp_path):
    # Two processes, as two gunicorn workers, with the same data folder.
    in_fresh_process(COUNT_ATTEMPT, tmp_path)

    assert in_fresh_process(COUNT_ATTEMPT, tmp_path) == [2, 61]


def test_the_count_starts_again_each_minute():
    assert throttle.count_attempt("192.0.2.1", now=120.0) == (1, 61)
    assert throttle.count_attempt("192.0.2.1", now=179.5) == (2, 1)
    assert throttle.count_attempt("192.0.2.1", now=180.0) == (1, 61)


def test_behind_the_proxy_each_visitor_has_a_count_of_their_own(
    three_a_minute, settings
):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    def attempt(visitor):
        # The same REMOTE_ADDR (the proxy); the address the proxy appended.
        return Client(
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"198.51.100.1, {visitor}",
            HTTP_X_FORWARDED_PROTO="https",
        ).post(reverse("admin:login"), {"username": new_name(), "password": "x"})

    for _attempt in range(3):
        assert attempt("203.0.113.1").status_code == 200
    assert attempt("203.0.113.1").status_code == 429
    assert attempt("203.0.113.2").status_code == 200


def test_no_limit_when_set_to_zero(settings):
    settings.ADMIN_LOGIN_ATTEMPTS_PER_MINUTE = 0
    client = Client(REMOTE_ADDR="192.0.2.1")

    for _attempt in range(5):
        assert log_in(client, username=new_name()).status_code == 200


# Passwords -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Short1!", "This password is too short. It must contain at least 12"),
        ("123456789012", "This password is entirely numeric."),
        ("password1234", "This password is too common."),
        ("editor.example", "The password is too similar to the"),
    ],
)
def test_a_weak_password_is_refused_in_the_admin_password_form(
    client, staff, password, message
):
    client.force_login(staff)

    response = client.post(
        reverse("admin:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": password,
            "new_password2": password,
        },
        headers={"accept-language": "en"},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)


def test_a_weak_password_is_refused_in_french_too(client, staff):
    client.force_login(staff)

    response = client.post(
        reverse("admin:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Court1!",
            "new_password2": "Court1!",
        },
        headers={"accept-language": "fr"},
    )

    assert "Ce mot de passe est trop court." in response.content.decode()


def test_a_strong_password_is_accepted(client, staff):
    client.force_login(staff)
    new = "plum tractor violin 1987 lagoon"

    response = client.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )

    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password(new)


# Sessions ------------------------------------------------------------------


def test_a_staff_session_lasts_a_working_day(client, staff):
    response = log_in(client)

    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == 36000
    assert cookie["httponly"]
    assert client.session.get_expiry_age() == 36000


# CSRF failure page -----------------------------------------------------------


@pytest.fixture
def csrf_client(admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize(
    ("language", "messages"),
    [
        (
            "en",
            [
                "Your changes were not sent",
                "Nothing was saved",
                "Your text has not been lost: it is still in the form.",
                "Go back to the previous page with your browser’s Back button",
            ],
        ),
        (
            "fr",
            [
                "Vos modifications n’ont pas été envoyées",
                "Rien n’a été enregistré",
                "Votre texte n’est pas perdu\u202f: "
                "il est toujours dans le formulaire.",
                "Revenez à la page précédente avec le bouton Retour",
            ],
        ),
    ],
)
def test_a_form_without_its_token_is_refused_with_advice_in_the_editors_language(
    csrf_client, language, messages
):
    response = csrf_client.post(
        reverse("admin:programmes_programme_add"),
        {"name_fr": "Brouillon précieux", "name_en": "Precious draft"},
        headers={"accept-language": language},
    )

    assert response.status_code == 403
    page = response.content.decode()
    assert f'<html lang="{language}"' in page
    for message in messages:
        assert message in page
    for leak in ("Traceback", "CSRF token", "Forbidden", "csrf_failure", "DEBUG"):
        assert leak not in page


def test_the_csrf_page_shows_no_traceback_even_in_debug(csrf_client, settings):
    settings.DEBUG = True

    response = csrf_client.post(
        reverse("admin:programmes_region_add"), {}, headers={"accept-language": "en"}
    )

    assert response.status_code == 403
    assert "Traceback" not in response.content.decode()
    assert "Your changes were not sent" in response.content.decode()


def test_the_login_form_without_its_token_gets_the_same_page():
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": PASSWORD},
        headers={"accept-language": "fr"},
    )

    assert response.status_code == 403
    assert "Vos modifications n’ont pas été envoyées" in response.content.decode()


# Devices in the admin --------------------------------------------------------


def test_an_administrator_can_delete_a_device_but_not_read_its_secret(
    admin_client, staff
):
    device = add_device(staff)
    change = reverse("admin:otp_totp_totpdevice_change", args=[device.pk])

    page = admin_client.get(change).content.decode()
    assert device.key not in page
    assert "otpauth://" not in page
    response = admin_client.post(
        reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()


def test_failed_attempts_are_listed_in_the_admin(admin_client, client, staff):
    log_in(client, password="wrong")

    response = admin_client.get(reverse("admin:axes_accessattempt_changelist"))

    assert response.status_code == 200
    assert "editor" in response.content.decode()
