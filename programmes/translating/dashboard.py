"""The translators' dashboard in the admin: what is missing or outdated.

The admin site (interpol_drugs/admin_site.py) serves these views under its own
address: translations/ (the dashboard, the translators' home page) and
translations/mark-as-checked/. The change forms of translated records show the
same rows for one record (TranslationStatusMixin in
programmes/translating/status_admin.py).

Statuses are the stored ones (StoredStatus, written by every save:
programmes/translating/status.py): the database counts, filters, sorts and
paginates them; only the page's records and states are read. The queries and
the work stay the same whatever the number of records.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from modeltranslation.utils import build_localized_fieldname

from programmes.content.bases import in_model_order
from programmes.content.models import Programme
from programmes.editing.history.diff import word_diff
from programmes.editing.roles import PUBLISHABLE, TRANSLATORS
from programmes.languages import language_codes, language_in_sentence

from .status import (
    PROGRAMME_ROWS,
    TO_DO,
    TRACKED_MODELS,
    FieldStatus,
    Status,
    all_statuses,
    counts_by_language,
    field_statuses,
    inline_prefix,
    is_programme_row,
    mark_as_checked,
    object_statuses,
    of_models,
    record_name,
    states_by_key,
    stored_statuses,
    tracked_fields,
    with_programme,
)

PERMISSION = "programmes.review_translations"
ROWS_PER_PAGE = 100

# Chips tell the statuses apart by a sign and a word, never by colour alone.
STATUS_SYMBOLS = {Status.MISSING: "✗", Status.OUTDATED: "!", Status.UP_TO_DATE: "✓"}

# The status filter: the two kinds of work to do by default, each status, or all.
WORK_TO_DO = "to_do"
EVERY_STATUS = "all"


def language_name(code):
    return capfirst(get_language_info(code)["name_translated"])


def language_choices():
    return [("", _("All languages"))] + [
        (code, language_name(code)) for code in language_codes()
    ]


def model_choices():
    return [("", _("All kinds of record"))] + [
        (model._meta.model_name, capfirst(model._meta.verbose_name_plural))
        for model in TRACKED_MODELS
    ]


def status_choices():
    return [
        (WORK_TO_DO, _("Work to do (missing or outdated)")),
        *((value, capfirst(label)) for value, label in Status.choices),
        (EVERY_STATUS, _("All statuses")),
    ]


# Django's message repeats the value sent, which may hold any character (a NUL
# is no character an HTML page may hold).
INVALID_CHOICE = {
    "invalid_choice": _(
        "Select a valid choice. That choice is not one of the available choices."
    )
}


class DashboardFilterForm(forms.Form):
    """The dashboard's filters, sent by GET: the page works without JavaScript."""

    language = forms.ChoiceField(
        label=_("Language"),
        choices=language_choices,
        required=False,
        error_messages=INVALID_CHOICE,
    )
    model = forms.ChoiceField(
        label=_("Kind of record"),
        choices=model_choices,
        required=False,
        error_messages=INVALID_CHOICE,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=status_choices,
        required=False,
        error_messages=INVALID_CHOICE,
    )

    def filters(self):
        """(language, model or None, statuses) chosen, the defaults when invalid."""
        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status") or WORK_TO_DO
        statuses = {
            WORK_TO_DO: set(TO_DO),
            EVERY_STATUS: set(Status),
        }.get(status, {status})
        models_by_name = {model._meta.model_name: model for model in TRACKED_MODELS}
        return data.get("language", ""), models_by_name.get(data.get("model")), statuses


@dataclass
class Row:
    """A FieldStatus as the dashboard lists it: its attributes, and more."""

    field_status: FieldStatus
    link: str

    def __getattr__(self, name):
        # Called for names a Row lacks: obj, field, language, status, state,
        # label, unit_id... are the FieldStatus's.
        if name == "field_status":
            raise AttributeError(name)
        return getattr(self.field_status, name)

    @property
    def record(self):
        return record_name(self.obj)

    @property
    def kind(self):
        return capfirst(self.obj._meta.verbose_name)

    @property
    def language_name(self):
        return language_name(self.language)

    @property
    def source_language_name(self):
        return language_in_sentence(self.source)

    @property
    def status_label(self):
        return Status(self.status).label

    @property
    def symbol(self):
        return STATUS_SYMBOLS[self.status]

    @property
    def translate_link(self):
        """The translation view (side_by_side.py), at this field."""
        url = reverse(
            "admin:translations_translate",
            args=[self.obj._meta.model_name, self.obj.pk, self.language],
        )
        return f"{url}#field-{self.field}"

    @property
    def diff(self):
        """The source's change since the last translation: (then, now) as HTML."""
        if self.status != Status.OUTDATED:
            return None
        return word_diff(self.source_text_then, self.source_text)


def field_link(status, row_positions):
    """The change form at the field itself, which translation-tabs.js opens.

    A participation's note, a key fact's label, a source's address note... is
    in a row of the programme's inline: its input is named by the row's
    position there, which `row_positions` gives.
    """
    obj = status.obj
    key = (type(obj), obj.pk)
    if is_programme_row(obj) and key in row_positions:
        url = reverse("admin:programmes_programme_change", args=[obj.programme_id])
        name = build_localized_fieldname(status.field, status.language)
        prefix = inline_prefix(type(obj))
        return f"{url}#id_{prefix}-{row_positions[key]}-{name}"
    return status.admin_url()


def row_positions(objects):
    """{(model, id): its row number in the programme form's inline}.

    Each inline lists a programme's rows in their model's ordering; `objects`
    holds all of them for every programme it holds one of.
    """
    positions = {}
    for model in PROGRAMME_ROWS:
        rows = in_model_order((obj for obj in objects if type(obj) is model), model)
        numbers = {}
        for obj in rows:
            numbers[obj.programme_id] = numbers.get(obj.programme_id, -1) + 1
            positions[model, obj.pk] = numbers[obj.programme_id]
    return positions


def with_users(statuses):
    """Load who last translated each field in one query, not one per row."""
    ids = {s.state.updated_by_id for s in statuses if s.state and s.state.updated_by_id}
    users = get_user_model()._default_manager.in_bulk(ids)
    for status in statuses:
        if status.state and status.state.updated_by_id:
            status.state.updated_by = users.get(status.state.updated_by_id)
    return statuses


def rows_for(statuses, objects):
    positions = row_positions(objects)
    return [Row(status, field_link(status, positions)) for status in statuses]


def with_siblings(statuses):
    """The records of `statuses` and, for a programme's rows, every row of
    their programmes (their position in the inline depends on them)."""
    objects = {(type(s.obj), s.obj.pk): s.obj for s in statuses}
    programmes = {s.obj.programme_id for s in statuses if is_programme_row(s.obj)}
    if programmes:
        for model in PROGRAMME_ROWS:
            for obj in model._default_manager.filter(programme__in=programmes):
                objects.setdefault((model, obj.pk), obj)
    return list(objects.values())


def summaries_of(counts):
    """Per language: the percentage up to date and the count of each status,
    from counts_by_language()."""
    summaries = []
    for code, by_status in counts.items():
        total = sum(by_status.values())
        summaries.append(
            {
                "code": code,
                "name": language_name(code),
                "percent": (
                    round(100 * by_status[Status.UP_TO_DATE] / total) if total else 100
                ),
                "missing": by_status[Status.MISSING],
                "outdated": by_status[Status.OUTDATED],
                "up_to_date": by_status[Status.UP_TO_DATE],
            }
        )
    return summaries


def language_summaries(statuses):
    """summaries_of() FieldStatus objects (a few records' statuses)."""
    counts = {code: dict.fromkeys(Status, 0) for code in language_codes()}
    for status in statuses:
        counts[status.language][status.status] += 1
    return summaries_of(counts)


def check_permission(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def dashboard_view(request, admin_site):
    check_permission(request)
    form = DashboardFilterForm(request.GET or None)
    language, model, wanted = form.filters()
    every = stored_statuses()
    listed = every.filter(status__in=wanted)
    if language:
        listed = listed.filter(language=language)
    if model is not None:
        listed = of_models(listed, [model])
    page = Paginator(listed, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    statuses = field_statuses(page.object_list)
    context = {
        **admin_site.each_context(request),
        "title": gettext("Translations"),
        "subtitle": None,
        "form": form,
        "summaries": summaries_of(counts_by_language(every)),
        "rows": rows_for(with_users(statuses), with_siblings(statuses)),
        "page": page,
        "count": page.paginator.count,
        "next_url": request.get_full_path(),
        "all_content_url": f"{reverse('admin:index')}?{ALL_CONTENT_PARAMETER}",
    }
    return TemplateResponse(
        request, "admin/programmes/translations/dashboard.html", context
    )


def record_work(obj):
    """The missing and outdated fields of one record, as rows for its change form.

    A programme's form holds its rows too: participations, key facts,
    results and sources.
    """
    objects = [obj]
    if isinstance(obj, Programme):
        for model in PROGRAMME_ROWS:
            objects += with_programme(model._default_manager.filter(programme=obj))
    statuses = [s for s in all_statuses(objects=objects) if s.status in TO_DO]
    return rows_for(with_users(statuses), objects)


# --- Mark as checked ------------------------------------------------------------


def field_status(unit_id, language):
    """(record, FieldStatus or None) a form names ("programme.3.summary", "en").

    404 when no such record, field or language exists.
    """
    model_name, _dot, rest = (unit_id or "").partition(".")
    object_id, _dot, field_name = rest.partition(".")
    models_by_name = {model._meta.model_name: model for model in TRACKED_MODELS}
    model = models_by_name.get(model_name)
    if (
        model is None
        # ASCII digits only: "²" is a digit to str.isdigit(), not to int().
        or not (object_id.isascii() and object_id.isdigit())
        or field_name not in tracked_fields(model)
        or language not in language_codes()
    ):
        raise Http404
    obj = model._default_manager.filter(pk=object_id).first()
    if obj is None:
        raise Http404
    for status in object_statuses(obj, states_by_key([obj])):
        if (status.field, status.language) == (field_name, language):
            return obj, status
    # Optional and empty in every language: nothing to translate.
    return obj, None


def return_address(request):
    address = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        address, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return address
    return reverse("admin:translations")


@require_POST
def mark_as_checked_view(request, admin_site):
    check_permission(request)
    language = request.POST.get("language", "")
    obj, status = field_status(request.POST.get("unit", ""), language)
    _model, _dot, field_name = request.POST["unit"].rpartition(".")
    names = {
        "record": obj,
        "field": obj._meta.get_field(field_name).verbose_name,
        "language": language_in_sentence(language),
    }
    if status is None or status.status != Status.OUTDATED:
        # Checking is for a translation whose source changed; a missing one
        # needs writing, an up-to-date one nothing.
        messages.error(
            request,
            gettext(
                "“%(record)s”, %(field)s (%(language)s) is not outdated: there is "
                "nothing to mark as checked."
            )
            % names,
        )
        return HttpResponseRedirect(return_address(request))
    mark_as_checked(obj, status.field, language, request.user)
    messages.success(
        request,
        gettext("“%(record)s”, %(field)s (%(language)s): marked as checked.") % names,
    )
    return HttpResponseRedirect(return_address(request))


# --- The translators' home page -------------------------------------------------


def is_translator(user):
    """A Translators member who publishes nothing: the dashboard is their home."""
    if not user.is_authenticated or not user.has_perm(PERMISSION):
        return False
    if any(user.has_perm(f"programmes.publish_{model}") for model in PUBLISHABLE):
        return False
    return user.groups.filter(name=TRANSLATORS).exists()


# The index stays reachable: the dashboard links to it with this parameter.
ALL_CONTENT_PARAMETER = "all"


def translators_home(request):
    """The address a translator opening the admin index is sent to, or None."""
    if ALL_CONTENT_PARAMETER in request.GET or not is_translator(request.user):
        return None
    return reverse("admin:translations")


def admin_urls(admin_site):
    """The dashboard's addresses, added by the admin site's get_urls()."""
    view = admin_site.admin_view
    kwargs = {"admin_site": admin_site}
    return [
        path("translations/", view(dashboard_view), kwargs, name="translations"),
        path(
            "translations/mark-as-checked/",
            view(mark_as_checked_view),
            kwargs,
            name="translations_mark_checked",
        ),
    ]


# --- Chips in the admin's lists ---------------------------------------------------


def language_statuses(obj, states):
    """[(language, status, field names)]: each language's worst status.

    Missing counts the fields a page needs (slugs too, which are not
    translated text); outdated the fields whose source changed since.
    """
    statuses = object_statuses(obj, states)
    missing = obj.missing_translations()
    result = []
    for code in language_codes():
        own = [status for status in statuses if status.language == code]
        missing_fields = missing[code] + [
            status.field
            for status in own
            if status.status == Status.MISSING and status.field not in missing[code]
        ]
        outdated = [status.field for status in own if status.status == Status.OUTDATED]
        if missing_fields:
            result.append((code, Status.MISSING, missing_fields))
        elif outdated:
            result.append((code, Status.OUTDATED, outdated))
        else:
            result.append((code, Status.UP_TO_DATE, []))
    return result
