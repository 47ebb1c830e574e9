from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from programmes.languages import language_codes
from programmes.translating.exchange.formats import FORMAT_NAMES, PO, XLIFF, XLIFF2
from programmes.translating.exchange.writing import export_translations
from programmes.translating.status import TRACKED_MODELS


class Command(BaseCommand):
    help = (
        "Write the translated fields into one language as an XLIFF or PO file "
        "for a translator's tool: one unit per field with its id, source text, "
        "current translation, status and notes (programmes/translating/exchange/). "
        "Bring the translated file back with import_translations."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--target",
            required=True,
            choices=language_codes(),
            help="The language to translate into.",
        )
        parser.add_argument(
            "--format",
            dest="file_format",
            choices=[XLIFF, PO],
            default=XLIFF,
            help="xliff (default) or po.",
        )
        parser.add_argument(
            "--xliff-version",
            choices=["1.2", "2.0"],
            default="1.2",
            help="1.2 (default: every translation tool reads it) or 2.0.",
        )
        parser.add_argument(
            "--only-outdated",
            action="store_true",
            help="Only the missing and outdated translations (the work to do).",
        )
        parser.add_argument(
            "--model",
            action="append",
            dest="models",
            choices=[model._meta.model_name for model in TRACKED_MODELS],
            help="Only this kind of record (repeat for several; default: all).",
        )
        parser.add_argument(
            "--ids",
            help="Only these records of the one --model, by id: 3,7,12.",
        )
        parser.add_argument(
            "--base-url",
            help=(
                "The site's public address, such as https://example.org, for the "
                "page and admin addresses in the notes (default: DJANGO_SITE_URL; "
                "without either, the notes give paths)."
            ),
        )
        parser.add_argument("--output", required=True, metavar="FILE")

    def handle(self, *args, **options):
        # Notes are written in the target language; messages here in English.
        with translation.override("en"):
            self.export(**options)

    def export(self, *, target, file_format, xliff_version, only_outdated, **options):
        models_ = None
        if options["models"]:
            by_name = {model._meta.model_name: model for model in TRACKED_MODELS}
            models_ = [by_name[name] for name in options["models"]]
        ids = self.parse_ids(options["ids"], models_)
        if file_format == XLIFF and xliff_version == "2.0":
            file_format = XLIFF2
        output = Path(options["output"])
        what = "missing and outdated translations" if only_outdated else "fields"
        self.stdout.write(
            f"Exporting the {what} to translate into {target} as "
            f"{FORMAT_NAMES[file_format]} to {output}…"
        )
        try:
            # Written unit by unit: memory holds one chunk of records.
            with output.open("wb") as file:
                export = export_translations(
                    target,
                    file_format,
                    only_outdated=only_outdated,
                    models_=models_,
                    ids=ids,
                    base_url=options["base_url"] or settings.SITE_URL,
                    output=file,
                )
        except OSError as error:
            raise CommandError(
                f"Cannot write {output}: {error.strerror}. Choose another --output."
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {export.units} unit{'' if export.units == 1 else 's'} "
                f"({export.missing} missing, "
                f"{export.outdated} outdated) to {output}."
            )
        )

    def parse_ids(self, value, models_):
        if not value:
            return None
        if not models_ or len(models_) != 1:
            raise CommandError("--ids needs exactly one --model: --model programme.")
        try:
            return [int(part) for part in value.split(",") if part.strip()]
        except ValueError:
            raise CommandError(
                f"--ids takes record ids separated by commas (3,7,12), not {value!r}."
            ) from None
