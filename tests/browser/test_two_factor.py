"""Two-step verification and lockout in a real browser, with axe on their pages."""

import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from .helpers import describe, log_in, run_axe

pytestmark = pytest.mark.django_db(transaction=True)


def current_code(device, steps_ahead=0):
    """The app's code, or the one it shows `steps_ahead` periods later: a code
    is accepted once only, and one period of clock drift is tolerated."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def test_editor_turns_on_two_step_verification_then_logs_in_with_a_code(
    site, page, staff_user, axe_source, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    user, password = staff_user
    log_in(page, site, user.username, password)

    page.locator("#user-tools").get_by_role(
        "link", name="Two-step verification"
    ).click()
    expect(page.get_by_role("img", name="QR code to scan")).to_be_visible()
    expect(page.locator(".two-factor__secret")).to_be_visible()
    results = run_axe(page, axe_source)
    assert results["violations"] == [], describe(results["violations"])

    device = TOTPDevice.objects.get(user=user)
    page.get_by_label("Verification code").fill(current_code(device))
    page.get_by_role("button", name="Turn on two-step verification").click()
    expect(page.locator(".messagelist .success")).to_contain_text(
        "Two-step verification is now on."
    )

    page.locator("#logout-form button").click()
    page.goto(site + "/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.keyboard.press("Enter")
    expect(page.locator(".errornote")).to_contain_text("Your account uses two-step")
    assert run_axe(page, axe_source)["violations"] == []

    page.fill("#id_password", password)
    page.get_by_label("Verification code").fill(current_code(device, steps_ahead=1))
    page.keyboard.press("Enter")
    expect(page.locator("#user-tools")).to_be_visible()
    # The QR code is inline SVG: the Content-Security-Policy blocked nothing.
    assert [e for e in errors if "Content Security Policy" in e] == []


def test_lockout_page_after_five_wrong_passwords_in_french(
    site, browser, staff_user, axe_source
):
    user, _password = staff_user
    page = browser.new_context(locale="fr-FR").new_page()
    page.goto(site + "/admin/login/")
    for _attempt in range(5):
        page.fill("#id_username", user.username)
        page.fill("#id_password", "wrong password")
        page.keyboard.press("Enter")

    expect(page.locator(".errornote")).to_contain_text(
        "La connexion est suspendue après 5 tentatives échouées."
    )
    results = run_axe(page, axe_source)
    assert results["violations"] == [], describe(results["violations"])
