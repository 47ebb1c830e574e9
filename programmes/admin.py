from django.conf import settings
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, FilteredSelectMultiple
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from . import views
from .admin_roles import (
    TextOnlyUnlessPublisherInlineMixin,
    TextOnlyUnlessPublisherMixin,
)
from .exchange_admin import ExportForTranslationAdminMixin
from .glossary_admin import GlossaryWarningsAdminMixin
from .history import HistoryAdminMixin
from .images import ImageAdminMixin
from .models import HomePage, Organisation, Participation, Programme, Region, Source
from .publishing import EditLockForm, PublishingAdminMixin
from .redirects import FormerAddressesAdminMixin
from .rich_text_admin import RichTextAdminMixin
from .translation_dashboard import PERMISSION as REVIEW_TRANSLATIONS
from .translation_dashboard import STATUS_SYMBOLS, language_statuses, record_work
from .translation_status import Status, states_by_key

admin.site.site_header = _("INTERPOL programmes against drug trafficking")
admin.site.site_title = _("Site administration")
admin.site.index_title = _("Content of the site")

# Editors type "www.unodc.org": assume HTTPS, as Django 6 will.
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}


STATUS_CHIP = (
    '<span class="translation-status translation-status--{}" title="{}">{} {}'
    '<span class="visually-hidden"> {}</span></span>'
)


def field_labels(obj, field_names):
    """The fields as the change form names them, in its order: "Slug, Note on
    the key facts"."""
    fields = sorted(
        (obj._meta.get_field(name) for name in field_names),
        key=lambda field: field.creation_counter,
    )
    return ", ".join(str(capfirst(field.verbose_name)) for field in fields)


class TranslationStatusMixin:
    """A list column: each language missing, outdated or up to date (the fields
    in its title); on the change form, the fields to translate
    (programmes/translation_dashboard.py)."""

    formfield_overrides = URL_FIELDS_ASSUME_HTTPS

    @admin.display(description=_("languages"))
    def translation_status(self, obj):
        states = getattr(obj, "_translation_states", None)
        if states is None:
            states = states_by_key([obj])
        return format_html_join(
            " ",
            STATUS_CHIP,
            (
                (
                    status,
                    field_labels(obj, fields) or Status(status).label,
                    code.upper(),
                    STATUS_SYMBOLS[status],
                    Status(status).label,
                )
                for code, status, fields in language_statuses(obj, states)
            ),
        )

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # The states of the whole page in one query, not one per row.
        states = states_by_key(changelist.result_list)
        for obj in changelist.result_list:
            obj._translation_states = states
        return changelist

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        if obj is not None and request.user.has_perm(REVIEW_TRANSLATIONS):
            # The stored text: a form sent back with errors holds what was typed.
            if request.method == "POST":
                obj = type(obj)._base_manager.get(pk=obj.pk)
            context["translation_work"] = record_work(obj)
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)


class NulSafeLookupsMixin:
    """Keep NUL characters typed into list filters away from the database.

    PostgreSQL refuses text holding one with an error (a 500), where SQLite
    finds nothing. The admin's forms and its list search refuse NUL already
    (and the site's autocomplete view, accounts/admin_site.py), but a list
    filter's value (?stage__exact=) reaches the query as typed.
    """

    def lookup_allowed(self, lookup, value, request):
        # Refused like any forged filter: DisallowedModelAdminLookup, a 400.
        return "\x00" not in str(value) and super().lookup_allowed(
            lookup, value, request
        )


class IdAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete select, redisplaying only values that can be ids.

    A form sent back with its errors shows the chosen object again, looked up
    by the submitted value. A forged value that is no id ("abc", or a NUL
    character) made that lookup raise, a 500 instead of the form's "Select a
    valid choice" error.
    """

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        to_field = remote.model._meta.get_field(remote.field_name)
        ids = []
        for item in value:
            try:
                to_field.to_python(item)
            except ValidationError:
                continue
            ids.append(item)
        return super().optgroups(name, ids, attr)


class IdAutocompleteMixin:
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                IdAutocompleteSelect(
                    db_field, self.admin_site, using=kwargs.get("using")
                ),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class LabelledControlsInlineMixin:
    """Tabular inlines label their controls only with column headers: name each one.

    Screen readers then announce "Role" or "Delete" for every control of a row
    (WCAG 1.3.1 and 4.1.2), without JavaScript.
    """

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        for name, field in formset.form.base_fields.items():
            field.widget.attrs.setdefault("aria-label", capfirst(field.label or name))

        class LabelledFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                if "DELETE" in form.fields:
                    form.fields["DELETE"].widget.attrs["aria-label"] = _("Delete")

        return LabelledFormSet


class ParticipationInline(
    TextOnlyUnlessPublisherInlineMixin,
    IdAutocompleteMixin,
    LabelledControlsInlineMixin,
    TranslationTabularInline,
):
    model = Participation
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "role", "note", "display_order"]


class SourceInline(
    TextOnlyUnlessPublisherInlineMixin,
    LabelledControlsInlineMixin,
    TranslationTabularInline,
):
    model = Source
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    extra = 0
    fields = ["title", "url", "language", "checked_on", "display_order"]


class PublicPageAdmin(
    HistoryAdminMixin,
    GlossaryWarningsAdminMixin,
    TextOnlyUnlessPublisherMixin,
    FormerAddressesAdminMixin,
    PublishingAdminMixin,
    NulSafeLookupsMixin,
    TranslationStatusMixin,
    ExportForTranslationAdminMixin,
    TabbedTranslationAdmin,
):
    """The admin of a kind of public page (programmes, organisations, regions).

    Revisions and restore, glossary warnings, translators' text-only forms,
    former addresses, publishing and previews (subclasses name their
    `preview_view`), translation status chips and files, language tabs.
    """

    actions = [*PublishingAdminMixin.actions, "export_for_translation"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Programme)
class ProgrammeAdmin(ImageAdminMixin, RichTextAdminMixin, PublicPageAdmin):
    preview_view = views.ProgrammeDetailView
    list_display = [
        "name",
        "acronym",
        "publication_status",
        "translation_status",
        "display_order",
    ]
    list_filter = ["status", "stage", "beneficiary_regions"]
    search_fields = [
        "acronym",
        *(f"name_{code}" for code, _name in settings.LANGUAGES),
        *(f"summary_{code}" for code, _name in settings.LANGUAGES),
    ]
    filter_horizontal = ["beneficiary_regions"]
    inlines = [ParticipationInline, SourceInline]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # The admin's two-pane filter beats a 250-line multiple select.
        if db_field.name == "beneficiary_countries":
            kwargs["widget"] = FilteredSelectMultiple(db_field.verbose_name, False)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "acronym",
                    "slug",
                    "former_addresses",
                    "summary",
                    "description",
                ]
            },
        ),
        (
            _("Key facts"),
            {
                "fields": [
                    ("start_year", "end_year"),
                    ("budget_amount", "budget_currency"),
                    "stage",
                    "stated_country_count",
                    "beneficiary_countries",
                    "facts_note",
                    "website",
                ]
            },
        ),
        (_("Beneficiary regions"), {"fields": ["beneficiary_regions"]}),
        ImageAdminMixin.image_fieldset,
        (
            _("Publication"),
            {"fields": ["status", "published_at", "preview_links", "display_order"]},
        ),
    ]


@admin.register(Organisation)
class OrganisationAdmin(ImageAdminMixin, RichTextAdminMixin, PublicPageAdmin):
    preview_view = views.OrganisationDetailView
    list_display = [
        "name",
        "acronym",
        "kind",
        "publication_status",
        "translation_status",
    ]
    list_filter = ["status", "kind"]
    search_fields = [
        *(f"name_{code}" for code, _name in settings.LANGUAGES),
        *(f"acronym_{code}" for code, _name in settings.LANGUAGES),
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "acronym",
                    "slug",
                    "former_addresses",
                    "kind",
                    "website",
                    "description",
                ]
            },
        ),
        ImageAdminMixin.image_fieldset,
        (_("Publication"), {"fields": ["status", "published_at", "preview_links"]}),
    ]


@admin.register(Region)
class RegionAdmin(PublicPageAdmin):
    preview_view = views.RegionDetailView
    list_display = [
        "name",
        "publication_status",
        "translation_status",
        "display_order",
    ]
    list_filter = ["status"]
    search_fields = [f"name_{code}" for code, _name in settings.LANGUAGES]
    fieldsets = [
        (None, {"fields": ["name", "slug", "former_addresses", "countries"]}),
        (
            _("Publication"),
            {"fields": ["status", "published_at", "preview_links", "display_order"]},
        ),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # The same two-pane country picker as on programmes.
        if db_field.name == "countries":
            kwargs["widget"] = FilteredSelectMultiple(db_field.verbose_name, False)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(HomePage)
class HomePageAdmin(
    HistoryAdminMixin,
    GlossaryWarningsAdminMixin,
    TextOnlyUnlessPublisherMixin,
    NulSafeLookupsMixin,
    TranslationStatusMixin,
    TabbedTranslationAdmin,
):
    list_display = ["title", "translation_status"]
    # Two editors on the home page: the second save is refused.
    form = EditLockForm
    # Never deleted (has_delete_permission): nothing to recover.
    recover_deleted = False

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not HomePage.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
