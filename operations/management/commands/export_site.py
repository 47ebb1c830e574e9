from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from operations.static_export import ExportError, export_site

LOCAL_PREVIEW_URL = "http://localhost:8000"


class Command(BaseCommand):
    help = (
        "Write the whole public site, in every language, as static files into "
        "DIR (pages, sitemap, feeds, open data, static files, images). A rerun "
        "rewrites only what changed (operations/static_export.py)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help="The export folder.")
        parser.add_argument(
            "--base-url",
            help=(
                "The static site's public address, such as https://example.org, "
                "for canonical links, the sitemap and the feeds (default: "
                f"DJANGO_SITE_URL, else {LOCAL_PREVIEW_URL})."
            ),
        )
        parser.add_argument(
            "--allow-broken-links",
            action="store_true",
            help=(
                "Write the export even when some internal links lead to no page "
                "or file (they are listed); by default such an export is refused."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say what would be written and removed, and change nothing.",
        )

    def handle(self, *args, directory, base_url, dry_run, verbosity, **options):
        base_url = base_url or settings.SITE_URL
        if not base_url:
            base_url = LOCAL_PREVIEW_URL
            self.stderr.write(
                f"No --base-url nor DJANGO_SITE_URL: absolute addresses point at "
                f"{base_url}, right for a local preview, not for publishing."
            )
        say = self.stdout.write if verbosity else lambda message: None
        say(f"Exporting the public site at {base_url} into {directory}…")
        try:
            summary = export_site(
                directory,
                base_url,
                dry_run=dry_run,
                allow_broken_links=options["allow_broken_links"],
                progress=lambda count, total=None: say(
                    f"Rendered {count} pages and files…"
                    if total is None
                    else f"Wrote {count} of {total} files…"
                ),
                note=self.stdout.write if verbosity >= 2 else None,
            )
        except ExportError as error:
            raise CommandError(str(error)) from None
        verb = "Would export" if dry_run else "Exported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {summary.files} files to {directory} ({summary.written} "
                f"written, {summary.unchanged} unchanged, {summary.removed} removed) "
                f"in {summary.seconds:.1f} s."
            )
        )
        if summary.broken_links:
            self.stderr.write(
                f"{len(summary.broken_links)} internal links lead to no page or file "
                "(written anyway, --allow-broken-links):"
            )
            for link in summary.broken_links:
                self.stderr.write(f"  {link}")
