from django.core.management.base import BaseCommand

from programmes.content.search_index import rebuild


class Command(BaseCommand):
    help = (
        "Write the search index again from the content (programmes/content/"
        "search_index.py). Saves keep it current; run this after changing content "
        "with queryset.update() or raw SQL."
    )

    def handle(self, *args, verbosity, **options):
        count = rebuild()
        if verbosity:
            self.stdout.write(f"Search index rebuilt: {count} entries.")
