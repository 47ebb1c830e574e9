"""Translation status in the editors' lists and forms: a chip per language."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from programmes.languages import language_codes

from .dashboard import PERMISSION as REVIEW_TRANSLATIONS
from .dashboard import STATUS_SYMBOLS, language_name, language_statuses, record_work
from .status import Status, states_by_key

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


def source_language_choices():
    return [("", _("Chosen on the first save"))] + [
        (code, language_name(code)) for code in language_codes()
    ]


class TranslationStatusMixin:
    """A list column: each language missing, outdated or up to date (the fields
    in its title); on the change form, the record's source language (first
    fieldset; read-only for translators, who publish nothing) and the fields to
    translate (programmes/translating/dashboard.py)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "source_language":
            return forms.ChoiceField(
                label=capfirst(db_field.verbose_name),
                help_text=db_field.help_text,
                choices=source_language_choices,
                required=False,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if any("source_language" in options["fields"] for _n, options in fieldsets):
            return fieldsets
        # Read-only, the language by its name ("English"), not its code.
        field = "source_language"
        if field in self.get_readonly_fields(request, obj):
            field = "source_language_name"
        (name, options), *rest = fieldsets
        first = (name, {**options, "fields": [*options["fields"], field]})
        return [first, *rest]

    def get_readonly_fields(self, request, obj=None):
        # Shown only where get_fieldsets puts it (the roles' mixins lock
        # source_language after this method has run).
        return [*super().get_readonly_fields(request, obj), "source_language_name"]

    @admin.display(description=_("source language"))
    def source_language_name(self, obj):
        if obj is None or not obj.source_language:
            return _("Chosen on the first save")
        return language_name(obj.source_language)

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
