"""How every save of the content is recorded: one revision, and why.

django-simple-history keeps a row per save in a history table holding every
language's column (programmes/translation.py registers it after
modeltranslation), whoever saves: an editor, a translator's import, the
content loader. A change reason is stored in English, as a key (the column
holds 100 characters); pages show it translated (reason_display). The editors'
tools on top of these rows (comparing, restoring, recovering) are in
programmes/editing/history/.
"""

import re
from contextlib import contextmanager

from django.utils import timezone
from django.utils.translation import gettext
from simple_history.models import HistoricalRecords
from simple_history.utils import get_m2m_field_name

# --- Change reasons -------------------------------------------------------------

LOADED_REASON = "Loaded from the content file"
RECOVERED_REASON = "Recovered after deletion"
RESTORED_REASON = "Restored revision of {date} by {user}"
RESTORED_PATTERN = re.compile(r"^Restored revision of (?P<date>.+?) by (?P<user>.*)$")
# Translations imported from an XLIFF or PO file (programmes/translating/exchange/).
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


# --- One revision per save ------------------------------------------------------


def m2m_history_model(field):
    return HistoricalRecords.m2m_models[field]


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
