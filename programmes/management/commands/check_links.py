from django.core.management.base import BaseCommand

from programmes.editing.links import (
    AT_A_TIME,
    TIMEOUT_SECONDS,
    check_all,
    cited_addresses,
)


class Command(BaseCommand):
    help = (
        "Check the addresses of sources and official websites (HEAD, then GET), "
        "a few at a time, and record each result and its date; the editors' home "
        "page in the admin lists the broken ones. Run it from cron, never during "
        "a request. Exit status 0 even when links are broken: they are reported."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--timeout",
            type=float,
            default=TIMEOUT_SECONDS,
            help=f"Seconds to wait for each answer (default {TIMEOUT_SECONDS}).",
        )
        parser.add_argument(
            "--at-a-time",
            type=int,
            default=AT_A_TIME,
            help=f"Addresses checked at once (default {AT_A_TIME}).",
        )

    def handle(self, *args, timeout, at_a_time, verbosity, **options):
        urls = cited_addresses()

        def progress(number, total, result):
            if verbosity >= 1:
                answer = result.status or result.error
                line = f"[{number}/{total}] {answer} {result.url}"
                style = self.style.ERROR if result.is_broken else (lambda text: text)
                self.stdout.write(style(line))

        results = check_all(
            urls, timeout=timeout, at_a_time=max(1, at_a_time), progress=progress
        )
        broken = [result for result in results if result.is_broken]
        self.stdout.write(
            self.style.SUCCESS(
                f"Links checked: {len(results)}, working: "
                f"{len(results) - len(broken)}, broken: {len(broken)}."
            )
        )
