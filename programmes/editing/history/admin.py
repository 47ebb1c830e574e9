"""The admin's history views: a page per object, comparisons, restore, recovery."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext

from programmes.content.bases import Illustrated, Publishable
from programmes.content.facts import KeyFact, Result
from programmes.content.history import (
    RECOVERED_REASON,
    RESTORED_PATTERN,
    one_revision,
    reason_display,
)
from programmes.content.models import Participation, Programme, Source

from .diff import differences, related_differences
from .revisions import (
    Snapshot,
    deleted_rows,
    deletion_records,
    differing_fields,
    history_fields,
    last_state,
    recover,
    restorable_fields,
    restore,
)

# --- Presentation ---------------------------------------------------------------------


def kind_of(record):
    if record.history_type == "-":
        return "deleted", pgettext("revision kind", "deleted")
    reason = record.history_change_reason or ""
    if reason == RECOVERED_REASON or RESTORED_PATTERN.match(reason):
        return "restored", pgettext("revision kind", "restored")
    if record.history_type == "+":
        return "created", pgettext("revision kind", "created")
    return "changed", pgettext("revision kind", "changed")


@dataclass
class Revision:
    record: models.Model
    previous: models.Model | None
    changed: list
    restore_url: str = ""

    @property
    def kind(self):
        return kind_of(self.record)[0]

    @property
    def kind_label(self):
        return kind_of(self.record)[1]

    @property
    def summary(self):
        return ", ".join(field.short_label for field in self.changed)

    @property
    def reason(self):
        return reason_display(self.record.history_change_reason)

    @property
    def when(self):
        return date_format(
            timezone.localtime(self.record.history_date), "DATETIME_FORMAT"
        )


def revision_title(record):
    when = date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT")
    if record.history_user:
        return gettext("Revision of %(when)s by %(user)s") % {
            "when": when,
            "user": record.history_user,
        }
    return gettext("Revision of %(when)s") % {"when": when}


# --- Admin ---------------------------------------------------------------------------

REVISIONS_PER_PAGE = 50
# Larger ids cannot be in the database (SQLite and PostgreSQL refuse to look
# them up, a 500): a forged one finds nothing.
LARGEST_ID = 2**63 - 1


def as_id(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= LARGEST_ID else None


class HistoryAdminMixin:
    """History, comparison, restore and recovery pages for a ModelAdmin.

    Django's "History" button leads to the history page (history_view). With
    `recover_deleted`, the list of objects gets a "Recover deleted" link.
    """

    recover_deleted = True
    change_list_template = "admin/programmes/history/change_list.html"

    # --- Permissions ----------------------------------------------------------------

    def has_restore_permission(self, request, obj=None):
        """Change permission, and publish permission where the model has one."""
        opts = self.model._meta
        user = request.user
        if not user.has_perm(
            f"{opts.app_label}.{get_permission_codename('change', opts)}"
        ):
            return False
        if issubclass(self.model, Publishable):
            return user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")
        return True

    def has_recover_permission(self, request):
        opts = self.model._meta
        return (
            self.recover_deleted
            and request.user.has_perm(
                f"{opts.app_label}.{get_permission_codename('add', opts)}"
            )
            and self.has_restore_permission(request)
        )

    # --- Saving from the change form -------------------------------------------------

    def save_related(self, request, form, formsets, change):
        # One revision per save, dated after the inlines and holding the
        # regions just chosen (one_revision).
        with one_revision(form.instance, redate=True):
            super().save_related(request, form, formsets, change)

    # --- URLs -----------------------------------------------------------------------

    def admin_url(self, name, *args):
        opts = self.model._meta
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_{name}",
            args=args,
        )

    def get_urls(self):
        opts = self.model._meta
        prefix = f"{opts.app_label}_{opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path(
                "recover/",
                view(self.recover_list_view),
                name=f"{prefix}_recover_list",
            ),
            path(
                "recover/<int:object_id>/",
                view(self.recover_view),
                name=f"{prefix}_recover",
            ),
            path(
                "<path:object_id>/history/compare/",
                view(self.compare_view),
                name=f"{prefix}_history_compare",
            ),
            path(
                "<path:object_id>/history/<int:history_id>/restore/",
                view(self.restore_view),
                name=f"{prefix}_history_restore",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if self.has_recover_permission(request):
            extra_context["recover_url"] = self.admin_url("recover_list")
        return super().changelist_view(request, extra_context)

    # --- Pages ----------------------------------------------------------------------

    def history_context(self, request, obj, title, **context):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "object": obj,
            "title": title,
            "subtitle": None,
            "history_url": obj and self.admin_url("history", obj.pk),
            **context,
        }

    def viewable_object(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def history_view(self, request, object_id, extra_context=None):
        obj = self.viewable_object(request, object_id)
        records = obj.history.select_related("history_user").order_by(
            "-history_date", "-history_id"
        )
        page = Paginator(records, REVISIONS_PER_PAGE).get_page(request.GET.get("p"))
        # One more than the page: the last revision is compared with it.
        start = max(page.start_index() - 1, 0)
        rows = list(records[start : page.end_index() + 1])
        snapshots = Snapshot.of_records(self.model, rows)
        fields = history_fields(self.model)
        revisions = []
        for index, record in enumerate(rows[: len(page.object_list)]):
            previous = rows[index + 1] if index + 1 < len(rows) else None
            changed = []
            if previous is not None and record.history_type == "~":
                changed = differing_fields(
                    fields, snapshots[index + 1], snapshots[index]
                )
            revisions.append(Revision(record, previous, changed))
        can_restore = self.has_restore_permission(request, obj)
        if can_restore:
            # Not the newest revision: that is how the object is now.
            newest = records.values_list("history_id", flat=True).first()
            for revision in revisions:
                if revision.kind != "deleted" and revision.record.history_id != newest:
                    revision.restore_url = self.admin_url(
                        "history_restore", obj.pk, revision.record.history_id
                    )
        context = self.history_context(
            request,
            obj,
            gettext("History of “%(object)s”") % {"object": obj},
            revisions=revisions,
            page=page,
            compare_url=self.admin_url("history_compare", obj.pk),
            can_restore=can_restore,
            **(extra_context or {}),
        )
        return TemplateResponse(
            request, "admin/programmes/history/object_history.html", context
        )

    def compare_view(self, request, object_id):
        obj = self.viewable_object(request, object_id)
        history_url = self.admin_url("history", obj.pk)
        chosen = {as_id(request.GET.get("old")), as_id(request.GET.get("new"))}
        if None in chosen:
            messages.error(request, gettext("Choose two revisions to compare."))
            return HttpResponseRedirect(history_url)
        records = list(
            obj.history.filter(history_id__in=chosen)
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        if len(records) != 2:
            messages.error(
                request, gettext("Choose two different revisions of this object.")
            )
            return HttpResponseRedirect(history_url)
        old, new = Snapshot.of_records(self.model, records)
        rows = differences(history_fields(self.model), old, new)
        if self.model is Programme:
            rows += related_differences(*records)
        context = self.history_context(
            request,
            obj,
            gettext("Compare revisions of “%(object)s”") % {"object": obj},
            rows=rows,
            old=records[0],
            new=records[1],
            old_title=revision_title(records[0]),
            new_title=revision_title(records[1]),
        )
        return TemplateResponse(
            request, "admin/programmes/history/compare.html", context
        )

    def restore_view(self, request, object_id, history_id):
        obj = self.viewable_object(request, object_id)
        if not self.has_restore_permission(request, obj):
            raise PermissionDenied
        record = obj.history.filter(history_id=as_id(history_id)).first()
        if record is None or record.history_type == "-":
            raise Http404
        (snapshot,) = Snapshot.of_records(self.model, [record])
        fields = restorable_fields(self.model)
        errors = []
        if request.method == "POST":
            try:
                restore(obj, snapshot)
            except ValidationError as error:
                errors = self.error_messages(error)
                obj = self.get_object(request, unquote(object_id))
            else:
                messages.success(
                    request,
                    gettext("The revision of %(when)s is restored.")
                    % {"when": Revision(record, None, []).when},
                )
                return HttpResponseRedirect(self.admin_url("change", obj.pk))
        rows = differences(fields, Snapshot.of_object(obj), snapshot)
        context = self.history_context(
            request,
            obj,
            gettext("Restore a revision of “%(object)s”") % {"object": obj},
            rows=rows,
            errors=errors,
            record=record,
            revision_title=revision_title(record),
            is_publishable=issubclass(self.model, Publishable),
            is_illustrated=issubclass(self.model, Illustrated),
        )
        return TemplateResponse(
            request,
            "admin/programmes/history/restore.html",
            context,
            status=400 if errors else 200,
        )

    def error_messages(self, error):
        """Each message of a ValidationError, after the field it is about."""
        labels = {}
        for history_field in history_fields(self.model):
            labels[history_field.base_name] = capfirst(history_field.field.verbose_name)
            labels[history_field.name] = history_field.short_label
        if not hasattr(error, "error_dict"):
            return error.messages
        return [
            f"{labels[name]}: {message}" if name in labels else message
            for name, field_errors in error.message_dict.items()
            for message in field_errors
        ]

    def recover_list_view(self, request):
        if not self.has_recover_permission(request):
            raise PermissionDenied
        deletions = list(deletion_records(self.model))
        opts = self.model._meta
        context = self.history_context(
            request,
            None,
            gettext("Recover deleted %(objects)s")
            % {"objects": opts.verbose_name_plural},
            deletions=[
                (
                    record,
                    str(record.instance),
                    Revision(record, None, []).when,
                    self.admin_url("recover", record.id),
                )
                for record in deletions
            ],
        )
        return TemplateResponse(
            request, "admin/programmes/history/recover_list.html", context
        )

    def recover_view(self, request, object_id):
        if not self.has_recover_permission(request):
            raise PermissionDenied
        object_id = as_id(object_id)
        record = object_id and last_state(self.model, object_id)
        if record is None or self.model._base_manager.filter(pk=object_id).exists():
            raise Http404
        errors = []
        if request.method == "POST":
            try:
                obj, left_out = recover(self.model, object_id)
            except ValidationError as error:
                errors = self.error_messages(error)
            else:
                messages.success(
                    request,
                    gettext("“%(object)s” is back, as a draft.") % {"object": obj},
                )
                for row in left_out:
                    messages.warning(
                        request,
                        gettext("“%(row)s” could not come back.") % {"row": row},
                    )
                return HttpResponseRedirect(self.admin_url("change", obj.pk))
        rows = []
        if self.model is Programme:
            rows = [
                (
                    capfirst(label),
                    len(deleted_rows(model, record.id, record.history_date)),
                )
                for label, model in (
                    (Participation._meta.verbose_name_plural, Participation),
                    (Source._meta.verbose_name_plural, Source),
                    (KeyFact._meta.verbose_name_plural, KeyFact),
                    (Result._meta.verbose_name_plural, Result),
                )
            ]
        context = self.history_context(
            request,
            None,
            gettext("Recover “%(object)s”") % {"object": record.instance},
            record=record,
            name=str(record.instance),
            revision_title=revision_title(record),
            related_counts=rows,
            errors=errors,
            recover_list_url=self.admin_url("recover_list"),
            is_publishable=issubclass(self.model, Publishable),
        )
        return TemplateResponse(
            request,
            "admin/programmes/history/recover.html",
            context,
            status=400 if errors else 200,
        )
