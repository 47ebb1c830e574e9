"""Uploaded files are served by the application when no web server is in front."""

import importlib

import pytest
from django.test import override_settings
from django.urls import clear_url_caches

import interpol_drugs.urls


@pytest.fixture
def media_file(settings):
    folder = settings.MEDIA_ROOT / "images" / "programme"
    folder.mkdir(parents=True)
    (folder / "abc.webp").write_bytes(b"RIFF....WEBP")
    return "/media/images/programme/abc.webp"


def reload_urls():
    clear_url_caches()
    importlib.reload(interpol_drugs.urls)


def test_an_upload_is_served_with_a_long_cache(client, media_file):
    response = client.get(media_file)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert "max-age=31536000" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]


@pytest.mark.parametrize(
    "path",
    [
        "/media/images/programme/missing.webp",
        "/media/../var/secret_key",
        "/media/%2e%2e/secret_key",
        "/media/images/",
    ],
)
def test_nothing_outside_an_existing_upload_is_served(client, media_file, path):
    # 400 when Django refuses the path outright (SuspiciousFileOperation).
    assert client.get(path).status_code in (400, 404)


def test_uploads_are_read_only(client, media_file):
    assert client.post(media_file).status_code == 405


def test_serving_can_be_left_to_the_web_server(client, media_file):
    with override_settings(SERVE_MEDIA=False):
        reload_urls()
        assert client.get(media_file).status_code == 404
    reload_urls()
    assert client.get(media_file).status_code == 200
