"""Django's deployment checklist (`check --deploy`) with production settings."""

import ast
import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def manage(*args, tmp_path, **environment):
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_DATA_DIR": str(tmp_path),
        **environment,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
    )


def production(**overrides):
    return {
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "1",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),  # 67 random characters
        "DJANGO_ALLOWED_HOSTS": "example.org",
        **overrides,
    }


def test_deploy_checks_pass_with_production_settings(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        tmp_path=tmp_path,
        **production(),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_checks_fail_without_https(tmp_path):
    # The same command really checks: plain-HTTP settings are flagged.
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        tmp_path=tmp_path,
        **production(DJANGO_HTTPS="0"),
    )

    assert result.returncode != 0
    assert "security.W004" in result.stderr  # no HSTS
    assert "security.W012" in result.stderr  # session cookie not Secure


def test_every_silenced_check_says_why():
    source = (BASE_DIR / "interpol_drugs" / "settings.py").read_text()
    lines = source.splitlines()
    silenced = [
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Assign)
        and any(getattr(t, "id", "") == "SILENCED_SYSTEM_CHECKS" for t in node.targets)
    ]
    for assignment in silenced:
        for item in assignment.value.elts:
            line = lines[item.lineno - 1]
            previous = lines[item.lineno - 2].strip()
            assert "#" in line or previous.startswith("#"), (
                f"settings.py:{item.lineno}: say why {item.value} is silenced"
            )
