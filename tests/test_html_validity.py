"""The Nu HTML Checker (npm's vnu-jar) on every public page and stylesheet."""

import shutil
from pathlib import Path

import pytest

from .helpers import checker_or_skip, errors_and_warnings, nu_html_messages
from .pages import PUBLIC_PAGES

# Slow (runs the Nu HTML Checker, in Java): make test-fast leaves it out.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

STYLESHEETS = [
    Path(__file__).resolve().parent.parent / "static" / "css" / "site.css",
    Path(__file__).resolve().parent.parent / "static" / "admin-site" / "admin.css",
]


def test_every_public_page_and_stylesheet_is_valid(client, content, tmp_path):
    checker_or_skip()
    for name, path in PUBLIC_PAGES:
        (tmp_path / f"{name}.html").write_bytes(client.get(path).content)
    for stylesheet in STYLESHEETS:
        shutil.copy(stylesheet, tmp_path)

    problems = errors_and_warnings(
        nu_html_messages(tmp_path, options=["--also-check-css"])
    )
    assert len(list(tmp_path.glob("*.html"))) == len(PUBLIC_PAGES)
    assert problems == []
