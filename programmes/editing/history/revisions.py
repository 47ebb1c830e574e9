"""Revisions: which fields they hold, snapshots of them, writing, restoring and
recovering them."""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils import formats, timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext
from django_countries.fields import CountryField
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

from programmes.content.bases import Illustrated, PublicationStatus, Publishable
from programmes.content.facts import KeyFact, Result
from programmes.content.history import (
    RECOVERED_REASON,
    m2m_history_model,
    one_revision,
    restored_reason,
)
from programmes.content.models import Participation, Programme, Source
from programmes.languages import language_codes, language_in_sentence

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


# --- Writing revisions ----------------------------------------------------------------


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

    A programme comes back with the participations, sources, key facts and
    results deleted with it. Returns (object, [rows that could not come back]). Raises
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
            # Sources before the figures that cite them.
            for row_model in (Participation, Source, KeyFact, Result):
                for deletion in deleted_rows(row_model, pk, record.history_date):
                    row = last_state(row_model, deletion.id)
                    try:
                        with transaction.atomic():
                            recreate(row)
                    except ValidationError:
                        left_out.append(row.instance)
    return obj, left_out
