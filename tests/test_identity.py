"""The site's identity: its icons, /favicon.ico, and the wordmark in the header."""

from io import BytesIO

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from PIL import Image

from .helpers import parse
from .pages import PUBLIC_PAGES

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
SITE_NAMES = {
    "fr": "Programmes d’INTERPOL contre le trafic de drogues",
    "en": "INTERPOL programmes against drug trafficking",
}
ICON_LINKS = {
    # (rel, type or None): the image format the linked file must hold.
    ("icon", "image/svg+xml"): "SVG",
    ("icon", None): "ICO",
    ("apple-touch-icon", None): "PNG",
}


def test_favicon_ico_is_served_at_the_root_and_cached(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert "max-age=86400" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]
    icon = Image.open(BytesIO(response.content))
    assert icon.format == "ICO"
    assert {(16, 16), (32, 32)} <= icon.info["sizes"]


def test_favicon_ico_answers_head_and_refuses_post(client):
    assert client.head("/favicon.ico").status_code == 200
    assert client.post("/favicon.ico").status_code == 405


def image_format(href, client):
    """The format of the image `href` points to, read as a browser would get it."""
    if href.startswith(settings.STATIC_URL):
        path = finders.find(href.removeprefix(settings.STATIC_URL))
        assert path, f"{href} names no static file"
        with open(path, "rb") as file:
            data = file.read()
    else:
        response = client.get(href)
        assert response.status_code == 200, href
        data = response.content
    if data.lstrip().startswith(b"<svg"):
        return "SVG"
    return Image.open(BytesIO(data)).format


@pytest.mark.parametrize(("name", "path"), PUBLIC_PAGES)
def test_every_page_links_the_three_icons_and_they_resolve(client, content, name, path):
    tree = parse(client.get(path))

    found = {}
    for link in tree.findall(".//head/link"):
        rel = link.get("rel")
        if rel in {"icon", "apple-touch-icon"}:
            found[(rel, link.get("type"))] = image_format(link.get("href"), client)
            if rel == "icon" and link.get("type") is None:
                assert link.get("href") == "/favicon.ico"
                assert link.get("sizes") == "any"
    assert found == ICON_LINKS


def test_the_apple_touch_icon_is_180_pixels_square():
    with Image.open(finders.find("img/apple-touch-icon.png")) as icon:
        assert icon.size == (180, 180)
        # Opaque: iOS fills transparent corners with black.
        assert icon.mode == "RGB"


@pytest.mark.parametrize(("name", "path"), PUBLIC_PAGES)
def test_the_wordmark_is_text_and_a_hidden_mark_linking_home(
    client, content, name, path
):
    language = path.split("/")[1]
    tree = parse(client.get(path))

    link = tree.find(".//header//a[@class='site-name']")
    assert link.get("href") == f"/{language}/"
    # The accessible name is the site's name, as text: no image of text.
    name_text = " ".join("".join(link.itertext()).split())
    assert name_text == SITE_NAMES[language]
    assert link.find(".//img") is None
    mark = link.find(f"{SVG}svg")
    assert mark.get("aria-hidden") == "true"
    assert mark.get("focusable") == "false"
    assert mark.find(f".//{SVG}text") is None
    assert mark.find(f".//{SVG}title") is None
