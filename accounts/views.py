import logging

import django_otp
from django.contrib import admin, messages
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .forms import VerificationCodeForm
from .two_factor import (
    confirmed_device,
    device_to_enrol,
    must_enrol,
    qr_code_svg,
    readable_secret,
)

logger = logging.getLogger(__name__)


def two_factor(request, admin_site):
    """Set up two-step verification, or see it is on (an admin view)."""
    user = request.user
    device = confirmed_device(user)
    context = {
        **admin_site.each_context(request),
        "title": _("Two-step verification"),
        "required": must_enrol(user),
        "device": device,
    }
    if device is not None and user.is_verified():
        return TemplateResponse(request, "accounts/two_factor.html", context)

    # Either a new device waiting for its first code, or a confirmed one whose
    # code this session has not given yet (it began before the device existed).
    device = device or device_to_enrol(user)
    form = VerificationCodeForm(device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            logger.info("Two-step verification set up by user id %s", user.pk)
            messages.success(request, _("Two-step verification is now on."))
        django_otp.login(request, device)
        return redirect("admin:index")
    if not device.confirmed:
        context |= {"qr_code": qr_code_svg(device), "secret": readable_secret(device)}
    return TemplateResponse(
        request, "accounts/two_factor.html", context | {"form": form, "pending": device}
    )


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: tell the editor their text is still in the form.

    Django logs the reason (django.security.csrf); the page never shows it.
    """
    return render(
        request,
        "403_csrf.html",
        {**admin.site.each_context(request), "title": _("Your changes were not sent")},
        status=403,
    )
