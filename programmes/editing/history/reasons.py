"""Why a revision was written, stored in English as a key and shown translated.

The history column holds 100 characters.
"""

import re

from django.utils import timezone
from django.utils.translation import gettext

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
