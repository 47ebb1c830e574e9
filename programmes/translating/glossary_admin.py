"""The glossary in the admin, and the warning when a text uses the other
language's term (programmes/translating/glossary.py)."""

from django.contrib import admin, messages
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from modeltranslation.admin import TabbedTranslationAdmin

from programmes.editing.admin import LanguageInputsMixin
from programmes.editing.change_form import ChangeFormAdminMixin
from programmes.languages import language_codes, language_in_sentence

from .glossary import warnings_for
from .models import GlossaryTerm


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(
    LanguageInputsMixin, ChangeFormAdminMixin, TabbedTranslationAdmin
):
    list_display = [
        *(f"term_{code}" for code in language_codes()),
        *(f"expansion_{code}" for code in language_codes()),
    ]
    search_fields = [
        *(f"term_{code}" for code in language_codes()),
        *(f"expansion_{code}" for code in language_codes()),
    ]
    fields = ["term", "expansion"]


class GlossaryWarningsAdminMixin:
    """After a save, warn about another language's term in a text ("ONUDC" in
    English): the record is saved all the same, since a quotation may need it."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for field_name, code, found, expected in warnings_for(form.instance):
            messages.warning(
                request,
                _(
                    "%(field)s (%(language)s) uses “%(found)s”: the glossary gives"
                    " “%(expected)s” in this language."
                )
                % {
                    "field": capfirst(
                        form.instance._meta.get_field(field_name).verbose_name
                    ),
                    "language": language_in_sentence(code),
                    "found": found,
                    "expected": expected,
                },
            )
