"""Browser tests: Playwright driving Debian's Chromium against a live server.

Without Chromium they are skipped with the command that installs it; in CI
(CI set) a missing Chromium fails the run instead.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# calls from the same thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BROWSER_TESTS = Path(__file__).resolve().parent
ARTIFACTS = BROWSER_TESTS.parent.parent / "test-artifacts"


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    message = "Chromium is not installed: apt-get install chromium"
    if os.environ.get("CI"):
        raise pytest.UsageError(f"{message} (CI never skips the browser tests)")
    for item in items:
        if BROWSER_TESTS in Path(item.path).parents:
            item.add_marker(pytest.mark.skip(reason=message))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def site(live_server, transactional_db):
    """The live site with its real content; returns its base URL."""
    call_command("load_content", verbosity=0)
    return live_server.url


@pytest.fixture
def staff_user(transactional_db):
    """A staff member who may edit programmes, and their password."""
    password = "correct-horse-battery-staple"
    user = User.objects.create_user(
        "editor", "editor@example.org", password, is_staff=True
    )
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="programmes",
            codename__in=[
                "view_programme",
                "add_programme",
                "change_programme",
                "view_organisation",
                "view_region",
                "add_participation",
                "change_participation",
                "add_source",
                "change_source",
            ],
        )
    )
    return user, password


@pytest.fixture(scope="session")
def screenshots():
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def base_url():
    # Replaces pytest-playwright's own fixture, which pytest 9 flags as deprecated;
    # tests build their addresses from the live server instead.
    return None
