from django.core.management import call_command
from django.core.management.base import BaseCommand

from programmes.languages import catalogue_languages


class Command(BaseCommand):
    help = (
        "Collect the interface strings of the code into the catalogue of every "
        "configured language (locale/<code>/LC_MESSAGES/django.po), creating a "
        "new language's. `make messages` runs it."
    )

    def handle(self, *args, verbosity, **options):
        call_command(
            "makemessages",
            locale=catalogue_languages(),
            no_location=True,
            ignore_patterns=[".venv", "var", "node_modules", "test-artifacts"],
            verbosity=verbosity,
        )
