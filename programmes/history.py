"""Revisions in the admin: history, comparison, restore and recovery.

django-simple-history keeps a row per save in a history table holding every
language's column (translation.py registers it after modeltranslation), and
the regions a programme had at that time. Its own admin (SimpleHistoryAdmin)
restores through a change form built from the old record, which would bring
back status and slugs unchecked and does not fit modeltranslation's tabs; these
views are the site's own, on top of the records:

- a history page per object (Django's "History" button leads to it): who,
  when, what kind of change, which fields in which languages;
- a comparison of any two revisions, field by field and language by language,
  with a word-level difference;
- a restore, which writes the old text back as a new revision, keeps the
  current publication status and date, and goes through full_clean();
- a list of deleted objects, each recoverable with the same id (a programme
  with its participations and sources as they were when it was deleted).

A change reason is stored in English, as a key (the column holds 100
characters); pages show it translated (reason_display).
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from difflib import SequenceMatcher

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models, transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname
from simple_history.models import HistoricalRecords
from simple_history.utils import get_m2m_field_name

from .models import (
    Illustrated,
    Organisation,
    Participation,
    Programme,
    PublicationStatus,
    Publishable,
    Source,
    language_codes,
    language_in_sentence,
)

# --- Change reasons -------------------------------------------------------------

LOADED_REASON = "Loaded from the content file"
RECOVERED_REASON = "Recovered after deletion"
RESTORED_REASON = "Restored revision of {date} by {user}"
RESTORED_PATTERN = re.compile(r"^Restored revision of (?P<date>.+?) by (?P<user>.*)$")
# Translations imported from an XLIFF or PO file (programmes/exchange.py).
IMPORTED_REASON = "Imported from {file}"
IMPORTED_PATTERN = re.compile(r"^Imported from (?P<file>.*)$")


def restored_reason(record):
    when = timezone.localtime(record.history_date).strftime("%Y-%m-%d %H:%M")
    user = str(record.history_user) if record.history_user else "?"
    return RESTORED_REASON.format(date=when, user=user[:40])


def imported_reason(file_name):
    # The column holds 100 characters: a long file name is cut.
    return IMPORTED_REASON.format(file=file_name)[:100]


def reason_display(reason):
    """The stored reason in the active language."""
    if not reason:
        return ""
    match = IMPORTED_PATTERN.match(reason)
    if match:
        return gettext("Imported from %(file)s") % {"file": match["file"]}
    if reason == LOADED_REASON:
        return gettext("Loaded from the content file")
    if reason == RECOVERED_REASON:
        return gettext("Recovered after deletion")
    match = RESTORED_PATTERN.match(reason)
    if match:
        return gettext("Restored the revision of %(date)s by %(user)s") % {
            "date": match["date"],
            "user": match["user"],
        }
    return reason


# --- Fields -----------------------------------------------------------------------

# Never compared or restored: bookkeeping the site writes itself.
BOOKKEEPING = {"created_at", "updated_at", "version"}
# Kept as they are on restore: restoring text must not publish or unpublish a
# page, and a text alternative belongs to the current image (images are not
# in the history).
KEPT_ON_RESTORE = {
    "status",
    "published_at",
    *(field.name for field in Illustrated._meta.get_fields()),
}


@dataclass(frozen=True)
class HistoryField:
    """A column of the history table: a field, in one language if translated."""

    field: models.Field
    language: str | None = None

    @property
    def name(self):
        if self.language:
            return build_localized_fieldname(self.field.name, self.language)
        return self.field.attname

    @property
    def base_name(self):
        return self.field.name

    @property
    def short_label(self):
        """ "Summary (English)": in a list of changed fields."""
        label = str(capfirst(self.field.verbose_name))
        if self.language:
            return pgettext("field in a language", "%(field)s (%(language)s)") % {
                "field": label,
                "language": language_in_sentence(self.language),
            }
        return label

    @property
    def label(self):
        """ "Summary — English": a row of a comparison."""
        label = str(capfirst(self.field.verbose_name))
        if self.language:
            return pgettext("field — language", "%(field)s — %(language)s") % {
                "field": label,
                "language": language_in_sentence(self.language),
            }
        return label

    @property
    def is_many_to_many(self):
        return self.field.many_to_many

    def display(self, value):
        """The value as text, or as a list of items for lists."""
        if self.is_many_to_many:
            return value  # Already a list of names (Snapshot.value).
        if value is None or value == "":
            return ""
        if isinstance(self.field, CountryField):
            return sorted(str(country.name) for country in value)
        if self.field.choices:
            return str(dict(self.field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return gettext("yes") if value else gettext("no")
        if isinstance(value, datetime):
            return date_format(timezone.localtime(value), "DATETIME_FORMAT")
        if isinstance(value, date):
            return date_format(value)
        if isinstance(value, int | float) or hasattr(value, "as_tuple"):
            return formats.localize(value)
        return str(value)


def translated_field_names(model):
    try:
        return set(translator.get_options_for_model(model).get_field_names())
    except NotRegistered:
        return set()


def history_fields(model):
    """What a revision of `model` holds, in the form's order, a column per language."""
    history_model = model.history.model
    tracked = {field.name for field in history_model.tracked_fields}
    translated = translated_field_names(model)
    localized = {
        build_localized_fieldname(name, code)
        for name in translated
        for code in language_codes()
    }
    fields = []
    for field in model._meta.concrete_fields:
        if (
            field.primary_key
            or not field.editable
            or field.name in BOOKKEEPING
            or field.name in localized
            or field.name not in tracked
        ):
            continue
        if field.name in translated:
            fields.extend(HistoryField(field, code) for code in language_codes())
        else:
            fields.append(HistoryField(field))
    fields.extend(HistoryField(field) for field in history_model._history_m2m_fields)
    return fields


def restorable_fields(model):
    return [f for f in history_fields(model) if f.base_name not in KEPT_ON_RESTORE]


# --- Snapshots: a revision's values, or the object's current ones -----------------


def m2m_history_model(field):
    return HistoricalRecords.m2m_models[field]


def related_name_of(field):
    """The column of the many-to-many table naming the other side (region)."""
    return field.m2m_reverse_field_name()


class Snapshot:
    """The values of an object at one time: a history record, or the object now."""

    def __init__(self, source, m2m_ids, names):
        self.source = source
        self.m2m_ids = m2m_ids  # {field name: [related ids]}
        self.names = names  # {field name: {related id: name}}

    @classmethod
    def of_records(cls, model, records):
        """A snapshot per record, the regions of all of them in two queries."""
        m2m_fields = model.history.model._history_m2m_fields
        ids = {
            record.history_id: {f.name: [] for f in m2m_fields} for record in records
        }
        names = {}
        for field in m2m_fields:
            other = related_name_of(field)
            rows = m2m_history_model(field).objects.filter(history__in=records)
            for history_id, related_id in rows.values_list("history_id", f"{other}_id"):
                ids[history_id][field.name].append(related_id)
            names[field.name] = related_names(field, ids, field.name)
        return [cls(record, ids[record.history_id], names) for record in records]

    @classmethod
    def of_object(cls, obj):
        m2m_fields = type(obj).history.model._history_m2m_fields
        ids = {
            field.name: list(
                getattr(obj, field.name).values_list("pk", flat=True).order_by("pk")
            )
            for field in m2m_fields
        }
        names = {
            field.name: related_names(field, {0: ids}, field.name)
            for field in m2m_fields
        }
        return cls(obj, ids, names)

    def value(self, history_field):
        if history_field.is_many_to_many:
            name = history_field.base_name
            return sorted(
                self.names[name].get(pk, gettext("deleted (%(id)s)") % {"id": pk})
                for pk in self.m2m_ids[name]
            )
        return getattr(self.source, history_field.name)

    def related_ids(self, history_field):
        return sorted(self.m2m_ids[history_field.base_name])


def related_names(field, ids_by_record, name):
    wanted = {pk for ids in ids_by_record.values() for pk in ids[name]}
    related = field.related_model._base_manager.filter(pk__in=wanted)
    return {obj.pk: str(obj) for obj in related}


def differing_fields(fields, old, new):
    differing = []
    for history_field in fields:
        if history_field.is_many_to_many:
            if old.related_ids(history_field) != new.related_ids(history_field):
                differing.append(history_field)
        elif history_field.display(old.value(history_field)) != history_field.display(
            new.value(history_field)
        ):
            differing.append(history_field)
    return differing


# --- Differences, word by word ------------------------------------------------------

TOKENS = re.compile(r"\s+|\S+")


def marked(tag, text, hint):
    """<del> or <ins>, with a word that screen readers announce."""
    return format_html(
        '<{tag}><span class="visually-hidden">{hint} </span>{text}</{tag}>',
        tag=tag,
        hint=hint,
        text=text,
    )


def word_diff(old, new):
    """(old, new) as HTML, removed words in <del>, added ones in <ins>.

    Every piece of text is escaped; only the tags are ours.
    """
    before, after = TOKENS.findall(old), TOKENS.findall(new)
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    # [unchanged?, old text, new text], the spaces between two changed words
    # counted as changed: one <del> for "at sea", not one per word.
    segments = []
    opcodes = matcher.get_opcodes()
    for index, (operation, i1, i2, j1, j2) in enumerate(opcodes):
        removed, added = "".join(before[i1:i2]), "".join(after[j1:j2])
        unchanged = operation == "equal"
        between_changes = unchanged and not removed.strip() and index < len(opcodes) - 1
        if segments and not segments[-1][0] and (not unchanged or between_changes):
            segments[-1][1] += removed
            segments[-1][2] += added
        else:
            segments.append([unchanged, removed, added])
    old_parts, new_parts = [], []
    for unchanged, removed, added in segments:
        if unchanged:
            old_parts.append(escape(removed))
            new_parts.append(escape(added))
            continue
        if removed:
            old_parts.append(marked("del", removed, gettext("removed:")))
        if added:
            new_parts.append(marked("ins", added, gettext("added:")))
    return mark_safe("".join(old_parts)), mark_safe("".join(new_parts))


def items_diff(old, new):
    """Two lists as HTML lists, items gone in <del>, new items in <ins>."""

    def html_list(items, other, tag, hint):
        parts = [
            format_html(
                "<li>{}</li>", item if item in other else marked(tag, item, hint)
            )
            for item in items
        ]
        if not parts:
            return ""
        return mark_safe('<ul class="history-items">' + "".join(parts) + "</ul>")

    return (
        html_list(old, new, "del", gettext("removed:")),
        html_list(new, old, "ins", gettext("added:")),
    )


@dataclass
class Difference:
    label: str
    old: str
    new: str


def difference(label, old, new):
    if isinstance(old, list) or isinstance(new, list):
        return Difference(label, *items_diff(old or [], new or []))
    return Difference(label, *word_diff(old or "", new or ""))


def differences(fields, old, new):
    return [
        difference(
            history_field.label,
            history_field.display(old.value(history_field)),
            history_field.display(new.value(history_field)),
        )
        for history_field in differing_fields(fields, old, new)
    ]


# --- A programme's rows as they were ------------------------------------------------


def rows_as_of(model, programme_pk, when):
    """The rows of `model` a programme had at `when`, from their history."""
    latest = (
        model.history.filter(programme_id=programme_pk, history_date__lte=when)
        .latest_of_each()
        .exclude(history_type="-")
    )
    return sorted(latest, key=lambda row: (row.display_order, row.id))


def participation_items(programme_pk, when):
    rows = rows_as_of(Participation, programme_pk, when)
    organisations = Organisation._base_manager.in_bulk(
        {row.organisation_id for row in rows}
    )
    roles = dict(Participation.Role.choices)
    items = []
    for row in rows:
        organisation = organisations.get(row.organisation_id)
        text = f"{organisation.short_name if organisation else '?'}: "
        text += str(roles.get(row.role, row.role))
        notes = [
            f"{code.upper()} {note}"
            for code in language_codes()
            if (note := getattr(row, build_localized_fieldname("note", code)))
        ]
        if notes:
            text += f" ({'; '.join(notes)})"
        items.append(text)
    return items


def source_items(programme_pk, when):
    items = []
    for row in rows_as_of(Source, programme_pk, when):
        titles = [
            getattr(row, build_localized_fieldname("title", code))
            for code in language_codes()
        ]
        text = " / ".join(title for title in titles if title)
        if row.url:
            text += f" <{row.url}>"
        items.append(text)
    return items


def related_differences(old_record, new_record):
    """A programme's participations and sources at each revision's time."""
    pk = new_record.id
    rows = []
    for label, items in (
        (_("participating organisations"), participation_items),
        (_("sources"), source_items),
    ):
        old = items(pk, old_record.history_date)
        new = items(pk, new_record.history_date)
        if old != new:
            rows.append(difference(capfirst(label), old, new))
    return rows


# --- Writing revisions ----------------------------------------------------------------


@contextmanager
def one_revision(instance, redate=False):
    """Many-to-many changes made in the block go into the revision just saved.

    Django sets a many-to-many field after saving the object, and the history
    would record each change of the set as a revision of its own, with the
    regions of the save before. In the block those revisions are not written;
    after it, the last revision gets the regions the object has now and, with
    `redate`, the time now, so that rows saved in the block (the admin's
    inlines) count as part of it.
    """
    m2m_fields = type(instance).history.model._history_m2m_fields
    if not m2m_fields and not redate:
        yield
        return
    instance.skip_history_when_saving = True
    try:
        yield
    finally:
        del instance.skip_history_when_saving
    record = instance.history.order_by("-history_date", "-history_id").first()
    if record is None:
        return
    if redate:
        type(record).objects.filter(pk=record.pk).update(history_date=timezone.now())
    for field in m2m_fields:
        model = m2m_history_model(field)
        model.objects.filter(history=record).delete()
        through = field.remote_field.through
        rows = through.objects.filter(**{get_m2m_field_name(field): instance})
        model.objects.bulk_create(
            model(
                history=record,
                **{f.attname: getattr(row, f.attname) for f in through._meta.fields},
            )
            for row in rows
        )


def set_many_to_many(obj, snapshot):
    """The regions of the snapshot that still exist."""
    for field in type(obj).history.model._history_m2m_fields:
        ids = snapshot.m2m_ids[field.name]
        existing = field.related_model._base_manager.filter(pk__in=ids)
        getattr(obj, field.name).set(existing)


def restore(obj, snapshot):
    """Write a revision's values back to `obj` as a new revision.

    Status and publication date stay as they are. Raises ValidationError, with
    nothing written, when the result breaks a rule of today (a slug another
    page took since, a publication rule).
    """
    model = type(obj)
    for history_field in restorable_fields(model):
        if not history_field.is_many_to_many:
            setattr(obj, history_field.name, snapshot.value(history_field))
    obj.full_clean()
    with transaction.atomic():
        obj._change_reason = restored_reason(snapshot.source)
        obj.save()
        with one_revision(obj):
            set_many_to_many(obj, snapshot)
    return obj


def deletion_records(model):
    """The last record of each deleted object of `model`, newest first."""
    return (
        model.history.latest_of_each()
        .filter(history_type="-")
        .exclude(id__in=model._base_manager.values("pk"))
        .select_related("history_user")
        .order_by("-history_date")
    )


def last_state(model, pk):
    """The last revision before the deletion of object `pk`."""
    return (
        model.history.filter(id=pk)
        .exclude(history_type="-")
        .order_by("-history_date", "-history_id")
        .first()
    )


def deleted_rows(model, programme_pk, since):
    """A programme's rows of `model` deleted after `since` (with the programme)."""
    latest = model.history.filter(programme_id=programme_pk).latest_of_each()
    return [
        record
        for record in latest
        if record.history_type == "-" and record.history_date > since
    ]


def recreate(record, **changes):
    """The object of a history record, saved again with its id."""
    obj = record.instance
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj._change_reason = RECOVERED_REASON
    obj.save(force_insert=True)
    return obj


def recover(model, pk):
    """Bring a deleted object back from its last revision, as a draft.

    A programme comes back with the participations and sources deleted with
    it. Returns (object, [rows that could not come back]). Raises
    ValidationError, with nothing written, when the object breaks a rule of
    today (e.g. its slug was taken since).
    """
    record = last_state(model, pk)
    if record is None or model._base_manager.filter(pk=pk).exists():
        raise Http404
    changes = {}
    if issubclass(model, Publishable):
        changes["status"] = PublicationStatus.DRAFT
    left_out = []
    with transaction.atomic():
        obj = recreate(record, **changes)
        (snapshot,) = Snapshot.of_records(model, [record])
        with one_revision(obj):
            set_many_to_many(obj, snapshot)
        if model is Programme:
            for row_model in (Participation, Source):
                for deletion in deleted_rows(row_model, pk, record.history_date):
                    row = last_state(row_model, deletion.id)
                    try:
                        with transaction.atomic():
                            recreate(row)
                    except ValidationError:
                        left_out.append(row.instance)
    return obj, left_out


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
