from django.core.management.base import BaseCommand, CommandError

from programmes.content.loading import (
    CREATED,
    DEFAULT_CONTENT_FILE,
    UNCHANGED,
    ContentError,
    ContentLoader,
)


class Command(BaseCommand):
    help = (
        "Load the site's source content (programmes, organisations, regions, "
        "home page) from a TOML file. Safe to run again: it never overwrites or "
        "restores what an editor changed or deleted in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            default=str(DEFAULT_CONTENT_FILE),
            help="Content file to load (default: %(default)s).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would change, and write nothing.",
        )

    def handle(self, *args, file, dry_run, verbosity, **options):
        if verbosity:
            self.stdout.write(
                f"Loading content from {file}{' (dry run)' if dry_run else ''}…"
            )
        loader = ContentLoader(progress=self.progress if verbosity else None)
        self.verbosity = verbosity
        try:
            report = loader.load(file, dry_run=dry_run)
        except ContentError as error:
            raise CommandError(
                f"{error}\nNothing was written. "
                "Fix the content file and run load_content again."
            ) from None
        prefix = "Dry run, nothing written: " if dry_run else "Content loaded: "
        self.stdout.write(self.style.SUCCESS(prefix + report.summary() + "."))

    def progress(self, key, outcome):
        # Verbosity 1 shows what changed; 2 also shows records left as they were.
        if outcome in (UNCHANGED,) and self.verbosity < 2:
            return
        style = self.style.SUCCESS if outcome == CREATED else self.style.NOTICE
        self.stdout.write(f"  {key}: " + style(outcome))
