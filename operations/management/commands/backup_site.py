from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from operations.backups import BackupError, create_backup, human_size


class Command(BaseCommand):
    help = (
        "Write the database and the uploaded files to one .tar.gz archive, "
        "with a manifest that restore_site checks. Safe while the site runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help=(
                "Archive file or folder (default: a dated file in BACKUP_DIR, "
                "var/backups/)."
            ),
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="Database alias to back up (default: %(default)s).",
        )

    def handle(self, *args, output, database, verbosity, **options):
        report = self.stdout.write if verbosity else lambda message: None
        try:
            summary = create_backup(output, database=database, report=report)
        except BackupError as error:
            raise CommandError(f"{error}\nNo backup was written.") from None
        if verbosity >= 2:
            for model in summary.models:
                self.stdout.write(f"  {model['model']}: {model['rows']}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {summary.archive} "
                f"({human_size(summary.archive_bytes)}): {summary}."
            )
        )
