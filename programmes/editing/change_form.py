"""The add and change forms as editors and translators meet them.

modeltranslation shows one language of a field at a time, in tabs. A message
under a hidden tab ("This field is required.") does not say which language it
means: every error of a translated field here names the field and the language,
and the form opens on the tab of the first language with an error, else on the
tab of the editor's interface language (static/admin-site/translation-tabs.js
reads `form_language`). A new record is placed last, not first.
"""

from django.db.models import Max
from django.forms.utils import ErrorList
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname

from programmes.languages import language_codes, language_in_sentence

# The step between display orders: room to slot a record in between by hand.
ORDER_STEP = 10


def translated_columns(model):
    """{"name_fr": ("name", "fr"), ...} for the model's translated fields."""
    if model not in translator.get_registered_models():
        return {}
    return {
        build_localized_fieldname(name, code): (name, code)
        for name in translator.get_options_for_model(model).get_field_names()
        for code in language_codes()
    }


def name_languages_in_errors(form):
    """Prefix each error of a translated field with its field and language.

    Run after the fields are cleaned (the form's clean()): the model's own
    checks (check_publishable) already name the language, and come later.
    """
    columns = translated_columns(form._meta.model)
    for key, errors in list(form._errors.items()):
        if key not in columns or getattr(errors, "languages_named", False):
            continue
        name, code = columns[key]
        label = capfirst(form._meta.model._meta.get_field(name).verbose_name)
        named = ErrorList(
            [
                gettext("%(field)s in %(language)s: %(message)s")
                % {
                    "field": label,
                    "language": language_in_sentence(code),
                    "message": message,
                }
                for message in errors
            ],
            renderer=form.renderer,
        )
        named.languages_named = True
        form._errors[key] = named


def languages_named_form(form_class):
    """`form_class`, its errors naming field and language."""

    class LanguagesNamedForm(form_class):
        def clean(self):
            name_languages_in_errors(self)
            return super().clean()

    LanguagesNamedForm.__name__ = form_class.__name__
    # The fields as `form_class` has them: a ModelForm subclass would build
    # them anew from the model, losing what admins set on them (aria-label).
    LanguagesNamedForm.base_fields = form_class.base_fields
    return LanguagesNamedForm


def first_language_with_errors(forms):
    """The first language (settings order) of a translated field in error."""
    in_error = set()
    for form in forms:
        columns = translated_columns(form._meta.model)
        in_error |= {columns[key][1] for key in form.errors if key in columns}
    return next((code for code in language_codes() if code in in_error), None)


class ChangeFormAdminMixin:
    """For a ModelAdmin with language tabs (and inlines)."""

    def get_form(self, request, obj=None, **kwargs):
        return languages_named_form(super().get_form(request, obj, **kwargs))

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        fields = {field.name for field in self.model._meta.fields}
        if "display_order" in fields and "display_order" not in initial:
            # Last, not first: a new programme does not jump to the top of the
            # home page.
            highest = self.model._default_manager.aggregate(
                highest=Max("display_order")
            )["highest"]
            initial["display_order"] = 0 if highest is None else highest + ORDER_STEP
        return initial

    def render_change_form(self, request, context, *args, **kwargs):
        forms = [context["adminform"].form]
        for inline in context.get("inline_admin_formsets", []):
            forms.extend(inline.formset.forms)
        context["form_language"] = first_language_with_errors(forms) or (
            get_language() if get_language() in language_codes() else None
        )
        return super().render_change_form(request, context, *args, **kwargs)


class ChangeFormInlineMixin:
    """For an inline: its rows' errors name field and language too."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = languages_named_form(formset.form)
        return formset
