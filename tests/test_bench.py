"""bench/run.py: reading wrk's reports, the ratios and the targets (no timing here)."""

import io

import pytest

from bench import growth, render, run, servers
from bench.content import grow
from bench.run import CACHED, FRONT, LIMIT, REFERENCE, UNCACHED, Result
from programmes.languages import language_codes
from programmes.models import Organisation, Participation, Programme, SearchEntry

from .helpers import in_fresh_process

WRK_REPORT = """\
Running 10s test @ http://127.0.0.1:8107/fr/
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   334.47us  827.55us  11.96ms   91.27%
    Req/Sec    35.07k    17.68k   70.16k    71.43%
  Latency Distribution
     50%   92.00us
     75%  123.00us
     90%    0.98ms
     99%    1.02s
  73271 requests in 10.10s, 21.52MB read
  Socket errors: connect 1, read 2, write 3, timeout 4
  Non-2xx or 3xx responses: 17
Requests/sec:  66693.91
Transfer/sec:     19.59MB
"""

CLEAN_REPORT = """\
Running 1s test @ http://127.0.0.1:8109/
  1 threads and 1 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   262.07us  659.64us   5.32ms   89.69%
    Req/Sec    34.78k     9.97k   46.76k    80.00%
  Latency Distribution
     50%   20.00us
     75%   21.00us
     90%    0.95ms
     99%    3.34ms
  34627 requests in 1.00s, 7.83MB read
Requests/sec:  34563.58
Transfer/sec:      7.81MB
"""


def test_parse_wrk_reads_rate_latencies_and_errors():
    result = run.parse_wrk(WRK_REPORT)

    assert result.requests_per_second == 66693.91
    assert result.p50_ms == pytest.approx(0.092)
    assert result.p99_ms == pytest.approx(1020.0)
    assert result.requests == 73271
    assert result.bad_statuses == 17
    assert result.socket_errors == {"connect": 1, "read": 2, "write": 3, "timeout": 4}
    assert result.errors == 27


def test_parse_wrk_without_errors():
    result = run.parse_wrk(CLEAN_REPORT)

    assert result.requests_per_second == 34563.58
    assert result.p50_ms == pytest.approx(0.02)
    assert result.p99_ms == pytest.approx(3.34)
    assert result.errors == 0 and result.socket_errors == {}


def test_parse_wrk_refuses_a_report_without_latencies():
    with pytest.raises(ValueError, match="wrk --latency"):
        run.parse_wrk(CLEAN_REPORT.replace("99%", "98%"))


@pytest.mark.parametrize(
    ("text", "milliseconds"),
    [("850.00us", 0.85), ("1.23ms", 1.23), ("2.01s", 2010.0), ("1.50m", 90_000.0)],
)
def test_wrk_durations_in_milliseconds(text, milliseconds):
    assert run.to_ms(text) == pytest.approx(milliseconds)


def test_an_unknown_duration_is_refused():
    with pytest.raises(ValueError):
        run.to_ms("3 parsecs")


def test_ratio_and_median():
    assert run.ratio(500, 100_000) == 0.005
    assert run.ratio(500, 0) == 0.0
    results = [Result(rate, rate / 100, rate / 10) for rate in (30, 10, 20)]
    assert run.median_result(results).requests_per_second == 20
    assert run.median_result(results).p99_ms == 2  # the latencies of that run


def page(uncached, cached, front, limit, p99=10.0):
    return {
        UNCACHED: Result(uncached, 1, 100),  # no latency target when uncached
        CACHED: Result(cached, 1, p99),
        FRONT: Result(front, 1, p99),
        LIMIT: Result(limit, 1, 1),
    }


def test_targets_met():
    table = {"home": page(uncached=500, cached=4_000, front=80_000, limit=100_000)}
    load = {FRONT: Result(1, 1, 1, requests=10), CACHED: Result(1, 1, 1)}

    checks = run.check_targets(table, load)

    assert [passed for _target, passed, _measured in checks] == [True] * len(checks)
    assert len(checks) == 3 + 2 + 2  # ratios, cached p99s, loads
    assert ("home: nginx front ≥ 0.8 × static limit", True, "0.8000") in checks


@pytest.mark.parametrize(
    ("figures", "missed"),
    [
        ({"front": 79_000}, "home: nginx front ≥ 0.8 × static limit"),
        ({"cached": 3_999}, "home: app cached ≥ 0.04 × static limit"),
        ({"uncached": 499}, "home: app uncached ≥ 0.005 × static limit"),
        ({"p99": 50.0}, "home: app cached p99 < 50 ms at 32 connections"),
    ],
)
def test_each_missed_target_fails(figures, missed):
    values = {"uncached": 500, "cached": 4_000, "front": 80_000, "limit": 100_000}
    table = {"home": page(**(values | figures))}

    checks = run.check_targets(table, {})

    failed = [target for target, passed, _measured in checks if not passed]
    assert missed in failed
    assert run.format_checks(checks).count("FAIL  ") == len(failed)


def test_any_error_under_load_fails():
    load = {
        FRONT: Result(1, 1, 1, requests=100, bad_statuses=1),
        CACHED: Result(1, 1, 1, requests=100, socket_errors={"timeout": 2}),
    }

    checks = run.check_targets({}, load)

    assert [passed for _target, passed, _measured in checks] == [False, False]
    assert "1 bad statuses" in checks[0][2] and "2 timeout" in checks[1][2]


def test_the_table_shows_ratios_and_queries():
    table = {"home": page(uncached=500, cached=4_000, front=80_000, limit=100_000)}
    queries = {"home": {UNCACHED: 3, CACHED: 0, FRONT: 0, LIMIT: ""}}

    lines = run.format_table(table, queries).splitlines()

    assert lines[0].split("|")[1:-1] == [
        " page ",
        " server       ",
        "   req/s ",
        " p50 ms ",
        " p99 ms ",
        " × limit ",
        " × ref ",
        " queries ",
    ]
    uncached = [cell.strip() for cell in lines[2].split("|")[1:-1]]
    assert uncached == [
        "home",
        "app uncached",
        "500",
        "1.00",
        "100.00",
        "0.0050",
        "",
        "3",
    ]
    assert lines[5].split("|")[6].strip() == "1.0000"  # the limit itself


def test_a_cache_hit_is_measured_against_the_cache_page_reference():
    table = {"home": page(uncached=500, cached=4_000, front=80_000, limit=100_000)}
    table["home"][REFERENCE] = Result(4_500, 1, 1)

    checks = run.check_targets(table, {})
    rows = {
        cells[2].strip(): [cell.strip() for cell in cells[1:-1]]
        for cells in (
            line.split("|") for line in run.format_table(table, {}).splitlines()[2:]
        )
    }

    assert ("home: app cached ≥ 0.9 × cache_page ref", False, "0.8889") in checks
    assert rows["app cached"][6] == "0.8889"
    assert rows["cache_page ref"][6] == "1.0000"
    assert rows["nginx front"][6] == ""
    table["home"][REFERENCE] = Result(4_400, 1, 1)
    assert ("home: app cached ≥ 0.9 × cache_page ref", True, "0.9091") in (
        run.check_targets(table, {})
    )


def test_it_names_the_debian_packages_and_installs_nothing(monkeypatch):
    monkeypatch.setattr(servers.shutil, "which", lambda name: None)
    ran = []
    monkeypatch.setattr(run.subprocess, "run", lambda *a, **k: ran.append(a))

    with pytest.raises(SystemExit) as exited:
        run.main()

    assert "apt-get install wrk nginx-light" in str(exited.value.code)
    assert ran == []


def test_durations_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("BENCH_SECONDS", "3")
    assert run.environment_seconds("BENCH_SECONDS", 10) == 3
    monkeypatch.setenv("BENCH_SECONDS", "")
    assert run.environment_seconds("BENCH_SECONDS", 10) == 10
    monkeypatch.setenv("BENCH_SECONDS", "0")
    with pytest.raises(SystemExit, match="BENCH_SECONDS must be"):
        run.environment_seconds("BENCH_SECONDS", 10)


def test_the_load_script_turns_the_pages():
    script = run.ROTATE_LUA % '"/fr/", "/fr/programmes/a/"'

    assert 'local paths = {"/fr/", "/fr/programmes/a/"}' in script
    assert "next_path % #paths + 1" in script


# --- bench/render.py -------------------------------------------------------------


@pytest.mark.django_db
def test_render_measures_cpu_per_request_of_published_pages(client, content):
    paths = render.default_paths()
    median, minimum = render.measure(client, "/fr/", requests=2, rounds=3)

    assert "/fr/" in paths and "/en/programmes/aircop/" in paths
    assert 0 < minimum <= median


@pytest.mark.django_db
def test_render_refuses_a_page_that_is_not_there(client, content):
    with pytest.raises(ValueError, match="404"):
        render.measure(client, "/fr/programmes/nowhere/", requests=1, rounds=1)


# --- bench/growth.py and bench/content.py ------------------------------------------


@pytest.mark.django_db
def test_grow_adds_published_programmes_and_organisations_through_the_models():
    grow(3, progress=lambda line: None)

    assert Programme.objects.published().count() == 3
    assert Organisation.objects.published().count() == 3
    assert Participation.objects.count() == 6
    # Saved through the models: the search index has them, in every language.
    assert SearchEntry.objects.filter(programme__isnull=False).count() == 3 * len(
        language_codes()
    )
    assert Programme.objects.filter(name_fr__contains="Mayagüez").count() == 1


@pytest.mark.django_db
def test_a_kept_site_is_grown_by_what_it_lacks(tmp_path, settings, monkeypatch):
    """BENCH_GROWTH_SITE: the next run adds only the programmes beyond those
    the site holds, loads the seed once, and refuses to shrink it."""
    settings.DATA_DIR = str(tmp_path)
    commands = []
    monkeypatch.setattr(
        "django.core.management.call_command",
        lambda name, *args, **options: commands.append(name),
    )
    monkeypatch.setattr("sys.stderr", io.StringIO())

    growth.build(2)
    growth.build(5)
    growth.build(5)

    assert Programme.objects.count() == 5
    assert commands.count("load_content") == 1
    assert commands.count("migrate") == 3
    with pytest.raises(SystemExit, match="holds 5 added programmes, more than 3"):
        growth.build(3)


def test_growth_table_gives_both_sizes_their_ratio_and_the_size(capsys):
    small = {
        "pages": {"/fr/": [10.0, 5000, 8.0]},
        "commands": {"export_site": [2.0, 80.0]},
    }
    large = {
        "pages": {"/fr/": [30.0, 40960, 20.0]},
        "commands": {"export_site": [20.0, 120.0]},
    }

    growth.print_table(2000, small, large)

    table = capsys.readouterr().out
    assert "| /fr/ | 10 ms | 30 ms | 3.0× | 40 KB | 8 → 20 ms |" in table
    assert "| export_site | 2.0 s / 80 MB | 20.0 s / 120 MB | 10.0× | | |" in table


def test_the_reference_serves_the_file_from_cache_page(tmp_path):
    """bench/reference.py: the bytes of the folder's file, then cache_page hits."""
    (tmp_path / "home.html").write_bytes(b"<p>page</p>")
    code = """
from pathlib import Path
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
first = client.get("/home.html")
Path(settings.BENCH_ROOT, "home.html").write_bytes(b"changed")
second = client.get("/home.html")
print(json.dumps([first.status_code, first.content.decode(), second.content.decode(),
                  client.get("/missing.html").status_code]))
""".replace("settings.BENCH_ROOT", repr(str(tmp_path)))
    result = in_fresh_process(
        code,
        tmp_path,
        DJANGO_SETTINGS_MODULE="bench.reference",
        BENCH_REFERENCE_ROOT=str(tmp_path),
    )

    assert result == [200, "<p>page</p>", "<p>page</p>", 404]
