"""Without Chromium, browser tests are skipped with the install command; not in CI."""

from types import SimpleNamespace

import pytest

from tests.browser import conftest as browser_setup


def fake_items():
    browser_test = SimpleNamespace(
        path=browser_setup.BROWSER_TESTS / "test_x.py", marks=[]
    )
    other_test = SimpleNamespace(
        path=browser_setup.BROWSER_TESTS.parent / "test_y.py", marks=[]
    )
    for item in (browser_test, other_test):
        item.add_marker = item.marks.append
    return browser_test, other_test


def test_without_chromium_browser_tests_are_skipped_with_the_install_command(
    monkeypatch,
):
    monkeypatch.setattr(browser_setup, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.delenv("CI", raising=False)
    browser_test, other_test = fake_items()

    browser_setup.pytest_collection_modifyitems(None, [browser_test, other_test])

    assert other_test.marks == []
    marks = {mark.name: mark for mark in browser_test.marks}
    assert set(marks) == {"slow", "skip"}
    assert "apt-get install chromium" in marks["skip"].kwargs["reason"]


def test_browser_tests_are_slow_ones(monkeypatch):
    # make test-fast leaves them out, with or without Chromium.
    monkeypatch.setattr(browser_setup, "CHROMIUM", __file__)
    browser_test, other_test = fake_items()

    browser_setup.pytest_collection_modifyitems(None, [browser_test, other_test])

    assert [mark.name for mark in browser_test.marks] == ["slow"]
    assert other_test.marks == []


def test_in_ci_a_missing_chromium_fails_the_run(monkeypatch):
    monkeypatch.setattr(browser_setup, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("CI", "true")

    with pytest.raises(pytest.UsageError, match="CI never skips the browser tests"):
        browser_setup.pytest_collection_modifyitems(None, list(fake_items()))
