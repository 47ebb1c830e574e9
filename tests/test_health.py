"""/healthz (the process answers) and /readyz (the database and cache answer)."""

import pytest
from django.core.cache import cache
from django.db import connections
from django.db.utils import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Content-Type"] == "application/json"


def test_readyz_checks_the_database_and_the_cache(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


@pytest.mark.parametrize("url", ["/healthz", "/readyz"])
def test_probes_are_never_cached_and_set_no_cookie(client, url):
    response = client.get(url, headers={"accept-language": "en"})

    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    assert len(response.content) < 100


@pytest.mark.parametrize("url", ["/healthz", "/readyz"])
def test_probes_are_not_sent_to_a_language(client, url):
    for accept_language in ("en", "fr", ""):
        response = client.get(url, headers={"accept-language": accept_language})
        assert response.status_code == 200
    assert client.get(f"/fr{url}").status_code == 404
    assert client.get(f"{url}/").status_code == 404


@pytest.mark.parametrize("url", ["/healthz", "/readyz"])
def test_probes_only_read(client, url):
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


def test_readyz_is_503_and_names_the_database_when_it_is_down(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "ensure_connection", refuse)
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "unavailable",
        "cache": "ok",
    }
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("failing", ["set", "get"])
def test_readyz_is_503_and_names_the_cache_when_it_raises(client, monkeypatch, failing):
    def refuse(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to redis:6379")

    monkeypatch.setattr(cache, failing, refuse)
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "cache": "unavailable",
    }
    # The live-process probe does not care.
    assert client.get("/healthz").status_code == 200
