"""Django's deployment checklist (`check --deploy`) with production settings."""

import ast
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import in_fresh_process

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


def deploy_check(tmp_path, **environment):
    """`check --deploy --fail-level WARNING`, as the deploy steps run it."""
    return manage(
        "check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path, **environment
    )


def test_deploy_checks_pass_with_production_settings(tmp_path):
    result = deploy_check(tmp_path, **production())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_checks_warn_when_two_step_verification_is_optional(tmp_path):
    result = deploy_check(tmp_path, **production(DJANGO_ADMIN_REQUIRE_2FA="0"))

    assert result.returncode != 0
    assert "accounts.W001" in result.stderr
    assert "DJANGO_ADMIN_REQUIRE_2FA=0" in result.stderr


def test_no_such_warning_in_development(tmp_path):
    result = deploy_check(
        tmp_path, **production(DJANGO_DEBUG="1", DJANGO_ADMIN_REQUIRE_2FA="0")
    )

    assert "accounts.W001" not in result.stdout + result.stderr


def test_deploy_checks_fail_without_https(tmp_path):
    # The same command really checks: plain-HTTP settings are flagged.
    result = deploy_check(tmp_path, **production(DJANGO_HTTPS="0"))

    assert result.returncode != 0
    assert "security.W004" in result.stderr  # no HSTS
    assert "security.W012" in result.stderr  # session cookie not Secure


def unexplained_silences(silenced, source):
    """The silenced check ids `source` (settings.py) does not give a reason for:
    each must be written there as a string with a comment on its line or the
    line above."""
    lines = source.splitlines()
    explained = {
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and (
            "#" in lines[node.lineno - 1]
            or lines[node.lineno - 2].strip().startswith("#")
        )
    }
    return [check for check in silenced if check not in explained]


def silenced_checks(tmp_path, **environment):
    """SILENCED_SYSTEM_CHECKS as the site's settings compute it."""
    code = "print(json.dumps(settings.SILENCED_SYSTEM_CHECKS))"
    return in_fresh_process(code, tmp_path, **environment)


def test_every_silenced_check_says_why(tmp_path):
    source = (BASE_DIR / "interpol_drugs" / "settings.py").read_text()
    for environment in ({}, production()):
        silenced = silenced_checks(tmp_path, **environment)

        assert unexplained_silences(silenced, source) == []


@pytest.mark.parametrize(
    ("source", "unexplained"),
    [
        ('SILENCED_SYSTEM_CHECKS = ["security.W008"]', ["security.W008"]),
        ("SILENCED_SYSTEM_CHECKS = []", ["security.W008"]),  # silenced elsewhere
        ('SILENCED_SYSTEM_CHECKS = ["security.W008"]  # the proxy redirects', []),
        (
            "SILENCED_SYSTEM_CHECKS = [\n"
            "    # the proxy redirects\n"
            '    "security.W008",\n'
            "]",
            [],
        ),
    ],
)
def test_a_silenced_check_without_a_reason_is_reported(source, unexplained):
    assert unexplained_silences(["security.W008"], source) == unexplained
