"""Static files in production: hashed names, compressed, cached for a year.

collectstatic runs once, with the production storage, into a temporary
STATIC_ROOT; WhiteNoise (interpol_drugs/static_files.py) then serves it as it
does with DEBUG off.
"""

import gzip
import importlib.util
import re

import pytest
from django.template import engines
from django.template.loaders.cached import Loader as CachedLoader
from django.templatetags.static import static
from django.test import Client

from .helpers import PRODUCTION_STORAGE, in_fresh_process

A_YEAR = "max-age=31536000, public, immutable"
HASHED_CSS = re.compile(r"^/static/css/site\.[0-9a-f]{12}\.css$")


def test_production_settings_hash_and_compress_static_files(tmp_path):
    answers = in_fresh_process(
        "print(json.dumps({'storage': settings.STORAGES['staticfiles']['BACKEND'],"
        " 'middleware': settings.MIDDLEWARE}))",
        tmp_path,
        DJANGO_DEBUG="0",
    )

    assert answers["storage"] == PRODUCTION_STORAGE
    assert "interpol_drugs.static_files.StaticFilesMiddleware" in answers["middleware"]


def test_the_stylesheet_address_holds_its_hash(production_static):
    url = static("css/site.css")

    assert HASHED_CSS.match(url), url
    assert (production_static / url.removeprefix("/static/")).is_file()


def test_a_hashed_file_is_cached_for_a_year(production_static):
    response = Client().get(static("css/site.css"))

    assert response.status_code == 200
    assert response["Cache-Control"] == A_YEAR
    assert response["Content-Type"].startswith("text/css")


def test_an_unhashed_name_is_not_cached_for_ever(production_static):
    # The same file under its plain name may change with the next release.
    response = Client().get("/static/css/site.css")

    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]


def test_a_compressed_copy_is_served_to_those_who_accept_it(production_static):
    url = static("css/site.css")
    plain = b"".join(Client().get(url).streaming_content)

    response = Client().get(url, headers={"accept-encoding": "gzip"})

    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert response["Cache-Control"] == A_YEAR
    assert gzip.decompress(b"".join(response.streaming_content)) == plain


def test_brotli_copies_exist_exactly_when_brotli_is_installed(production_static):
    # WhiteNoise writes .br files only with the brotli package (not a
    # dependency: gzip is enough, and nginx can serve either).
    css = production_static / static("css/site.css").removeprefix("/static/")

    assert css.with_name(css.name + ".gz").is_file()
    assert css.with_name(css.name + ".br").is_file() == bool(
        importlib.util.find_spec("brotli")
    )


@pytest.mark.django_db
def test_pages_link_the_hashed_stylesheet(client, production_static):
    page = client.get("/en/").content.decode()

    assert static("css/site.css") in page
    assert 'href="/static/css/site.css"' not in page


# --- Templates -------------------------------------------------------------------


def test_templates_are_compiled_once_per_process():
    # No "loaders" in TEMPLATES: Django then wraps the filesystem and app
    # loaders in its cached loader.
    from django.conf import settings

    assert "loaders" not in settings.TEMPLATES[0]["OPTIONS"]
    assert isinstance(engines["django"].engine.template_loaders[0], CachedLoader)


def test_production_settings_use_the_cached_template_loader(tmp_path):
    answers = in_fresh_process(
        "from django.template import engines\n"
        "loader = engines['django'].engine.template_loaders[0]\n"
        "print(json.dumps({'debug': settings.DEBUG,"
        " 'loader': f'{type(loader).__module__}.{type(loader).__name__}'}))",
        tmp_path,
        DJANGO_DEBUG="0",
    )

    assert answers == {
        "debug": False,
        "loader": "django.template.loaders.cached.Loader",
    }
