"""Django's entry point for the admin: each model's admin, composed from the
editors' workflow (programmes/editing/) and the translators'
(programmes/translating/)."""

from django.contrib import admin
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from programmes.content.models import (
    HomePage,
    Organisation,
    Programme,
    Region,
)
from programmes.editing.admin import (
    URL_FIELDS_ASSUME_HTTPS,
    KeyFactInline,
    LanguageInputsMixin,
    NoRegionFilter,
    NulSafeLookupsMixin,
    ParticipationInline,
    PublicationStatusFilter,
    ResultInline,
    SourceInline,
)
from programmes.editing.change_form import ChangeFormAdminMixin
from programmes.editing.history.admin import HistoryAdminMixin
from programmes.editing.images.admin import ImageAdminMixin
from programmes.editing.publishing import EditLockForm, PublishingAdminMixin
from programmes.editing.redirects import FormerAddressesAdminMixin
from programmes.editing.rich_text_admin import RichTextAdminMixin
from programmes.editing.roles_admin import (
    TextOnlyUnlessPublisherMixin,
)
from programmes.languages import language_codes
from programmes.public import views
from programmes.translating.exchange.admin import ExportForTranslationAdminMixin
from programmes.translating.glossary_admin import GlossaryWarningsAdminMixin
from programmes.translating.status_admin import TranslationStatusMixin


class PublicPageAdmin(
    ChangeFormAdminMixin,
    HistoryAdminMixin,
    GlossaryWarningsAdminMixin,
    TextOnlyUnlessPublisherMixin,
    FormerAddressesAdminMixin,
    PublishingAdminMixin,
    NulSafeLookupsMixin,
    TranslationStatusMixin,
    ExportForTranslationAdminMixin,
    LanguageInputsMixin,
    TabbedTranslationAdmin,
):
    """The admin of a kind of public page (programmes, organisations, regions).

    Errors naming their language and new records placed last, revisions and
    restore, glossary warnings, translators' text-only forms,
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
    list_filter = [
        ("status", PublicationStatusFilter),
        "stage",
        ("beneficiary_regions", NoRegionFilter),
    ]
    search_fields = [
        "acronym",
        *(f"name_{code}" for code in language_codes()),
        *(f"summary_{code}" for code in language_codes()),
    ]
    filter_horizontal = ["beneficiary_regions"]
    inlines = [ParticipationInline, SourceInline, KeyFactInline, ResultInline]

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
                    "pictogram",
                ]
            },
        ),
        (
            _("Key facts"),
            {
                "fields": [
                    "stage",
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
            {"fields": ["status", "published_at", "display_order"]},
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
    list_filter = [("status", PublicationStatusFilter), "kind"]
    search_fields = [
        *(f"name_{code}" for code in language_codes()),
        *(f"acronym_{code}" for code in language_codes()),
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
        (_("Publication"), {"fields": ["status", "published_at"]}),
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
    list_filter = [("status", PublicationStatusFilter)]
    search_fields = [f"name_{code}" for code in language_codes()]
    fieldsets = [
        (None, {"fields": ["name", "slug", "former_addresses", "countries"]}),
        (
            _("Publication"),
            {"fields": ["status", "published_at", "display_order"]},
        ),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # The same two-pane country picker as on programmes.
        if db_field.name == "countries":
            kwargs["widget"] = FilteredSelectMultiple(db_field.verbose_name, False)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(HomePage)
class HomePageAdmin(
    ChangeFormAdminMixin,
    HistoryAdminMixin,
    GlossaryWarningsAdminMixin,
    TextOnlyUnlessPublisherMixin,
    NulSafeLookupsMixin,
    TranslationStatusMixin,
    LanguageInputsMixin,
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
