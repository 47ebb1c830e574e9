from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Staff accounts")


class StaffAdminConfig(admin_apps.AdminConfig):
    """The admin, with a login that asks for a two-step verification code."""

    default = False  # named in INSTALLED_APPS instead of django.contrib.admin
    default_site = "accounts.admin_site.StaffAdminSite"
