"""Importing a checked file: every change in one transaction, or none."""

import hashlib
from pathlib import PurePath

from django.db import transaction
from django.utils.translation import gettext
from modeltranslation.utils import build_localized_fieldname

from programmes.content.history import imported_reason
from programmes.content.text import normalise_text
from programmes.translating.status import (
    mark_as_checked,
)

from .checks import check_file
from .formats import Problem

# --- Importing -----------------------------------------------------------------------


def text_digest(text):
    return hashlib.sha256(normalise_text(text).encode()).hexdigest()


def targets_fingerprint(report):
    """{unit id: digest of the site's translation} of the units `report` checked.

    Kept with a preview, so that applying it later can tell whether someone
    edited one of those translations in between (check_targets_unchanged).
    """
    return {
        unit: text_digest(change.old) for unit, change in report.current_targets.items()
    }


def check_targets_unchanged(report, previewed_targets):
    """An error for each translation on the site that differs from the preview's."""
    for unit, change in report.current_targets.items():
        if previewed_targets.get(unit) != text_digest(change.old):
            report.errors.append(
                Problem(
                    gettext(
                        "The translation on the site has changed since the preview: "
                        "upload the file again to see a fresh preview."
                    ),
                    unit,
                    f"{change.record}, {change.label}",
                )
            )


def import_translations(
    data, file_name, user=None, dry_run=False, previewed_targets=None
):
    """Check `data`, then write every change in one transaction, or none.

    `previewed_targets`, a targets_fingerprint() of the preview the user
    confirmed, refuses the file when a translation it showed has changed since.
    Returns the ImportReport; `applied` says whether anything was written
    (never with errors, never on a dry run).
    """
    file_name = PurePath(file_name).name
    with transaction.atomic():
        report = check_file(data, file_name, lock=not dry_run)
        if previewed_targets is not None and not report.errors:
            check_targets_unchanged(report, previewed_targets)
        if report.errors or dry_run:
            return report
        apply_changes(report, user)
    return report


def apply_changes(report, user):
    by_record = {}
    for change in report.changes:
        by_record.setdefault((type(change.obj), change.obj.pk), []).append(change)
    reason = imported_reason(report.file_name)
    for changes in by_record.values():
        obj = changes[0].obj
        for change in changes:
            setattr(
                obj,
                build_localized_fieldname(change.field, change.language),
                change.new,
            )
        # The revision names who imported which file (programmes/editing/history/);
        # the translation states record the user too.
        obj._history_user = user
        obj._change_reason = reason
        obj.save()
    for check in report.checked:
        mark_as_checked(check.obj, check.field, check.language, user)
    report.applied = True
