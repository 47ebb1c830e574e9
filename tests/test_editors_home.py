"""The editors' home page and `manage.py check_links` (programmes/editing/home.py,
links.py), against a local server answering 200, 301, 404, 500 and never."""

import configparser
import re
import threading
import time
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from programmes.models import LinkCheck, Source

from .factories import make_organisation, make_programme
from .helpers import parse, text_of

pytestmark = pytest.mark.django_db

NEVER_SECONDS = 3


class Answers(BaseHTTPRequestHandler):
    seen_agents = []

    def answer(self, body):
        self.seen_agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/never":
            time.sleep(NEVER_SECONDS)
            return
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.end_headers()
            return
        if self.path == "/no-head" and self.command == "HEAD":
            self.send_response(405)
            self.end_headers()
            return
        status = {"/ok": 200, "/no-head": 200, "/gone": 404, "/broken": 500}[self.path]
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if body:
            self.wfile.write(b"ok")

    def do_HEAD(self):
        self.answer(body=False)

    def do_GET(self):
        self.answer(body=True)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Answers)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_check_links_records_each_answer_and_the_home_lists_the_broken(
    server, editor_client
):
    programme = make_programme(website_en=f"{server}/broken")
    make_organisation(website=f"{server}/ok")
    for order, path in enumerate(["ok", "moved", "gone", "never", "no-head"]):
        Source.objects.create(
            programme=programme,
            title_en=path,
            url=f"{server}/{path}",
            display_order=order,
        )
    out = StringIO()

    call_command("check_links", "--timeout=1", stdout=out)

    found = {
        check.url.removeprefix(server): (check.status, check.is_broken)
        for check in LinkCheck.objects.all()
    }
    assert found == {
        "/ok": (200, False),
        "/moved": (200, False),
        "/no-head": (200, False),
        "/gone": (404, True),
        "/broken": (500, True),
        "/never": (None, True),
    }
    assert "Links checked: 6, working: 3, broken: 3." in out.getvalue()
    assert "[6/6]" in out.getvalue()
    assert all(
        agent.startswith("interpol-drugs-link-checker/")
        for agent in Answers.seen_agents
    )

    home = text_of(editor_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en"))
    links = home[home.index("Links to check") :]
    assert f"gone — {server}/gone — error 404" in links
    assert f"never — {server}/never — no answer" in links
    assert f"{server}/broken — error 500" in links
    assert f"{server}/ok " not in links


def test_a_check_older_than_a_year_is_listed_again(editor_client):
    programme = make_programme()
    Source.objects.create(
        programme=programme, title_en="Old", url="https://example.org/old"
    )
    LinkCheck.objects.create(
        url="https://example.org/old",
        status=200,
        checked_at=timezone.now() - timedelta(days=400),
    )

    home = text_of(editor_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en"))

    assert "https://example.org/old — not checked for a year" in home


def test_the_editors_home_lists_drafts_schedule_changes_and_stale_figures(
    editor, editor_client
):
    draft = make_programme(status="draft")
    draft._history_user = editor
    draft.name_en = "My draft programme"
    draft.save()
    make_programme(
        name_en="Scheduled programme",
        published_at=timezone.now() + timedelta(days=3),
    )
    fresh = make_programme(name_en="Checked programme")
    Source.objects.create(programme=fresh, title_en="Recent", checked_on=date.today())

    home = text_of(editor_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en"))

    def section(title, following):
        return home[home.index(title) : home.index(following)]

    assert "My draft programme" in section("My drafts", "Scheduled publications")
    assert "Scheduled programme" in section("Scheduled publications", "Recently")
    recent = section("Recently changed", "Figures to confirm")
    assert "My draft programme (programme) — editor," in recent
    figures = section("Figures to confirm", "Links to check")
    assert "Scheduled programme" in figures
    assert "Checked programme" not in figures


def test_translators_keep_their_own_home(translator_client):
    response = translator_client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:translations")


# --- check_links on a schedule: the home page and `check --database` warn ------


def overdue_warning(client, language):
    home = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE=language)
    found = parse(home).find(".//*[@id='home-links-overdue']")
    return found if found is None else " ".join("".join(found.itertext()).split())


def database_check():
    out, err = StringIO(), StringIO()
    call_command("check", "--database", "default", stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


@pytest.mark.parametrize(("age_days", "overdue"), [(None, True), (9, True), (7, False)])
def test_the_home_and_the_checks_warn_when_check_links_has_not_run_lately(
    editor_client, settings, age_days, overdue
):
    settings.LINK_CHECKS_OVERDUE_DAYS = 8
    Source.objects.create(
        programme=make_programme(), title_en="Cited", url="https://example.org/a"
    )
    if age_days is not None:
        LinkCheck.objects.create(
            url="https://example.org/a",
            status=200,
            checked_at=timezone.now() - timedelta(days=age_days),
        )

    english = overdue_warning(editor_client, "en")
    check = database_check()

    if not overdue:
        assert english is None
        assert "programmes.W001" not in check
    elif age_days is None:
        assert english == (
            "No address has been checked yet: ask whoever runs the server to "
            "schedule manage.py check_links."
        )
        assert "programmes.W001" in check
        assert "have never been checked" in check
    else:
        assert "more than 8 days ago: ask whoever runs the server whether" in english
        assert "il y a plus de 8 jours" in overdue_warning(editor_client, "fr")
        assert "more than 8 days ago: is check_links scheduled?" in check


def test_no_address_cited_no_warning_and_plain_checks_query_nothing(
    editor_client, django_assert_num_queries
):
    assert overdue_warning(editor_client, "en") is None
    assert "programmes.W001" not in database_check()
    with django_assert_num_queries(0):
        call_command("check", stdout=StringIO())


def test_the_link_check_is_silent_before_the_first_migrate(monkeypatch):
    from django.db import OperationalError

    from programmes.editing import links

    def no_table(*args, **kwargs):
        raise OperationalError("no such table: programmes_linkcheck")

    monkeypatch.setattr(links, "last_run", no_table)
    assert links.links_checked_lately(None, databases=["default"]) == []


def test_the_documented_schedules_run_check_links_weekly_within_the_allowed_age(
    settings,
):
    root = Path(settings.BASE_DIR)
    units = {}
    for name in ("check-links.service", "check-links.timer"):
        unit = configparser.ConfigParser(interpolation=None)
        unit.optionxform = str
        unit.read(root / "deploy" / name)
        units[name] = unit
    assert units["check-links.service"]["Service"]["ExecStart"].endswith(
        "manage.py check_links"
    )
    assert units["check-links.service"]["Service"]["Type"] == "oneshot"
    timer = units["check-links.timer"]["Timer"]
    # One weekday: every 7 days, within the 8 allowed before the warning.
    assert re.fullmatch(
        r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \*-\*-\* [\d:]+", timer["OnCalendar"]
    )
    assert timer["Persistent"] == "true"
    assert settings.LINK_CHECKS_OVERDUE_DAYS > 7

    operations = (root / "docs" / "operations.md").read_text()
    cron = re.search(r"^(\S+ \S+ \S+ \S+ \S+)  cd .*check_links", operations, re.M)
    minute, hour, day, month, weekday = cron.group(1).split()
    assert (day, month) == ("*", "*") and weekday.isdigit()
    assert "\ncheck-links: " in (root / "Makefile").read_text()
