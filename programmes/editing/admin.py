from django.conf import settings
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, FilteredSelectMultiple
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from programmes.models import (
    HomePage,
    Organisation,
    Participation,
    Programme,
    Region,
    Source,
)
from programmes.public import views
from programmes.translating.exchange.admin import ExportForTranslationAdminMixin
from programmes.translating.glossary_admin import GlossaryWarningsAdminMixin
from programmes.translating.status_admin import TranslationStatusMixin

from .history.admin import HistoryAdminMixin
from .images.admin import ImageAdminMixin
from .publishing import EditLockForm, PublishingAdminMixin
from .redirects import FormerAddressesAdminMixin
from .rich_text_admin import RichTextAdminMixin
from .roles_admin import (
    TextOnlyUnlessPublisherInlineMixin,
    TextOnlyUnlessPublisherMixin,
)

admin.site.site_header = _("INTERPOL programmes against drug trafficking")
admin.site.site_title = _("Site administration")
admin.site.index_title = _("Content of the site")

# Editors type "www.unodc.org": assume HTTPS, as Django 6 will.
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class NulSafeLookupsMixin:
    """Keep NUL characters typed into list filters away from the database.

    PostgreSQL refuses text holding one with an error (a 500), where SQLite
    finds nothing. The admin's forms and its list search refuse NUL already
    (and the site's autocomplete view, interpol_drugs/admin_site.py), but a list
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
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS


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
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    # Two editors on the home page: the second save is refused.
    form = EditLockForm
    # Never deleted (has_delete_permission): nothing to recover.
    recover_deleted = False

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not HomePage.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
