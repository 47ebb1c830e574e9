"""Two-step verification with an authenticator app (TOTP codes, django-otp)."""

import time
from base64 import b32encode

import qrcode
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathFillImage


def confirmed_device(user):
    """The device whose codes the user must give at login, or None."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def device_to_enrol(user):
    """The user's device waiting for its first code, created with a new secret."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=gettext("Authenticator app"), confirmed=False
        )
    return device


def code_already_used(device, code):
    """True when `code` is one the device has accepted already: a code is
    accepted once only, so the same one is refused until the app shows the
    next (after enrolling, signing in at once with the same code, say)."""
    try:
        token = int(code)
    except ValueError:
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return (
        device.last_t >= 0
        and totp.verify(token, device.tolerance)
        and totp.t() <= device.last_t
    )


def must_enrol(user):
    """True when DJANGO_ADMIN_REQUIRE_2FA keeps this staff member out until
    their session is verified by a code."""
    return (
        settings.ADMIN_REQUIRE_2FA
        and user.is_active
        and user.is_staff
        and not user.is_verified()
    )


def qr_code_svg(device):
    """The provisioning address as an inline SVG: no image request, nothing
    for the Content-Security-Policy to allow. The white background keeps it
    readable in the admin's dark theme."""
    image = qrcode.make(
        device.config_url, image_factory=SvgPathFillImage, box_size=10, border=4
    )
    return mark_safe(image.to_string(encoding="unicode"))  # generated, not user input


def readable_secret(device):
    """The secret key in groups of four, for apps that cannot scan."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
