"""What the site costs as its content grows: `make bench SIZE=2000`.

    python -m bench.growth [SIZE]     (default 2000)

Builds two sites in temporary folders, each with its own SQLite database: the
seed content (`load_content`, four programmes) and the seed plus SIZE made-up
programmes and SIZE organisations (bench/content.py, through the models). On
each, it measures without the page cache (bench.uncached_settings), in one
process through Django's test client: the pages visitors reach whose cost grows
with the content, the CSV download, the sitemap and the translators'
dashboard, the median of BENCH_GROWTH_ROUNDS (3) requests after one warm-up,
(BENCH_GROWTH_COMMAND_ROUNDS, default the same, for the commands;
BENCH_GROWTH_COMMANDS names some of them, comma-separated)
with the size of the answer; then `export_translations`, `import_translations`
of a one-unit change and `export_site`, each in a process of its own, with
their time and peak memory (maximum resident set size). It prints one table:
the seed's figure, SIZE's, their ratio, the answer's size at SIZE and, for
pages, the CPU time of a request (which moves less with the machine's load).

Times are wall-clock on whatever else the machine runs: compare the two columns
of one run, never figures from different days.

Building 2,000 programmes through the models takes minutes. With
BENCH_GROWTH_SITE=<folder>, the two sites are kept there (`seed/` and
`grown/`, each a DJANGO_DATA_DIR with its SQLite database) and the next run
reuses them: it migrates them and adds only the programmes SIZE asks beyond
those already made (`SIZE=200`, then `SIZE=600` adds 400 on top). A smaller
SIZE than the kept site's is refused: use another folder.
"""

import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROUNDS = int(os.environ.get("BENCH_GROWTH_ROUNDS", "3"))
# The commands measured (export_site renders every page: minutes at 2,000).
COMMANDS = os.environ.get(
    "BENCH_GROWTH_COMMANDS", "export_translations,import_translations,export_site"
).split(",")
# A folder keeping the built sites between runs (module docstring).
KEPT_SITES = os.environ.get("BENCH_GROWTH_SITE", "")
# In a site's DJANGO_DATA_DIR: how many programmes were added to the seed.
BUILT = "bench-growth.json"
# Commands run whole processes: fewer rounds keep a large run short.
COMMAND_ROUNDS = int(os.environ.get("BENCH_GROWTH_COMMAND_ROUNDS", str(ROUNDS)))


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.uncached_settings")
    import django

    django.setup()


def build(size):
    """Migrates and loads the seed, then adds `size` programmes (in this process).

    A site built before in the same DJANGO_DATA_DIR (BENCH_GROWTH_SITE) is
    migrated and given only the programmes it lacks."""
    from django.conf import settings
    from django.core.management import call_command

    from bench.content import grow

    built = Path(settings.DATA_DIR) / BUILT
    added = json.loads(built.read_text())["added"] if built.exists() else None
    if added is not None and added > size:
        sys.exit(
            f"{settings.DATA_DIR} holds {added} added programmes, more than {size}: "
            "choose another BENCH_GROWTH_SITE."
        )
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if added is None:
        call_command("load_content", verbosity=0)
        added = 0
    if size > added:
        started = time.perf_counter()
        grow(size - added, progress=lambda line: print(line, file=sys.stderr))
        print(
            f"   {size - added} programmes added in "
            f"{time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )
    built.write_text(json.dumps({"added": size}))


def addresses():
    """[(label, address, needs a staff account)] measured on each site."""
    from django.db.models import Count
    from django.urls import reverse
    from django.utils import translation

    from programmes.models import Organisation, Region

    with translation.override("fr"):
        organisation = (
            Organisation.objects.published()
            .annotate(n=Count("participations"))
            .order_by("-n", "pk")
            .first()
        )
        region = (
            Region.objects.published()
            .annotate(n=Count("programmes"))
            .order_by("-n", "pk")
            .first()
        )
        search = reverse("programmes:search")
        return [
            ("/fr/", reverse("home"), False),
            ("/fr/programmes/", reverse("programmes:programme_list"), False),
            ("/fr/organisations/", reverse("programmes:organisation_list"), False),
            (
                "organisation page (most entries)",
                organisation.get_absolute_url(),
                False,
            ),
            ("region page (most programmes)", region.get_absolute_url(), False),
            ("/fr/recherche/?q=mayag", f"{search}?q=mayag", False),
            ("/fr/recherche/?q=drogue", f"{search}?q=drogue", False),
            ("/sitemap.xml", "/sitemap.xml", False),
            # The largest section's first page (a full one at any size).
            ("/sitemap-programmes.xml", "/sitemap-programmes.xml", False),
            ("/api/v1/programmes.csv", "/api/v1/programmes.csv", False),
            ("translators' dashboard", reverse("admin:translations"), True),
        ]


def measure_pages():
    """{label: (median ms, bytes, median CPU ms)} for every address, in this
    process. CPU time (SQLite's included: it runs in this process) moves much
    less than wall time when other programs share the machine."""
    import logging

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    logging.disable(logging.WARNING)
    # A session that gave no code, as in the tests: the dashboard, not the sign-in.
    settings.ADMIN_REQUIRE_2FA = False
    # A kept site has it from the last run.
    staff = get_user_model().objects.filter(username="bench").first()
    staff = staff or get_user_model().objects.create_superuser("bench", "", "bench")
    anonymous = Client(HTTP_HOST="127.0.0.1")
    signed_in = Client(HTTP_HOST="127.0.0.1")
    signed_in.force_login(staff)
    results = {}
    for label, address, needs_staff in addresses():
        client = signed_in if needs_staff else anonymous
        response = client.get(address)
        if response.status_code != 200:
            sys.exit(f"{address} answered {response.status_code}, not 200")
        size = len(b"".join(response)) if response.streaming else len(response.content)
        times, cpu = [], []
        for _ in range(ROUNDS):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(address)
            if response.streaming:
                b"".join(response)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        results[label] = (statistics.median(times), size, statistics.median(cpu))
    return results


def command_in_process(environment, *arguments):
    """(seconds, peak MB) of `manage.py arguments` in a process of its own."""
    script = (
        "import resource, sys, time, django;"
        "django.setup();"
        "from django.core.management import call_command;"
        "t = time.perf_counter();"
        "call_command(*sys.argv[1:], verbosity=0);"
        "print(time.perf_counter() - t,"
        " resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    )
    times, peaks = [], []
    for _ in range(COMMAND_ROUNDS):
        output = subprocess.run(
            [sys.executable, "-c", script, *arguments],
            env=environment,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        times.append(float(output[-2]))
        peaks.append(float(output[-1]))
    return statistics.median(times), max(peaks)


def one_unit_file(environment, folder):
    """A PO file of one programme's English text with one translation changed."""
    from programmes.models import Programme

    programme = Programme.objects.order_by("pk").first()
    path = folder / "one.po"
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "export_translations",
            "--target=en",
            "--format=po",
            "--model=programme",
            f"--ids={programme.pk}",
            f"--output={path}",
        ],
        env=environment,
        check=True,
        capture_output=True,
    )
    lines = path.read_text().splitlines()
    for number, line in enumerate(lines):
        if line.startswith('msgstr "') and line != 'msgstr ""':
            lines[number] = line[:-1] + ' (bench)"'
            break
    path.write_text("\n".join(lines) + "\n")
    return path


def measure_commands(folder):
    environment = os.environ.copy()
    results = {}
    if "export_translations" in COMMANDS:
        results["export_translations (whole site)"] = command_in_process(
            environment,
            "export_translations",
            "--target=en",
            f"--output={folder / 'all.xlf'}",
        )
    if "import_translations" in COMMANDS:
        path = one_unit_file(environment, folder)
        results["import_translations (one unit)"] = command_in_process(
            environment, "import_translations", str(path), "--take-file"
        )
    if "export_site" in COMMANDS:
        results["export_site"] = command_in_process(
            environment,
            "export_site",
            str(folder / "export"),
            "--base-url=https://example.org",
        )
    return results


def measure_site(size):
    """Run in a fresh process whose DJANGO_DATA_DIR is an empty folder."""
    setup_django()
    build(size)
    pages = measure_pages()
    # The commands' files go in a folder of their own: a kept site stays as built.
    with tempfile.TemporaryDirectory(prefix="bench-growth-files-") as files:
        commands = measure_commands(Path(files))
    figures = Path(os.environ["DJANGO_DATA_DIR"]) / "figures.json"
    figures.write_text(json.dumps({"pages": pages, "commands": commands}))


@contextlib.contextmanager
def site_folder(size):
    """The site's DJANGO_DATA_DIR: kept in BENCH_GROWTH_SITE, else temporary."""
    if KEPT_SITES:
        folder = Path(KEPT_SITES) / ("grown" if size else "seed")
        folder.mkdir(parents=True, exist_ok=True)
        yield str(folder)
    else:
        with tempfile.TemporaryDirectory(prefix="bench-growth-") as folder:
            yield folder


def site_figures(size):
    with site_folder(size) as folder:
        environment = os.environ | {
            "DJANGO_DATA_DIR": folder,
            "DJANGO_SETTINGS_MODULE": "bench.uncached_settings",
        }
        # Its own SQLite database, and its content version in a file beside it.
        environment.pop("DATABASE_URL", None)
        environment.pop("REDIS_URL", None)
        print(f"==> Building and measuring a site with {size or 'no'} added programmes")
        subprocess.run(
            [sys.executable, "-m", "bench.growth", "--measure", str(size)],
            env=environment,
            check=True,
        )
        return json.loads((Path(folder) / "figures.json").read_text())


def human_size(count):
    return f"{count / 1024:,.0f} KB" if count >= 1024 else f"{count} B"


def print_table(size, small, large):
    print()
    print(
        f"| address or command | seed | +{size} | ratio | at +{size} "
        f"| CPU seed → +{size} |"
    )
    print("|---|---|---|---|---|---|")
    for label, (before, _bytes, *before_cpu) in small["pages"].items():
        after, length, *after_cpu = large["pages"][label]
        cpu = (
            f"{before_cpu[0]:.0f} → {after_cpu[0]:.0f} ms"
            if before_cpu and after_cpu
            else ""
        )
        print(
            f"| {label} | {before:.0f} ms | {after:.0f} ms "
            f"| {after / before:.1f}× | {human_size(length)} | {cpu} |"
        )
    for label, (before, before_mb) in small["commands"].items():
        after, after_mb = large["commands"][label]
        print(
            f"| {label} | {before:.1f} s / {before_mb:.0f} MB "
            f"| {after:.1f} s / {after_mb:.0f} MB | {after / before:.1f}× | | |"
        )
    print()
    print(
        f"Median of {ROUNDS}, wall clock, SQLite, no page cache; "
        "memory: the largest peak resident size of the runs."
    )


def main(argv):
    if argv[:1] == ["--measure"]:
        measure_site(int(argv[1]))
        return
    size = int(argv[0]) if argv else 2000
    small = site_figures(0)
    large = site_figures(size)
    print_table(size, small, large)


if __name__ == "__main__":
    main(sys.argv[1:])
