"""What exporting the whole site's translations costs (issue 20's target:
≤ 3 s and ≤ 150 MB at 2,000 programmes), format by format.

    DJANGO_DATA_DIR=<folder> python bench/export_cost.py build 500
    DJANGO_DATA_DIR=<folder> python bench/export_cost.py [xliff xliff2 po]

`build` makes the site in DJANGO_DATA_DIR (the seed and SIZE made-up
programmes and organisations, as `make bench SIZE=…` does, bench/growth.py).
Otherwise it runs `manage.py export_translations --target=en` of the whole
site in a process of its own BENCH_GROWTH_COMMAND_ROUNDS times (3) per format,
and prints the median time (wall-clock, and the CPU time of the process, which
moves less with the machine's load), the peak memory (maximum resident set
size, the largest of the rounds) and the file's size. It runs the code of the
current directory: run it from another checkout (python
/path/to/bench/export_cost.py) to compare two versions on one database.
"""

import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.uncached_settings")
# The bench's own settings: no shared cache, SQLite in DJANGO_DATA_DIR.
os.environ.pop("REDIS_URL", None)
os.environ.pop("DATABASE_URL", None)

FORMATS = {"xliff": [], "xliff2": ["--xliff-version=2.0"], "po": ["--format=po"]}
ROUNDS = int(os.environ.get("BENCH_GROWTH_COMMAND_ROUNDS", "3"))
SCRIPT = (
    "import resource, sys, time, django;"
    "django.setup();"
    "from django.core.management import call_command;"
    "t, c = time.perf_counter(), time.process_time();"
    "call_command(*sys.argv[1:], verbosity=0);"
    "print(time.perf_counter() - t, time.process_time() - c,"
    " resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
)


def command_cost(*arguments):
    """(wall s, CPU s, peak MB) of `manage.py arguments`: medians, largest peak."""
    rounds = [
        [
            float(figure)
            for figure in subprocess.run(
                [sys.executable, "-c", SCRIPT, *arguments],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.split()[-3:]
        ]
        for _ in range(ROUNDS)
    ]
    wall, cpu, peak = zip(*rounds, strict=True)
    return statistics.median(wall), statistics.median(cpu), max(peak)


def main(argv):
    from bench.growth import build, setup_django

    if argv[:1] == ["build"]:
        setup_django()
        build(int(argv[1]))
        return
    folder = Path(os.environ["DJANGO_DATA_DIR"])
    for name in argv or list(FORMATS):
        path = folder / f"all-{name}.{'po' if name == 'po' else 'xlf'}"
        wall, cpu, peak = command_cost(
            "export_translations",
            "--target=en",
            *FORMATS[name],
            f"--output={path}",
        )
        print(
            f"export_translations --target=en {' '.join(FORMATS[name])}: "
            f"{wall:.2f} s (CPU {cpu:.2f} s), peak {peak:.0f} MB, "
            f"{path.stat().st_size // 1024} KB",
            flush=True,
        )


if __name__ == "__main__":
    main(sys.argv[1:])
