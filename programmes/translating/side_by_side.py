"""The translation view: a record's source text beside the fields to translate.

translations/translate/<kind>/<id>/<language>/ in the admin (linked from every
row of the dashboard and of a change form's translation panel). For each
translated text field of the record: the source (read-only, with the words
changed since the last translation when it is outdated), the target field, its
length limit, the glossary terms its source uses, and a link to the next field
still missing or outdated. It works without JavaScript; a save goes through the
model's own validation and the edit lock, and "Save and next" opens the next
record with work in this language.
"""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from modeltranslation.utils import build_localized_fieldname

from programmes.editing.change_form import languages_named_form
from programmes.editing.history.diff import word_diff
from programmes.editing.publishing import EditLockForm
from programmes.languages import language_codes, language_in_sentence

from . import glossary
from .dashboard import STATUS_SYMBOLS, check_permission, language_name
from .exchange.writing import record_name
from .status import (
    TO_DO,
    TRACKED_MODELS,
    FieldStatus,
    Status,
    object_statuses,
    percent_complete,
    states_by_key,
    stored_statuses,
    translatable_objects,
)


def translate_url(obj, language):
    return reverse(
        "admin:translations_translate",
        args=[obj._meta.model_name, obj.pk, language],
    )


@dataclass
class Pair:
    """One field: its source, its target form field and what helps translate it."""

    status: FieldStatus
    bound_field: forms.BoundField
    glossary_notes: list

    @property
    def anchor(self):
        return f"field-{self.status.field}"

    @property
    def to_do(self):
        return self.status.status in TO_DO

    @property
    def status_label(self):
        return Status(self.status.status).label

    @property
    def symbol(self):
        return STATUS_SYMBOLS[self.status.status]

    @property
    def source_name(self):
        return language_name(self.status.source)

    @property
    def diff(self):
        if self.status.status != Status.OUTDATED:
            return None
        return word_diff(self.status.source_text_then, self.status.source_text)


def translation_form(model, names):
    """A form of the record's `names` fields only, under the edit lock."""
    base = EditLockForm if hasattr(model, "version") else forms.ModelForm
    fields = [*names, "edit_version"] if base is EditLockForm else names
    return languages_named_form(
        forms.modelform_factory(model, form=base, fields=fields)
    )


def next_record_url(obj, language):
    """The next record, in the dashboard's order, with work in `language`."""
    kind = TRACKED_MODELS.index(type(obj))
    later = (
        stored_statuses()
        .filter(language=language, status__in=TO_DO)
        .filter(models.Q(kind__gt=kind) | models.Q(kind=kind, object_id__gt=obj.pk))
        .values_list("kind", "object_id")
        .first()
    )
    if later is None:
        return reverse("admin:translations") + f"?language={language}"
    kind, object_id = later
    model = TRACKED_MODELS[kind]
    return reverse(
        "admin:translations_translate",
        args=[model._meta.model_name, object_id, language],
    )


def translate_view(request, admin_site, model_name, object_id, language):
    check_permission(request)
    model = {model._meta.model_name: model for model in TRACKED_MODELS}.get(model_name)
    if model is None or language not in language_codes():
        raise Http404
    if not request.user.has_perm(f"{model._meta.app_label}.change_{model_name}"):
        raise PermissionDenied
    obj = get_object_or_404(translatable_objects(model), pk=object_id)
    statuses = [
        status
        for status in object_statuses(obj, states_by_key([obj]))
        if status.language == language
        and status.source != language
        and status.source_text
    ]
    names = [build_localized_fieldname(s.field, language) for s in statuses]
    form_class = translation_form(model, names)
    if request.method == "POST":
        form = form_class(request.POST, instance=obj)
        with transaction.atomic():
            saved = form.is_valid()
            if saved:
                form.save()
        if saved:
            messages.success(
                request,
                gettext("“%(record)s” saved in %(language)s.")
                % {
                    "record": record_name(obj),
                    "language": language_in_sentence(language),
                },
            )
            if "_next_record" in request.POST:
                return HttpResponseRedirect(next_record_url(obj, language))
            return HttpResponseRedirect(request.path)
    else:
        form = form_class(instance=obj)
    glossary_terms = glossary.terms()
    pairs = [
        Pair(
            status,
            form[name],
            glossary.notes_for(
                status.source_text, status.source, language, glossary_terms
            ),
        )
        for status, name in zip(statuses, names, strict=True)
    ]
    # Each field links to the next one still missing or outdated.
    to_do = [pair for pair in pairs if pair.to_do]
    next_to_do = {
        pair.anchor: next(
            (later for later in pairs[index + 1 :] if later.to_do),
            to_do[0] if to_do and to_do[0] is not pair else None,
        )
        for index, pair in enumerate(pairs)
    }
    context = {
        **admin_site.each_context(request),
        "title": gettext("Translate “%(record)s” into %(language)s")
        % {"record": record_name(obj), "language": language_in_sentence(language)},
        "subtitle": None,
        "obj": obj,
        "record": record_name(obj),
        "form": form,
        "language": language,
        "language_name": language_name(language),
        "pairs": [(pair, next_to_do[pair.anchor]) for pair in pairs],
        "first_to_do": to_do[0] if to_do else None,
        # Read from the saved record: a refused form shows what is stored.
        "progress": {
            "language": language_in_sentence(language),
            "done": sum(status.status == Status.UP_TO_DATE for status in statuses),
            "total": len(statuses),
            "percent": percent_complete(statuses, language),
        },
        "other_languages": [
            (code, language_in_sentence(code), translate_url(obj, code))
            for code in language_codes()
            # The default language is the source, not a target.
            if code not in (language, settings.LANGUAGE_CODE)
        ],
    }
    return TemplateResponse(
        request, "admin/programmes/translations/translate.html", context
    )


def admin_urls(admin_site):
    return [
        path(
            "translations/translate/<str:model_name>/<int:object_id>/<str:language>/",
            admin_site.admin_view(translate_view),
            {"admin_site": admin_site},
            name="translations_translate",
        )
    ]
