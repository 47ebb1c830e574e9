from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    """Django's admin on the project's own site (interpol_drugs/admin_site.py):
    a login that asks for a two-step verification code, the translators' pages."""

    default_site = "interpol_drugs.admin_site.StaffAdminSite"
