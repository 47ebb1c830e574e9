from functools import update_wrapper

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from accounts import views
from accounts.forms import AdminLoginForm
from accounts.throttle import refuse_if_flooding
from accounts.two_factor import must_enrol
from programmes.editing.home import editors_home
from programmes.translating import dashboard as translation_dashboard
from programmes.translating import side_by_side
from programmes.translating.exchange import admin as exchange_admin


class NulSafeAutocompleteJsonView(AutocompleteJsonView):
    """The autocomplete search with any NUL character of the term made a space.

    Every registered model's search (auth's users and groups too) is reachable
    through it, and PostgreSQL answers a NUL in a query with an error (a 500).
    """

    def process_request(self, request):
        term, *rest = super().process_request(request)
        return term.replace("\x00", " "), *rest


class StaffAdminSite(admin.AdminSite):
    """Django's admin site with two-step verification: the login asks for a
    code, staff enrol at two-factor/, and with DJANGO_ADMIN_REQUIRE_2FA=1 a
    staff member reaches nothing else until their session is verified."""

    site_header = _("INTERPOL programmes against drug trafficking")
    site_title = _("Site administration")
    index_title = _("Content of the site")
    login_form = AdminLoginForm
    login_template = "accounts/login.html"

    def get_urls(self):
        return [
            path(
                "two-factor/",
                self.admin_view(views.two_factor),
                {"admin_site": self},
                name="two_factor",
            ),
            *translation_dashboard.admin_urls(self),
            *side_by_side.admin_urls(self),
            *exchange_admin.admin_urls(self),
            *super().get_urls(),
        ]

    def login(self, request, extra_context=None):
        # Before the form: a refused attempt costs no password hash and no
        # write to django-axes' tables.
        refused = refuse_if_flooding(request)
        if refused is not None:
            return refused
        return super().login(request, extra_context)

    def index(self, request, extra_context=None):
        # The translators' home page is their dashboard; ?all shows the index.
        home = translation_dashboard.translators_home(request)
        if home:
            return redirect(home)
        # The editors' home: their drafts, schedule, recent changes, stale
        # figures and broken links, above the list of content.
        extra_context = {**editors_home(request), **(extra_context or {})}
        return super().index(request, extra_context)

    def autocomplete_view(self, request):
        return NulSafeAutocompleteJsonView.as_view(admin_site=self)(request)

    def admin_view(self, view, cacheable=False):
        def inner(request, *args, **kwargs):
            allowed = {
                reverse("admin:two_factor", current_app=self.name),
                reverse("admin:logout", current_app=self.name),
            }
            if request.path not in allowed and must_enrol(request.user):
                return redirect(reverse("admin:two_factor", current_app=self.name))
            return view(request, *args, **kwargs)

        # The parent checks the login first, then calls inner.
        return super().admin_view(update_wrapper(inner, view), cacheable)
