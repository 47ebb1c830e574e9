"""Small helpers shared by test modules.

Test modules never import one another: what two of them share lives here,
in conftest.py (fixtures), or in tests/pages.py, factories.py and hostile.py.
"""

import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
from functools import cache
from importlib import import_module
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import html5lib
import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from lxml import etree
from PIL import Image

from programmes.editing.images import renditions
from programmes.editing.images.checks import CheckedImageField

from .factories import add_participation, make_organisation, make_programme, make_region

BASE_DIR = Path(__file__).resolve().parent.parent


def staff_member(group, username, password=None):
    """A staff member of a group sync_roles makes from programmes/editing/roles.py
    (EDITORS, TRANSLATORS, ADMINISTRATORS): their permissions are the group's."""
    call_command("sync_roles", verbosity=0)
    user = User.objects.create_user(
        username, f"{username}@example.org", password, is_staff=True
    )
    user.groups.set([Group.objects.get(name=group)])
    return user


def logged_in(user):
    """A test client with `user` signed in (force_login: django-axes refuses a
    plain client.login() without a request)."""
    client = Client()
    client.force_login(user)
    return client


def needs(tool_is_there, message):
    """Skips the test without a tool it needs; in CI (which installs it), fails."""
    if tool_is_there:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI installs it: see .ci/run)")
    pytest.skip(message)


# --- Pages -------------------------------------------------------------------


def parse(response):
    """The page as an element tree; fails on any HTML parse error."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(response.content.decode())


def text_of(response):
    """The page's visible text, tags removed and entities decoded."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    # An abbreviation is inline: "l’<abbr>ONUDC</abbr>" reads "l’ONUDC".
    body = re.sub(r"</?abbr\b[^>]*>", "", body)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def links(tree, selector=".//a"):
    return [a.get("href") for a in tree.iterfind(selector)]


# The programme each card of a page links to (its title), not its figures' notes.
CARD_LINKS = ".//main//article[@class='card']/*[@class='card__title']/a"


def preview_url(obj, language):
    """The admin's preview of `obj` in `language`."""
    name = f"admin:programmes_{obj._meta.model_name}_preview"
    return reverse(name, args=[obj.pk, language])


# --- The Nu HTML Checker -----------------------------------------------------

VNU = BASE_DIR / "tools/a11y/node_modules/vnu-jar/build/dist/vnu.jar"


def nu_html_messages(*paths, options=()):
    """The Nu HTML Checker's messages about the files or folders `paths`."""
    checker_or_skip()
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", *options, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return json.loads(result.stderr or result.stdout)["messages"]


def errors_and_warnings(messages):
    """ "page.html:12: message" for each error or warning of the checker."""
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "warning"
    ]


def checker_or_skip():
    missing = []
    if shutil.which("java") is None:
        missing.append("Java (apt-get install default-jre-headless)")
    if not VNU.exists():
        missing.append("vnu.jar (npm ci --prefix tools/a11y)")
    if missing:
        message = "The Nu HTML Checker needs " + " and ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


# --- Settings in a fresh process ---------------------------------------------


def in_fresh_process(code, tmp_path, **environment):
    """Runs `code` with the site's settings in a new process; returns its JSON."""
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SECRET_KEY": "test",
        "DJANGO_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "interpol_drugs.settings",
        **environment,
    }
    script = "import json, django\nfrom django.conf import settings\ndjango.setup()\n"
    result = subprocess.run(
        [sys.executable, "-c", script + code],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def settings_value(name, **environment):
    """A setting as a fresh process computes it from `environment`."""
    env = {"PATH": os.environ["PATH"], "DJANGO_SECRET_KEY": "test", **environment}
    code = f"from interpol_drugs import settings; print(settings.{name})"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


PRODUCTION_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


# --- Images ------------------------------------------------------------------


def image_bytes(
    format_name="JPEG", size=(1600, 900), mode="RGB", colour="teal", **options
):
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, format_name, **options)
    return buffer.getvalue()


def stored_names(obj):
    return {obj.image.name, *renditions.rendition_files(obj.image_renditions)}


def with_image(obj, data=None, name="photo.jpg"):
    """Attach an image as the admin would: checked, re-encoded, then saved."""
    cleaned = CheckedImageField().clean(
        SimpleUploadedFile(name, data or image_bytes(), "image/jpeg")
    )
    obj.image = cleaned
    obj.image_alt_fr = "Des douaniers inspectent un conteneur."
    obj.image_alt_en = "Customs officers inspect a container."
    obj.save()
    obj.refresh_from_db()
    return obj


# --- Every public address ------------------------------------------------------

LANGUAGES = ["fr", "en"]


def build_programmes(count, organisation, region):
    for _ in range(count):
        programme = make_programme(beneficiary_countries=["GH", "NG", "BR"])
        programme.beneficiary_regions.add(region, make_region())
        add_participation(programme, organisation, role="partner", note_en="a note")
        add_participation(programme, make_organisation(), role="funder")
        programme.sources.create(
            title="A source", url="https://example.org/", language="en"
        )


def every_public_address(language, programme, organisation, region, archived):
    """{address: expected status} for every public route, in `language`."""
    with translation.override(language):
        programme_list = reverse("programmes:programme_list")
        search = reverse("programmes:search")
        former_slug = programme.get_absolute_url().replace(
            getattr(programme, f"slug_{language}"), "a-former-slug"
        )
        return {
            f"/{language}/": 200,
            programme_list: 200,
            f"{programme_list}?region={region.slug}": 200,
            f"{programme_list}?country=gh&partner={organisation.slug}": 200,
            programme.get_absolute_url(): 200,
            # The lookups a missing slug costs: former address, archived page.
            former_slug: 301,
            archived.get_absolute_url(): 410,
            f"{programme_list}nothing-here/": 404,
            f"/{language}/nothing-here/": 404,
            reverse("programmes:organisation_list"): 200,
            organisation.get_absolute_url(): 200,
            reverse("programmes:region_list"): 200,
            region.get_absolute_url(): 200,
            reverse("programmes:country_list"): 200,
            reverse("programmes:country_detail", args=["gh"]): 200,
            f"{search}?q=programme": 200,
            search: 200,
            reverse("programmes:feed"): 200,
            # Share cards (og:image): drawn on request, kept by the page cache.
            reverse("programmes:share_card_home"): 200,
            reverse("programmes:share_card_programme", args=[programme.slug]): 200,
            reverse(
                "programmes:share_card_organisation", args=[organisation.slug]
            ): 200,
            reverse("programmes:share_card_region", args=[region.slug]): 200,
            # Unprefixed: answered in the language Accept-Language asks for.
            "/sitemap.xml": 200,  # the index of the sections below
            "/sitemap-pages.xml": 200,
            "/sitemap-programmes.xml": 200,
            "/sitemap-organisations.xml": 200,
            "/sitemap-regions.xml": 200,
            "/sitemap-countries.xml": 200,
            "/robots.txt": 200,
            "/favicon.ico": 200,
            "/api/v1/": 200,
            "/api/v1/openapi.json": 200,
            "/api/v1/programmes/": 200,
            f"/api/v1/programmes/{programme.pk}/": 200,
            "/api/v1/programmes.csv": 200,
            "/api/v1/organisations/": 200,
            f"/api/v1/organisations/{organisation.pk}/": 200,
            "/api/v1/organisations.csv": 200,
            "/api/v1/regions/": 200,
            f"/api/v1/regions/{region.pk}/": 200,
            "/api/v1/regions.csv": 200,
            "/api/v1/countries/": 200,
            "/api/v1/countries/gh/": 200,
            "/api/v1/countries.csv": 200,
            "/api/v1/nothing-here/": 404,
        }


def every_kind_of_page(count):
    """({language: {address: status}}, (organisation, region)) of a site with
    `count` programmes, one with a former slug (SlugRedirect), and an archived
    one."""
    organisation = make_organisation()
    region = make_region()
    build_programmes(count, organisation, region)
    programme = organisation.programmes.order_by("pk").first()
    # Renamed, then given its slugs back: "a-former-slug" stays a redirect.
    slugs = {language: getattr(programme, f"slug_{language}") for language in LANGUAGES}
    for language in LANGUAGES:
        setattr(programme, f"slug_{language}", "a-former-slug")
    programme.save()
    for language, slug in slugs.items():
        setattr(programme, f"slug_{language}", slug)
    programme.save()
    archived = make_programme(status="archived")
    return {
        language: every_public_address(
            language, programme, organisation, region, archived
        )
        for language in LANGUAGES
    }, (organisation, region)


def worker_redis_url(url, worker):
    """redis://host:port/N for worker "gwK": database N + K."""
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0) + int(worker.removeprefix("gw"))
    return urlunsplit(parts._replace(path=f"/{database}"))


PROGRAMME_INLINES = ("participations", "sources", "key_facts", "results")


def empty_inline_forms(prefixes=PROGRAMME_INLINES):
    """The management forms of empty inline formsets, as an add page sends them."""
    data = {}
    for prefix in prefixes:
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data


def programme_form(**overrides):
    """A complete programme add/change form, with empty inline formsets."""
    data = {
        "name_fr": "Nouveau programme",
        "name_en": "New programme",
        "acronym": "NEW",
        "slug_fr": "nouveau-programme",
        "slug_en": "new-programme",
        "summary_fr": "Un résumé.",
        "summary_en": "A summary.",
        "description_fr": "Une description.",
        "description_en": "A description.",
        "display_order": "5",
        "status": "published",
    }
    return data | empty_inline_forms() | overrides


# --- The sitemap --------------------------------------------------------------

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# sitemaps.org's schema with W3C XHTML for the xhtml:link alternates
# (tests/schemas/README.md): imports resolve next to it, never over the network.
SITEMAP_SCHEMA = (
    Path(__file__).resolve().parent
    / "schemas"
    / "sitemap-0.9"
    / "sitemap-with-xhtml.xsd"
)


def xml_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    parser = etree.XMLParser(no_network=True, load_dtd=False, resolve_entities=False)
    return etree.fromstring(response.content, parser)


@cache
def sitemap_schema():
    parser = etree.XMLParser(no_network=True, load_dtd=False, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(SITEMAP_SCHEMA), parser))


def sitemap_schema_errors(root):
    """What the sitemaps.org 0.9 schema finds wrong with a <urlset>."""
    schema = sitemap_schema()
    if schema.validate(root):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]


def sitemap_index(client):
    """The addresses /sitemap.xml (a <sitemapindex>) names, checked as we go.

    sitemaps.org publishes no schema for the index in the vendored set
    (tests/schemas/sitemap-0.9 is the urlset's): its shape is checked here.
    """
    root = xml_of(client.get("/sitemap.xml"))
    assert root.tag == f"{SITEMAP_NS}sitemapindex"
    for entry in root:
        assert entry.tag == f"{SITEMAP_NS}sitemap"
        assert {child.tag for child in entry} <= {
            f"{SITEMAP_NS}loc",
            f"{SITEMAP_NS}lastmod",
        }
        assert entry.findtext(f"{SITEMAP_NS}loc")
    return [entry.findtext(f"{SITEMAP_NS}loc") for entry in root]


def sitemap_pages(client):
    """Every page of every section the index names: their <urlset> roots,
    each valid against the sitemaps.org schema."""
    pages = []
    for address in sitemap_index(client):
        parts = urlsplit(address)
        response = client.get(parts.path, dict(parse_qsl(parts.query)))
        root = xml_of(response)
        assert root.tag == f"{SITEMAP_NS}urlset"
        assert sitemap_schema_errors(root) == [], (address, response.content)
        pages.append(root)
    return pages


# The glossary terms migrations 0013-0014 write.
FIRST_GLOSSARY_TERMS = [
    *import_module("programmes.migrations.0013_glossary_terms").TERMS,
    *import_module("programmes.migrations.0014_more_glossary_terms").TERMS,
]


def project_copy(tmp_path):
    """A copy of the project's tracked sources in tmp_path/project, for tests
    that run commands which write into the tree (makemessages, makemigrations)."""
    copy = tmp_path / "project"
    shutil.copytree(
        Path(__file__).resolve().parent.parent,
        copy,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "var", "node_modules", "test-artifacts", "*.pyc", "*.mo"
        ),
    )
    return copy
