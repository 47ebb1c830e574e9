"""A flood of sign-in attempts never breaks the public pages (not timed: the
figures are bench/signin_flood.py's)."""

import pytest

from bench import signin_flood

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """gunicorn as `make run` starts it, on SQLite in a data folder of its own."""
    folder = tmp_path_factory.mktemp("signin-flood")
    signin_flood.prepare_data(folder / "data")
    with open(folder / "gunicorn.log", "wb") as log:
        process, port = signin_flood.start_site(folder / "data", log)
    try:
        yield port
    finally:
        signin_flood.servers.stop(process)


def test_public_pages_answer_during_a_sign_in_flood(site):
    pages, attempts = signin_flood.during_flood(site, rate=6, seconds=5, readers=2)

    assert set(pages.statuses) == {200}, pages.statuses
    assert pages.latencies
    # Every attempt answered: the form again (200), or refused (429), never 5xx.
    assert set(attempts.statuses) <= {200, 429}, attempts.statuses
    assert sum(attempts.statuses.values()) == 30
