"""The Nu HTML Checker (npm's vnu-jar) on every public page and stylesheet."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .helpers import VNU, checker_or_skip
from .pages import PUBLIC_PAGES

pytestmark = pytest.mark.django_db

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

    result = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU),
            "--format",
            "json",
            "--also-check-css",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )

    messages = json.loads(result.stderr or result.stdout)["messages"]
    problems = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "warning"
    ]
    assert len(list(tmp_path.glob("*.html"))) == len(PUBLIC_PAGES)
    assert problems == []
