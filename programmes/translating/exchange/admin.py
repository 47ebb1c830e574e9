"""Export and import of translation files in the admin (translating/exchange/).

The admin site (interpol_drugs/admin_site.py) serves these views under its own
address, for users with the exchange_translations permission:

- translations/export/: choose a language, a format, all fields or only the
  work to do, a kind of record and, if need be, some of its records; the file
  downloads. The programme, organisation and region lists' action “Export for
  translation” opens it with their selection (ExportForTranslationAdminMixin).
- translations/import/: upload a translated file. Problems are listed and
  nothing changes; otherwise a preview of every change, with an Apply button.
  Between the two steps the file's bytes wait in the session (server side,
  this user's only), named by a random token the page carries signed, with a
  digest of each translation the preview showed as current. Apply checks the
  file again before writing, and refuses it when a source or one of those
  translations changed meanwhile: the preview no longer says what it does.
  Conflicts (translations edited on the site since the export, and in the
  file) are listed apart, each with a box taking the file's version; Apply
  takes only the ticked ones.
"""

import base64
import secrets
import tempfile
import zlib
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language_info, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from programmes.editing.history.diff import word_diff
from programmes.languages import language_codes
from programmes.translating.status import (
    TO_DO,
    TRACKED_MODELS,
    counts_by_language,
    stored_statuses,
    translatable_objects,
)

from .formats import FORMAT_NAMES, MAX_UPLOAD_BYTES, PO, XLIFF, XLIFF2
from .importing import import_translations, targets_fingerprint
from .writing import export_translations, record_name

PERMISSION = "programmes.exchange_translations"
# The uploaded file waiting for "Apply", in the session.
SESSION_KEY = "translation_import"
SIGNING_SALT = "programmes.exchange_admin.import"
# How long a preview can wait for its "Apply".
PENDING_SECONDS = 60 * 60


def language_choices():
    return [
        (code, capfirst(get_language_info(code)["name_translated"]))
        for code in language_codes()
    ]


def model_choices():
    return [("", _("All kinds of record"))] + [
        (model._meta.model_name, capfirst(model._meta.verbose_name_plural))
        for model in TRACKED_MODELS
    ]


def record_choices():
    """Every record translators work on, by name, grouped by kind of record."""
    return [
        (
            capfirst(model._meta.verbose_name_plural),
            [
                (f"{model._meta.model_name}.{obj.pk}", record_name(obj))
                for obj in translatable_objects(model)
            ],
        )
        for model in TRACKED_MODELS
    ]


def language_needing_work():
    """Of the languages translated into (all but the default, the source), the
    one with the most missing and outdated fields."""
    to_do = {
        code: sum(counts[status] for status in TO_DO)
        for code, counts in counts_by_language(stored_statuses()).items()
    }
    targets = [code for code in language_codes() if code != settings.LANGUAGE_CODE]
    # max() keeps the first of equals: the settings' order.
    return max(targets, key=lambda code: to_do[code], default=settings.LANGUAGE_CODE)


class ExportForm(forms.Form):
    target = forms.ChoiceField(label=_("Translate into"), choices=language_choices)
    file_format = forms.ChoiceField(
        label=_("File format"),
        choices=[
            (XLIFF, FORMAT_NAMES[XLIFF]),
            (XLIFF2, FORMAT_NAMES[XLIFF2]),
            (PO, _("PO (gettext)")),
        ],
        initial=XLIFF,
        help_text=_("XLIFF 1.2 opens in every translation tool."),
    )
    only_outdated = forms.BooleanField(
        label=_("Only missing and outdated translations"),
        required=False,
        initial=True,
    )
    model = forms.ChoiceField(
        label=_("Kind of record"), choices=model_choices, required=False
    )
    records = forms.MultipleChoiceField(
        label=_("Records to export"),
        required=False,
        choices=record_choices,
        help_text=_(
            "Chosen by name, of one kind of record; none for all. The action "
            "“Export for translation” of a list chooses the records selected "
            "there."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The two-pane picker with its search box, as on programmes' countries.
        self.fields["records"].widget = FilteredSelectMultiple(
            self.fields["records"].label, False, choices=self.fields["records"].choices
        )

    def clean(self):
        cleaned_data = super().clean()
        chosen = {}
        for value in cleaned_data.get("records") or ():
            kind, pk = value.split(".")
            chosen.setdefault(kind, []).append(int(pk))
        if len(chosen) > 1:
            self.add_error(
                "records",
                gettext(
                    "Choose records of one kind at a time (programmes, or "
                    "organisations…), or none for all."
                ),
            )
        elif chosen:
            ((kind, ids),) = chosen.items()
            cleaned_data["model"] = kind
            cleaned_data["ids"] = ids
        cleaned_data.setdefault("ids", None)
        return cleaned_data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Translated file"),
        help_text=_(
            "XLIFF (1.2 or 2.0) or PO, as exported here and translated; at most "
            "5 MB. Nothing changes before you confirm."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                gettext(
                    "The file is %(size)s; the limit is %(limit)s. Export and "
                    "import one kind of record at a time."
                )
                % {
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(MAX_UPLOAD_BYTES),
                }
            )
        return upload


def models_by_name():
    return {model._meta.model_name: model for model in TRACKED_MODELS}


def check_permission(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def page_context(request, admin_site, title, **context):
    return {
        **admin_site.each_context(request),
        "title": title,
        "subtitle": None,
        "export_url": reverse("admin:translations_export"),
        "import_url": reverse("admin:translations_import"),
        **context,
    }


def export_file_name(target, file_format, only_outdated, model):
    parts = ["interpol-drugs", target, "to-do" if only_outdated else "all"]
    if model:
        parts.append(model)
    parts.append(timezone.localdate().isoformat())
    extension = "po" if file_format == PO else "xlf"
    return f"{'-'.join(parts)}.{extension}"


def export_view(request, admin_site):
    check_permission(request)
    if "target" in request.GET:
        form = ExportForm(request.GET)
    else:
        # From a list's "Export for translation": its kind and selection.
        form = ExportForm(
            initial={
                "target": language_needing_work(),
                "model": request.GET.get("model", ""),
                "records": request.GET.getlist("records"),
            }
        )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        chosen = models_by_name().get(data["model"])
        # Written into a temporary file, as the command writes into --output,
        # then streamed from it: memory holds a chunk, whatever the site's size.
        file = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
        export = export_translations(
            data["target"],
            data["file_format"],
            only_outdated=data["only_outdated"],
            models_=[chosen] if chosen else None,
            ids=data["ids"] or None,
            base_url=request.build_absolute_uri("/"),
            output=file,
        )
        if export.units:
            file.seek(0)
            # FileResponse closes the file (deleting it) once sent.
            return FileResponse(
                file,
                as_attachment=True,
                filename=export_file_name(
                    data["target"],
                    data["file_format"],
                    data["only_outdated"],
                    data["model"],
                ),
                content_type=export.content_type,
            )
        file.close()
        # An empty file would only puzzle the translator.
        messages.info(
            request,
            gettext(
                "Nothing to export: no field matches your choice. With “only "
                "missing and outdated”, every translation is up to date."
            ),
        )
    context = page_context(
        request, admin_site, gettext("Export translations"), form=form
    )
    return TemplateResponse(
        request, "admin/programmes/translations/export_form.html", context
    )


class ExportForTranslationAdminMixin:
    """A list action sending the selected records to the export page.

    The admin class adds "export_for_translation" to its `actions`.
    """

    def has_exchange_translations_permission(self, request):
        return request.user.has_perm(PERMISSION)

    @admin.action(
        description=_("Export for translation"),
        permissions=["exchange_translations"],
    )
    def export_for_translation(self, request, queryset):
        kind = self.model._meta.model_name
        query = urlencode(
            {
                "model": kind,
                "records": [
                    f"{kind}.{pk}"
                    for pk in queryset.order_by("pk").values_list("pk", flat=True)
                ],
            },
            doseq=True,
        )
        return HttpResponseRedirect(f"{reverse('admin:translations_export')}?{query}")


# --- Import ------------------------------------------------------------------------


def keep_pending(request, data, report):
    """Keep the checked file in the session; the signed token the page carries."""
    token = secrets.token_urlsafe(16)
    request.session[SESSION_KEY] = {
        "token": token,
        "name": report.file_name,
        "data": base64.b64encode(zlib.compress(data)).decode("ascii"),
        "targets": targets_fingerprint(report),
    }
    return signing.dumps({"token": token, "user": request.user.pk}, salt=SIGNING_SALT)


def pending_file(request, signed_token):
    """(bytes, file name, targets fingerprint) of the file the preview showed,
    or None."""
    try:
        value = signing.loads(signed_token, salt=SIGNING_SALT, max_age=PENDING_SECONDS)
    except signing.BadSignature:
        return None
    pending = request.session.get(SESSION_KEY)
    if (
        not pending
        or value.get("user") != request.user.pk
        or not secrets.compare_digest(pending["token"], str(value.get("token")))
    ):
        return None
    return (
        zlib.decompress(base64.b64decode(pending["data"])),
        pending["name"],
        pending.get("targets", {}),
    )


def preview_rows(changes):
    """Each change with its words removed and added marked (<del>, <ins>)."""
    rows = []
    for change in changes:
        old, new = word_diff(change.old, change.new)
        rows.append({"change": change, "old": old, "new": new})
    return rows


def import_view(request, admin_site):
    check_permission(request)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
    else:
        # A new upload: forget a file an earlier preview kept.
        request.session.pop(SESSION_KEY, None)
        form = ImportForm()
    report = token = None
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        report = import_translations(data, upload.name, request.user, dry_run=True)
        if not report.errors and (report.changes or report.checked or report.conflicts):
            token = keep_pending(request, data, report)
    context = page_context(
        request,
        admin_site,
        gettext("Import translations"),
        form=form,
        report=report,
        changes=preview_rows(report.changes) if report else [],
        conflicts=preview_rows(report.conflicts) if report else [],
        token=token,
        apply_url=reverse("admin:translations_apply_import"),
    )
    status = 400 if report is not None and report.errors else 200
    template = "admin/programmes/translations/import_form.html"
    if report is not None and not report.errors:
        template = "admin/programmes/translations/import_preview.html"
    return TemplateResponse(request, template, context, status=status)


@require_POST
def apply_import_view(request, admin_site):
    check_permission(request)
    pending = pending_file(request, request.POST.get("token", ""))
    import_url = reverse("admin:translations_import")
    if pending is None:
        messages.error(
            request,
            gettext(
                "This import is no longer waiting (it was applied, replaced or "
                "left too long): upload the file again."
            ),
        )
        return HttpResponseRedirect(import_url)
    data, file_name, previewed_targets = pending
    report = import_translations(
        data,
        file_name,
        request.user,
        previewed_targets=previewed_targets,
        # The conflicts whose box was ticked; the others keep the site's version.
        take_file=set(request.POST.getlist("take")),
    )
    request.session.pop(SESSION_KEY, None)
    if report.errors:
        # The site changed since the preview (someone edited a source or one
        # of the translations the preview showed).
        context = page_context(
            request,
            admin_site,
            gettext("Import translations"),
            form=ImportForm(),
            report=report,
        )
        return TemplateResponse(
            request,
            "admin/programmes/translations/import_form.html",
            context,
            status=400,
        )
    messages.success(request, import_summary(report))
    return HttpResponseRedirect(import_url)


def import_summary(report):
    """The message after Apply: "Imported x.xlf: 1 translation changed in 1
    record, 2 marked as checked."

    Each count agrees with its own noun, so the sentence is built from parts.
    """
    changes, checked = len(report.changes), len(report.checked)
    changed_text = ngettext(
        # Translators: part of “Imported %(file)s: %(changes)s %(records)s, …”
        "%(count)s translation changed",
        "%(count)s translations changed",
        changes,
    ) % {"count": changes}
    records_text = ngettext(
        # Translators: part of “Imported %(file)s: %(changes)s %(records)s, …”
        "in %(count)s record",
        "in %(count)s records",
        report.records,
    ) % {"count": report.records}
    checked_text = ngettext(
        # Translators: part of “Imported %(file)s: …, %(checked)s.”: outdated
        # translations sent back unchanged, confirmed by the translator.
        "%(count)s marked as checked",
        "%(count)s marked as checked",
        checked,
    ) % {"count": checked}
    # Translators: e.g. “Imported x.xlf: 2 translations changed in 1 record, 0
    # marked as checked.”
    return gettext("Imported %(file)s: %(changes)s %(records)s, %(checked)s.") % {
        "file": report.file_name,
        "changes": changed_text,
        "records": records_text,
        "checked": checked_text,
    }


def admin_urls(admin_site):
    """The export and import addresses, added by the admin site's get_urls()."""
    view = admin_site.admin_view
    kwargs = {"admin_site": admin_site}
    return [
        path(
            "translations/export/",
            view(export_view),
            kwargs,
            name="translations_export",
        ),
        path(
            "translations/import/",
            view(import_view),
            kwargs,
            name="translations_import",
        ),
        path(
            "translations/import/apply/",
            view(apply_import_view),
            kwargs,
            name="translations_apply_import",
        ),
    ]
