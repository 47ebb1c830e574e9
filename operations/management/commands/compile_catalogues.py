import shutil
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Compile the translation catalogues of LOCALE_PATHS (.po to .mo). Uses GNU "
        "gettext's msgfmt when installed, and polib otherwise, so that a fresh "
        "machine needs no system package."
    )

    def handle(self, *args, verbosity, **options):
        if shutil.which("msgfmt"):
            call_command(
                "compilemessages",
                ignore_patterns=[".venv", "var", "node_modules"],
                verbosity=verbosity,
            )
            return
        catalogues = sorted(
            po_path
            for locale_path in settings.LOCALE_PATHS
            for po_path in Path(locale_path).glob("*/LC_MESSAGES/*.po")
        )
        for po_path in catalogues:
            try:
                catalogue = polib.pofile(str(po_path))
            except (OSError, ValueError) as error:
                raise CommandError(f"Cannot read {po_path}: {error}") from None
            catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
            if verbosity:
                self.stdout.write(f"processing file {po_path.name} in {po_path.parent}")
        self.stdout.write(
            self.style.SUCCESS(f"Compiled {len(catalogues)} catalogue(s) with polib.")
        )
