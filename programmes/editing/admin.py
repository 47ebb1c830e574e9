"""The editors' admin: the widgets, mixins and inlines the model admins share."""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationStackedInline, TranslationTabularInline
from modeltranslation.fields import TranslationField

from programmes.content.facts import KeyFact, Result
from programmes.content.models import (
    Participation,
    Source,
)
from programmes.languages import text_direction

from .change_form import ChangeFormInlineMixin
from .roles_admin import (
    TextOnlyUnlessPublisherInlineMixin,
)

# Editors type "www.unodc.org": assume HTTPS, as Django 6 will.
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class LanguageInputsMixin:
    """Each language's input says its language and direction: Arabic is
    typed right to left, and spell checkers pick the right dictionary."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, TranslationField) and formfield is not None:
            formfield.widget.attrs.update(
                lang=db_field.language, dir=text_direction(db_field.language)
            )
        return formfield


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


class PublicationStatusFilter(admin.ChoicesFieldListFilter):
    """ "By publication status": a programme's own "status" is its stage."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("publication status")


class NoRegionFilter(admin.RelatedFieldListFilter):
    """The regions filter, whose last choice says "no region", not a bare "-"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_value_display = _("no region")


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
    LanguageInputsMixin,
    ChangeFormInlineMixin,
    TextOnlyUnlessPublisherInlineMixin,
    IdAutocompleteMixin,
    LabelledControlsInlineMixin,
    TranslationTabularInline,
):
    model = Participation
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "role", "note", "display_order"]


class ProgrammeSourceChoiceMixin:
    """The source of a figure is one of the programme's own sources (saved
    first: a new programme's figures are added once its sources exist)."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        source = formset.form.base_fields.get("source")
        if source is not None:
            source.queryset = Source.objects.filter(programme=obj)
        return formset


class KeyFactInline(
    ProgrammeSourceChoiceMixin,
    TextOnlyUnlessPublisherInlineMixin,
    LabelledControlsInlineMixin,
    TranslationStackedInline,
):
    model = KeyFact
    extra = 0
    fields = [
        "label",
        ("measure", "kind", "status"),
        ("number", "currency"),
        ("first_year", "last_year"),
        "text",
        ("as_of", "source"),
        "display_order",
    ]


class ResultInline(
    ProgrammeSourceChoiceMixin,
    TextOnlyUnlessPublisherInlineMixin,
    LabelledControlsInlineMixin,
    TranslationStackedInline,
):
    model = Result
    extra = 0
    fields = [
        "title",
        "summary",
        ("start_date", "end_date", "date_precision"),
        "countries",
        ("source", "status"),
    ]


class SourceInline(
    LanguageInputsMixin,
    ChangeFormInlineMixin,
    TextOnlyUnlessPublisherInlineMixin,
    LabelledControlsInlineMixin,
    TranslationTabularInline,
):
    model = Source
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    extra = 0
    fields = [
        "title",
        "url",
        "address_note",
        "language",
        "checked_on",
        "display_order",
    ]
