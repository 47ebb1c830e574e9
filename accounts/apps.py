from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Staff accounts")

    def ready(self):
        from .checks import two_step_verification_required

        checks.register(
            two_step_verification_required, checks.Tags.security, deploy=True
        )
