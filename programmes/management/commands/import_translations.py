import getpass
import os
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.text import Truncator

from programmes.translating.exchange.importing import import_translations


def plural(count, word):
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def preview(old, new, verbosity):
    """(old, new) on one line each, from a little before their first difference.

    With -v 2, the whole texts.
    """
    if verbosity >= 2:
        return old or "—", new
    old, new = " ".join(old.split()), " ".join(new.split())
    same = len(os.path.commonprefix([old, new]))
    start = old.rfind(" ", 0, max(same - 20, 0)) + 1 if same > 30 else 0

    def clip(text):
        shown = Truncator(text[start:]).chars(70)
        return ("…" if start else "") + shown if shown else "—"

    return clip(old), clip(new)


class Command(BaseCommand):
    help = (
        "Import a translated XLIFF (1.2 or 2.0) or PO file made by "
        "export_translations. The whole file is checked first: with any problem "
        "nothing is changed and every problem is listed (exit status 1). "
        "Otherwise every change is shown, then written in one transaction, each "
        "record's revision naming the importing user "
        "(programmes/translating/exchange/). A translation edited both on the "
        "site since the export and in the file is a conflict: listed, and the "
        "file refused (exit status 1) unless --skip-conflicts or --take-file "
        "says what to do."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and show the changes, and change nothing.",
        )
        conflicts = parser.add_mutually_exclusive_group()
        conflicts.add_argument(
            "--skip-conflicts",
            action="store_true",
            help=(
                "Keep the site's version of the translations in conflict, and "
                "import the rest of the file."
            ),
        )
        conflicts.add_argument(
            "--take-file",
            action="store_true",
            help="Take the file's version of the translations in conflict.",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help=(
                "Who imports: the history names their account (default: the "
                "command line and the system user)."
            ),
        )

    def handle(
        self,
        *args,
        file,
        dry_run,
        user,
        verbosity,
        skip_conflicts,
        take_file,
        **options,
    ):
        # None: a conflict refuses the file.
        take = True if take_file else () if skip_conflicts else None
        with translation.override("en"):
            self.import_file(Path(file), dry_run, user, verbosity, take)

    def import_file(self, path, dry_run, username, verbosity, take_file):
        user = self.find_user(username, dry_run)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        self.stdout.write(f"Checking {path.name}…")
        label = path.name
        if user is None and not dry_run:
            # No account named: the history still says who ran the import.
            label = f"{path.name} (command line, {getpass.getuser()})"
            self.stdout.write(
                "No --user given: the history records the import as made from "
                f"the command line by {getpass.getuser()}."
            )
        report = import_translations(
            data, label, user=user, dry_run=dry_run, take_file=take_file
        )
        if report.errors:
            for problem in report.errors:
                self.stderr.write(f"Error: {problem}")
            raise CommandError(
                f"Refused {path.name}: {plural(len(report.errors), 'problem')}, "
                "nothing changed. Fix them and import the file again; where a "
                "source changed, export a new file."
            )
        self.stdout.write(
            f"{report.kind}, {report.source_language} → {report.target_language}, "
            f"{plural(report.units, 'unit')}."
        )
        self.show_conflicts(report, path, take_file, verbosity)
        for change in report.changes:
            if change.unit in report.taken:
                continue  # shown with the conflicts
            self.stdout.write(f"{change.unit}: {change.record}, {change.label}")
            old, new = preview(change.old, change.new, verbosity)
            self.stdout.write(f"  - {old}")
            self.stdout.write(f"  + {new}")
        for check in report.checked:
            self.stdout.write(
                f"{check.unit}: {check.record}, {check.label}: unchanged, "
                "marked as checked"
            )
        for problem in report.warnings:
            self.stderr.write(f"Warning: {problem}")
        details = [
            f"{report.unchanged} unchanged",
            f"{len(report.checked)} marked as checked",
        ]
        if report.conflicts:
            details.append(
                f"{plural(len(report.conflicts), 'conflict')}, "
                f"{len(report.taken)} taken from the file"
            )
        if report.drafts:
            details.append(f"{report.drafts} not applied, marked as needing review")
        if report.untranslated:
            details.append(f"{report.untranslated} not translated yet, left out")
        counts = (
            f"{plural(len(report.changes), 'change')} to "
            f"{plural(report.records, 'record')} from {path.name} "
            f"({', '.join(details)})"
        )
        if dry_run:
            self.stdout.write(f"Would import {counts}; nothing changed (--dry-run).")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {counts}."))

    def show_conflicts(self, report, path, take_file, verbosity):
        for conflict in report.conflicts:
            if take_file is None:
                outcome = "conflict"
            elif conflict.unit in report.taken:
                outcome = "conflict, the file's version taken"
            else:
                outcome = "conflict, the site's version kept"
            self.stderr.write(
                f"{conflict.unit}: {conflict.record}, {conflict.label}: {outcome} "
                "(edited on the site since the export, and in the file)"
            )
            site, in_file = preview(conflict.old, conflict.new, verbosity)
            self.stderr.write(f"  site: {site}")
            self.stderr.write(f"  file: {in_file}")
        if report.conflicts and take_file is None:
            raise CommandError(
                f"Refused {path.name}: "
                f"{plural(len(report.conflicts), 'conflict')}, nothing changed. "
                "Import again with --skip-conflicts to keep the site's version "
                "of each and import the rest, or --take-file to take the file's."
            )

    def find_user(self, username, dry_run):
        if username is None:
            return None
        model = get_user_model()
        try:
            return model._default_manager.get_by_natural_key(username)
        except model.DoesNotExist:
            raise CommandError(
                f"No user {username!r}: give the username of an existing account."
            ) from None
