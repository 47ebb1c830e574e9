from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .two_factor import code_already_used, confirmed_device


def code_field(**kwargs):
    return forms.CharField(
        label=_("Verification code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
        **kwargs,
    )


def normalise_code(code):
    # Authenticator apps show "123 456"; people copy it with the space.
    return "".join(code.split())


INVALID_CODE = _(
    "This code is wrong or has expired. Enter the code your authenticator app "
    "shows now; after several wrong codes, wait a moment before trying again."
)
USED_CODE = _(
    "This code has already been used, and each code is accepted once only. "
    "Wait for your authenticator app to show a new code (every 30 seconds), "
    "then enter it."
)


def refused_code(device, code):
    """The error for a code the device refused: already used, or wrong."""
    if code_already_used(device, code):
        return ValidationError(USED_CODE, code="code_used")
    return ValidationError(INVALID_CODE, code="code_invalid")


class AdminLoginForm(AdminAuthenticationForm):
    """The admin login: a code is required from staff who set up two-step
    verification, and a wrong one counts as a failed login for the lockout."""

    otp_token = code_field(
        required=False,
        help_text=_(
            "Only if you have set up two-step verification: the 6-digit code "
            "shown by your authenticator app."
        ),
    )

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "code_required": _(
            "Your account uses two-step verification: enter the code shown by "
            "your authenticator app, with your password."
        ),
        "code_invalid": INVALID_CODE,
    }

    def clean(self):
        cleaned_data = super().clean()
        if self.user_cache is not None:
            device = confirmed_device(self.user_cache)
            if device is not None:
                self.verify_code(
                    device, normalise_code(cleaned_data.get("otp_token", ""))
                )
        return cleaned_data

    def verify_code(self, device, code):
        if not code:
            raise ValidationError(
                self.error_messages["code_required"], code="code_required"
            )
        # verify_token refuses every code for a while after wrong ones.
        if not device.verify_token(code):
            user_login_failed.send(
                sender=__name__,
                credentials={"username": self.user_cache.get_username()},
                request=self.request,
            )
            raise refused_code(device, code)
        # django-otp's user_logged_in receiver marks the session as verified
        # by this device once the login view logs the user in.
        self.user_cache.otp_device = device


class VerificationCodeForm(forms.Form):
    """The first code from a new device, or a code that verifies this session."""

    code = code_field()

    def __init__(self, device, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if not self.device.verify_token(code):
            raise refused_code(self.device, code)
        return code
