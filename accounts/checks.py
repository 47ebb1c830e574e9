"""`check --deploy` warnings about staff accounts (registered in apps.py)."""

from django.conf import settings
from django.core.checks import Warning


def two_step_verification_required(app_configs, **kwargs):
    if settings.DEBUG or settings.ADMIN_REQUIRE_2FA:
        return []
    return [
        Warning(
            "Two-step verification is optional for staff "
            "(DJANGO_ADMIN_REQUIRE_2FA=0): a stolen password is enough to "
            "reach the admin.",
            hint="Unset DJANGO_ADMIN_REQUIRE_2FA, or set it to 1.",
            id="accounts.W001",
        )
    ]
