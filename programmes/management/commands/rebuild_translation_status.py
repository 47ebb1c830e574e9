from django.core.management.base import BaseCommand, CommandError

from programmes.translating.status import differences, rebuild


class Command(BaseCommand):
    help = (
        "Compute every stored translation status again from the content "
        "(programmes/translating/status.py). Saves keep them current; run this "
        "after changing content with queryset.update() or raw SQL. --check "
        "compares only, and fails when a stored status is stale."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing: list the stale statuses, exit 1 if there is any.",
        )

    def handle(self, *args, check, verbosity, **options):
        if not check:
            count = rebuild()
            if verbosity:
                self.stdout.write(f"Translation statuses rebuilt: {count} fields.")
            return
        stale = differences()
        for (content_type, object_id, field, language), stored, computed in stale:
            self.stdout.write(
                f"kind {content_type}, record {object_id}, {field} ({language}): "
                f"stored {stored[0] if stored else 'nothing'}, "
                f"computed {computed[0] if computed else 'nothing'}"
            )
        if stale:
            raise CommandError(
                f"{len(stale)} stored translation statuses are stale: run "
                "manage.py rebuild_translation_status."
            )
        if verbosity:
            self.stdout.write("Every stored translation status is current.")
