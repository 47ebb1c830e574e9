"""Browser tests: Playwright driving Debian's Chromium against a live server.

Without Chromium they are skipped with the command that installs it; in CI
(CI set) a missing Chromium fails the run instead.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from programmes.editing.roles import EDITORS, TRANSLATORS

from ..helpers import staff_member
from .helpers import AXE

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
    for item in items:
        if BROWSER_TESTS in Path(item.path).parents:
            item.add_marker(pytest.mark.slow)
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


PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def staff_user(transactional_db):
    """An editor (the Editors group), and their password."""
    return staff_member(EDITORS, "editor", PASSWORD), PASSWORD


@pytest.fixture
def translator_user(transactional_db):
    """A translator (the Translators group), and their password."""
    return staff_member(TRANSLATORS, "translator", PASSWORD), PASSWORD


@pytest.fixture(scope="session")
def axe_source():
    script = AXE / "axe.min.js"
    if not script.exists():
        message = "axe-core is missing: npm ci --prefix tools/a11y (make test does it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return script.read_text()


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
