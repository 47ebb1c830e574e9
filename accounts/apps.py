import axes.apps
import django_otp.plugins.otp_totp.apps as otp_totp
from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    # The one Django picks for "accounts": this module holds three configs.
    default = True
    name = "accounts"
    verbose_name = _("Staff accounts")

    def ready(self):
        from .checks import two_step_verification_required

        checks.register(
            two_step_verification_required, checks.Tags.security, deploy=True
        )


# The staff-account apps of other projects, named in the admin's language:
# Django shows their bare labels ("AXES", "OTP_TOTP") otherwise.
class SignInLockoutsConfig(axes.apps.AppConfig):
    default = False
    verbose_name = _("Sign-in attempts and lockouts")


class AuthenticatorDevicesConfig(otp_totp.DefaultConfig):
    default = False
    verbose_name = _("Two-step verification devices")
