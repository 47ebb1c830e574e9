from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from operations.backups import BackupError, RestoreFailed, create_backup, restore_backup


class Command(BaseCommand):
    help = (
        "Replace the database and the uploaded files with those of an archive "
        "made by backup_site. The archive is checked first: a damaged or "
        "truncated one is refused and nothing changes. The current site is "
        "backed up first, unless --no-backup-first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The .tar.gz file made by backup_site.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the archive and report what it holds; change nothing.",
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )
        parser.add_argument(
            "--no-backup-first",
            action="store_false",
            dest="backup_first",
            help="Do not back up the current site before replacing it.",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="Database alias to restore into (default: %(default)s).",
        )

    def handle(self, *args, archive, dry_run, interactive, **options):
        self.interactive = interactive
        self.backup_first = options["backup_first"]
        self.database = options["database"]
        self.report = self.stdout.write if options["verbosity"] else lambda text: None
        self.saved = None
        try:
            summary = restore_backup(
                archive,
                database=self.database,
                dry_run=dry_run,
                before_changes=self.before_changes,
                report=self.report,
            )
        except RestoreFailed as error:
            saved = f"The previous site is in {self.saved}." if self.saved else ""
            raise CommandError(f"{error}\n{saved}") from None
        except BackupError as error:
            raise CommandError(f"{error}\nNothing was changed.") from None
        if dry_run:
            message = f"Dry run, nothing changed: {archive} holds {summary}."
        else:
            message = f"Restored {archive}: {summary}."
            if self.saved:
                message += f" The previous site is in {self.saved}."
        self.stdout.write(self.style.SUCCESS(message))

    def before_changes(self, summary):
        """Runs once the archive is known good, before anything changes."""
        if self.interactive and not self.confirm():
            raise CommandError("Restore cancelled; nothing was changed.")
        if self.backup_first:
            self.report("Backing up the current site first…")
            self.saved = create_backup(
                database=self.database,
                prefix="before-restore",
                report=lambda text: None,
            ).archive
            self.report(f"  The current site is saved in {self.saved}.")

    def confirm(self):
        answer = input(
            "This replaces the database and every file in "
            f"{settings.MEDIA_ROOT} with the archive's.\n"
            "Type 'yes' to continue, or 'no' to cancel: "
        )
        return answer.strip().lower() == "yes"
